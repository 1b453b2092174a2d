#include "switchboard/protocol/engineio.hpp"

#include "decimal.hpp"
#include "packet_type_digit.hpp"
#include "switchboard/protocol/errc.hpp"

#include <boost/json/serialize.hpp>
#include <boost/url/parse_query.hpp>

#include <algorithm>
#include <optional>

namespace switchboard::protocol::engineio {

namespace {

constexpr char record_separator = '\x1e';

struct utf8_sequence {
    std::size_t bytes;
    std::size_t utf16_units;
};

// The well-formed UTF-8 sequence (RFC 3629 table) at the start of non-empty `text`; nullopt when
// it is malformed or cut short. Code points above U+FFFF are surrogate pairs in UTF-16.
std::optional<utf8_sequence> leading_sequence(std::string_view text) noexcept {
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char lead = byte(0);
    if (lead < 0x80) {
        return utf8_sequence{1, 1};
    }
    std::size_t length = 0;
    unsigned char second_min = 0x80;
    unsigned char second_max = 0xbf;
    if (lead >= 0xc2 && lead <= 0xdf) {
        length = 2;
    } else if (lead >= 0xe0 && lead <= 0xef) {
        length = 3;
        if (lead == 0xe0) {
            second_min = 0xa0; // overlong
        } else if (lead == 0xed) {
            second_max = 0x9f; // UTF-16 surrogates
        }
    } else if (lead >= 0xf0 && lead <= 0xf4) {
        length = 4;
        if (lead == 0xf0) {
            second_min = 0x90; // overlong
        } else if (lead == 0xf4) {
            second_max = 0x8f; // above U+10FFFF
        }
    } else {
        return std::nullopt;
    }
    if (text.size() < length || byte(1) < second_min || byte(1) > second_max) {
        return std::nullopt;
    }
    for (std::size_t i = 2; i < length; ++i) {
        if ((byte(i) & 0xc0) != 0x80) {
            return std::nullopt;
        }
    }
    return utf8_sequence{length, length == 4 ? 2U : 1U};
}

// Bytes taken by the first `units` UTF-16 code units of `text`; nullopt when the text runs out,
// is not UTF-8, or the count would end inside a surrogate pair.
std::optional<std::size_t> bytes_for_utf16_units(std::string_view text,
                                                 std::size_t units) noexcept {
    std::size_t pos = 0;
    while (units > 0) {
        if (pos == text.size()) {
            return std::nullopt;
        }
        const auto seq = leading_sequence(text.substr(pos));
        if (!seq || seq->utf16_units > units) {
            return std::nullopt;
        }
        pos += seq->bytes;
        units -= seq->utf16_units;
    }
    return pos;
}

boost::system::result<std::vector<packet>> decode_v4_payload(std::string_view body) {
    std::vector<packet> packets;
    packets.reserve(
        static_cast<std::size_t>(std::count(body.begin(), body.end(), record_separator)) + 1);
    while (true) {
        const auto end = body.find(record_separator);
        auto p = decode_packet(body.substr(0, end));
        if (!p) {
            return p.error();
        }
        packets.push_back(*p);
        if (end == std::string_view::npos) {
            return packets;
        }
        body.remove_prefix(end + 1);
    }
}

boost::system::result<std::vector<packet>> decode_v3_payload(std::string_view body) {
    std::vector<packet> packets;
    while (!body.empty()) {
        const std::size_t digits = detail::digit_run(body);
        if (digits == 0 || digits == body.size() || body[digits] != ':') {
            return errc::bad_payload_length;
        }
        const auto units = detail::parse_decimal(body.substr(0, digits));
        body.remove_prefix(digits + 1);
        // Every UTF-16 unit takes at least one byte, so this also bounds the walk below.
        if (!units || *units == 0 || *units > body.size()) {
            return errc::bad_payload_length;
        }
        const auto bytes = bytes_for_utf16_units(body, static_cast<std::size_t>(*units));
        if (!bytes) {
            return errc::bad_payload_length;
        }
        auto p = decode_packet(body.substr(0, *bytes));
        if (!p) {
            return p.error();
        }
        packets.push_back(*p);
        body.remove_prefix(*bytes);
    }
    return packets;
}

std::string_view http_error_message(http_error e) noexcept {
    switch (e) {
    case http_error::unknown_transport:
        return "Transport unknown";
    case http_error::unknown_sid:
        return "Session ID unknown";
    case http_error::bad_handshake_method:
        return "Bad handshake method";
    case http_error::bad_request:
        return "Bad request";
    case http_error::forbidden:
        return "Forbidden";
    case http_error::unsupported_protocol_version:
        return "Unsupported protocol version";
    }
    return "Bad request";
}

} // namespace

boost::system::result<packet> decode_packet(std::string_view text) {
    auto type = detail::packet_type_digit(text);
    if (!type) {
        return type.error();
    }
    return packet{static_cast<packet_type>(*type), text.substr(1)};
}

boost::system::result<std::vector<packet>> decode_payload(std::string_view body, version v) {
    if (body.empty()) {
        return errc::empty_packet;
    }
    return v == version::v4 ? decode_v4_payload(body) : decode_v3_payload(body);
}

void append_to_payload(std::string& body, std::string_view encoded_packet, version v) {
    if (v == version::v4) {
        if (!body.empty()) {
            body += record_separator;
        }
    } else {
        detail::append_decimal(body, utf16_length(encoded_packet));
        body += ':';
    }
    body += encoded_packet;
}

std::size_t utf16_length(std::string_view utf8) noexcept {
    // Each sequence has exactly one non-continuation byte, and only 4-byte leads (>= 0xF0) encode
    // code points that need a surrogate pair. Exact for valid UTF-8, branch-free per byte.
    std::size_t units = 0;
    for (const char c : utf8) {
        const auto b = static_cast<unsigned char>(c);
        units += static_cast<std::size_t>((b & 0xc0) != 0x80) + static_cast<std::size_t>(b >= 0xf0);
    }
    return units;
}

std::string encode_open(const open_params& p) {
    std::string out;
    out.reserve(128 + p.sid.size());
    out += "0{\"sid\":";
    out += boost::json::serialize(p.sid);
    out += p.offer_websocket_upgrade ? R"(,"upgrades":["websocket"])" : R"(,"upgrades":[])";
    out += ",\"pingInterval\":";
    detail::append_decimal(out, p.ping_interval_ms);
    out += ",\"pingTimeout\":";
    detail::append_decimal(out, p.ping_timeout_ms);
    out += ",\"maxPayload\":";
    detail::append_decimal(out, p.max_payload);
    out += '}';
    return out;
}

boost::system::result<request_query> parse_query(std::string_view query) {
    // Boost.URL 1.81's parse_query runs strlen over its argument's data, so it needs a
    // NUL-terminated copy: a view into a request target would be read past its end.
    const std::string terminated(query);
    const auto params = boost::urls::parse_query(terminated);
    if (!params) {
        return errc::bad_query;
    }
    // engine.io turns a repeated key into an array that then matches nothing; refusing the request
    // is the same outcome without guessing which copy was meant.
    std::optional<std::string_view> eio;
    std::optional<std::string_view> transport_name;
    std::optional<std::string_view> sid;
    for (const auto& param : *params) {
        const std::string_view key(param.key.data(), param.key.size());
        std::optional<std::string_view>* slot = key == "EIO"         ? &eio
                                                : key == "transport" ? &transport_name
                                                : key == "sid"       ? &sid
                                                                     : nullptr;
        if (slot == nullptr) {
            continue;
        }
        if (slot->has_value()) {
            return errc::bad_query;
        }
        // Point back into the caller's text, which outlives the copy. An empty value may not
        // point into the copy at all.
        *slot = param.value.empty()
                    ? std::string_view{}
                    : query.substr(static_cast<std::size_t>(param.value.data() - terminated.data()),
                                   param.value.size());
    }
    request_query q;
    q.eio = eio == "4" ? version::v4 : version::v3;
    q.transport = transport_name.value_or(std::string_view{});
    q.sid = sid.value_or(std::string_view{});
    return q;
}

boost::system::result<transport> parse_transport(std::string_view name) {
    if (name == "polling") {
        return transport::polling;
    }
    if (name == "websocket") {
        return transport::websocket;
    }
    return errc::unknown_transport;
}

std::string encode_http_error(http_error e) {
    std::string out = "{\"code\":";
    detail::append_decimal(out, static_cast<std::uint64_t>(e));
    out += ",\"message\":\"";
    out += http_error_message(e);
    out += "\"}";
    return out;
}

} // namespace switchboard::protocol::engineio
