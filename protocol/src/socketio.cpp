#include "switchboard/protocol/socketio.hpp"

#include "decimal.hpp"
#include "packet_type_digit.hpp"
#include "switchboard/protocol/errc.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <utility>

namespace switchboard::protocol::socketio {

namespace {

// Clients count ack ids up from 0, so real ids are short; 18 digits always fit in 64 bits.
constexpr std::size_t max_ack_id_digits = 18;

constexpr std::size_t max_json_depth = 32;

bool is_binary(packet_type t) noexcept {
    return t == packet_type::binary_event || t == packet_type::binary_ack;
}

} // namespace

boost::system::result<packet> decode_packet(std::string_view text) {
    auto type = detail::packet_type_digit(text);
    if (!type) {
        return type.error();
    }
    packet p;
    p.type = static_cast<packet_type>(*type);
    std::string_view rest = text.substr(1);

    if (is_binary(p.type)) {
        // "<attachment count>-" precedes the rest of the header.
        const std::size_t digits = detail::digit_run(rest);
        if (digits == 0 || digits == rest.size() || rest[digits] != '-') {
            return errc::binary_unsupported;
        }
        rest.remove_prefix(digits + 1);
    }

    if (!rest.empty() && rest.front() == '/') {
        const auto comma = rest.find(',');
        p.nsp = rest.substr(0, comma);
        rest.remove_prefix(comma == std::string_view::npos ? rest.size() : comma + 1);
    }

    if (const std::size_t digits = detail::digit_run(rest); digits > 0) {
        if (digits > max_ack_id_digits) {
            return errc::bad_ack_id;
        }
        p.ack_id = detail::parse_decimal(rest.substr(0, digits));
        rest.remove_prefix(digits);
    }

    p.data = rest;
    return p;
}

boost::system::result<event> decode_event(std::string_view json_array_text,
                                          boost::json::storage_ptr sp) {
    boost::json::parse_options opts;
    opts.max_depth = max_json_depth;
    boost::system::error_code ec;
    boost::json::value jv = boost::json::parse(json_array_text, ec, std::move(sp), opts);
    if (ec) {
        return errc::bad_json;
    }
    auto* items = jv.if_array();
    if (items == nullptr || items->empty()) {
        return errc::not_an_event_array;
    }
    const auto* name = items->front().if_string();
    if (name == nullptr) {
        return errc::not_an_event_array;
    }
    // Constructing (not assigning) keeps the argument in the storage it was parsed into.
    return event{.name = std::string(name->data(), name->size()),
                 .arg = items->size() > 1 ? boost::json::value(std::move((*items)[1]))
                                          : boost::json::value(nullptr, jv.storage())};
}

void append_connect_ok(std::string& out, std::string_view socket_sid) {
    out += "0{\"sid\":";
    out += boost::json::serialize(socket_sid);
    out += '}';
}

void append_connect_error(std::string& out, std::string_view nsp, std::string_view message) {
    out += '4';
    if (nsp != "/") {
        out += nsp;
        out += ',';
    }
    out += "{\"message\":";
    out += boost::json::serialize(message);
    out += '}';
}

void append_disconnect(std::string& out) {
    out += '1';
}

void append_ack(std::string& out, std::uint64_t id, std::string_view json_arg) {
    out += '3';
    detail::append_decimal(out, id);
    out += '[';
    out += json_arg;
    out += ']';
}

void append_event(std::string& out, std::optional<std::uint64_t> id, std::string_view name,
                  std::string_view json_arg) {
    out += '2';
    if (id) {
        detail::append_decimal(out, *id);
    }
    out += '[';
    out += boost::json::serialize(name);
    if (!json_arg.empty()) {
        out += ',';
        out += json_arg;
    }
    out += ']';
}

} // namespace switchboard::protocol::socketio
