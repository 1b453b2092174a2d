#include "switchboard/ice/ice_url.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <array>
#include <charconv>
#include <utility>

namespace switchboard::ice {

namespace {

constexpr std::array<std::pair<std::string_view, ice_scheme>, 4> schemes{{
    {"stun", ice_scheme::stun},
    {"stuns", ice_scheme::stuns},
    {"turn", ice_scheme::turn},
    {"turns", ice_scheme::turns},
}};

bool is_digit(char c) {
    return c >= '0' && c <= '9';
}

bool is_label_char(char c) {
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

// inet_pton wants a NUL-terminated string; it is pure parsing, no lookup.
bool is_address(int family, std::string_view text) {
    const std::string copy{text};
    std::array<unsigned char, sizeof(in6_addr)> out{};
    return inet_pton(family, copy.c_str(), out.data()) == 1;
}

// RFC 1123 host names: dot-separated labels of letters, digits and inner hyphens.
bool is_host_name(std::string_view name) {
    if (name.size() > 253) {
        return false;
    }
    while (true) {
        const auto dot = name.find('.');
        const auto label = name.substr(0, dot);
        if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-' ||
            !std::all_of(label.begin(), label.end(), is_label_char)) {
            return false;
        }
        if (dot == std::string_view::npos) {
            return true;
        }
        name.remove_prefix(dot + 1);
    }
}

std::optional<std::uint16_t> parse_port(std::string_view text) {
    // No sign, no leading zero, no trailing junk: from_chars alone would accept "0080" and "80x".
    if (text.empty() || text.size() > 5 || text.front() == '0' ||
        !std::all_of(text.begin(), text.end(), is_digit)) {
        return std::nullopt;
    }
    unsigned value = 0;
    std::from_chars(text.data(), text.data() + text.size(), value);
    if (value > 65535) {
        return std::nullopt;
    }
    return static_cast<std::uint16_t>(value);
}

config_error url_error(std::string_view text, std::string_view what) {
    std::string message = "\"";
    message.append(text).append("\": ").append(what);
    return {std::move(message)};
}

} // namespace

config_result<ice_url> parse_ice_url(std::string_view text) {
    ice_url url;

    const auto colon = text.find(':');
    if (colon == std::string_view::npos) {
        return url_error(text, "missing scheme (expected stun:, stuns:, turn: or turns:)");
    }
    const auto scheme_text = text.substr(0, colon);
    const auto* scheme = std::find_if(schemes.begin(), schemes.end(),
                                      [&](const auto& s) { return s.first == scheme_text; });
    if (scheme == schemes.end()) {
        return url_error(text, "unsupported scheme (expected stun:, stuns:, turn: or turns:)");
    }
    url.scheme = scheme->second;

    auto rest = text.substr(colon + 1);
    if (rest.starts_with("//")) {
        return url_error(text, "no \"//\" after the scheme (write stun:host:port)");
    }

    const auto question = rest.find('?');
    auto authority = rest.substr(0, question);
    if (question != std::string_view::npos) {
        if (!is_turn(url.scheme)) {
            return url_error(text, "STUN URLs take no query (?transport= is for TURN only)");
        }
        const auto query = rest.substr(question + 1);
        if (query == "transport=udp") {
            url.transport = ice_transport::udp;
        } else if (query == "transport=tcp") {
            url.transport = ice_transport::tcp;
        } else {
            return url_error(text, "the only query allowed is ?transport=udp or ?transport=tcp");
        }
    }

    if (authority.find('@') != std::string_view::npos) {
        return url_error(text, "no user info in ICE URLs (use \"username\" and \"credential\")");
    }

    std::optional<std::string_view> port_text;
    if (authority.starts_with('[')) {
        const auto close = authority.find(']');
        if (close == std::string_view::npos) {
            return url_error(text, "IPv6 address without closing \"]\"");
        }
        if (!is_address(AF_INET6, authority.substr(1, close - 1))) {
            return url_error(text, "invalid IPv6 address");
        }
        url.host = authority.substr(0, close + 1);
        const auto after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') {
                return url_error(text, "unexpected characters after the IPv6 address");
            }
            port_text = after.substr(1);
        }
    } else {
        const auto port_colon = authority.find(':');
        if (port_colon != std::string_view::npos &&
            authority.find(':', port_colon + 1) != std::string_view::npos) {
            return url_error(text, "IPv6 addresses must be in brackets, e.g. stun:[::1]:3478");
        }
        const auto host = authority.substr(0, port_colon);
        if (host.empty()) {
            return url_error(text, "missing host");
        }
        // All digits and dots can only mean IPv4; "300.1.1.1" must not pass as a host name.
        const bool looks_ipv4 =
            std::all_of(host.begin(), host.end(), [](char c) { return is_digit(c) || c == '.'; });
        if (looks_ipv4 ? !is_address(AF_INET, host) : !is_host_name(host)) {
            return url_error(text, looks_ipv4 ? "invalid IPv4 address" : "invalid host name");
        }
        url.host = host;
        if (port_colon != std::string_view::npos) {
            port_text = authority.substr(port_colon + 1);
        }
    }

    if (port_text) {
        url.port = parse_port(*port_text);
        if (!url.port) {
            return url_error(text, "port must be a number from 1 to 65535");
        }
    }
    return url;
}

} // namespace switchboard::ice
