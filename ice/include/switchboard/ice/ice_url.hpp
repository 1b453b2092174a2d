#pragma once

#include "switchboard/ice/config_error.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace switchboard::ice {

enum class ice_scheme { stun, stuns, turn, turns };
enum class ice_transport { udp, tcp };

constexpr bool is_turn(ice_scheme s) noexcept {
    return s == ice_scheme::turn || s == ice_scheme::turns;
}

// A STUN or TURN URL as RFC 7064 and RFC 7065 define them:
// `stun:host[:port]`, `stuns:host[:port]`, `turn:host[:port][?transport=udp|tcp]`, `turns:...`.
struct ice_url {
    ice_scheme scheme = ice_scheme::stun;
    std::string host; // a DNS name, a dotted IPv4 address or a bracketed IPv6 address
    std::optional<std::uint16_t> port;
    std::optional<ice_transport> transport;

    bool operator==(const ice_url&) const = default;
};

// Stricter than browsers, so that mistakes show at startup: a lowercase scheme, no "//", no user
// info, no fragment, and no query other than ?transport= on TURN. The error quotes the URL.
config_result<ice_url> parse_ice_url(std::string_view text);

} // namespace switchboard::ice
