#pragma once

#include "switchboard/ice/config_error.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <array>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::ice {

// One RTCIceServer entry. STUN entries have an empty username and credential; TURN entries
// have both. parse_ice_servers guarantees this, and that an entry never mixes the two kinds.
struct ice_server {
    std::vector<std::string> urls;
    std::string username;
    std::string credential;

    bool operator==(const ice_server&) const = default;
};

// Used when the operator configures no ICE servers: a few public STUN servers, each its own
// entry. More than four STUN/TURN servers slow down ICE gathering in browsers.
inline constexpr std::array<std::string_view, 2> default_stun_urls{
    "stun:stun.l.google.com:19302",
    "stun:stun.cloudflare.com:3478",
};

std::vector<ice_server> default_ice_servers();

// Parses a JSON array in RTCIceServer form:
// `[{"urls":"stun:host:3478"},{"urls":["turn:h?transport=udp"],"username":"u","credential":"p"}]`.
// "urls" may be a string or an array of strings; the legacy "url" is accepted instead. Every URL
// is checked with parse_ice_url. Errors name the entry, e.g. `ice servers[1].urls[0] ...`.
config_result<std::vector<ice_server>> parse_ice_servers(std::string_view json);
// The same for an already parsed value, e.g. a per-application entry of a JSON config file.
config_result<std::vector<ice_server>> ice_servers_from_json(const boost::json::value& json);

// `{"urls":[...]}`, plus "username" and "credential" when set: the form RTCPeerConnection takes.
boost::json::object to_json(const ice_server& server);

} // namespace switchboard::ice
