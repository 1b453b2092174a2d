#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace switchboard::auth {

// The 62 characters an easyrtcid is drawn from. A subset of EasyRTC's easyrtcidRegExp
// `^[a-z0-9_.-]{1,32}$` (case-insensitive), so ids pass every client-side check.
inline constexpr std::string_view easyrtcid_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
inline constexpr std::size_t easyrtcid_length = 16;

// The base64url alphabet of Engine.IO sids and socket.io socket ids.
inline constexpr std::string_view session_id_alphabet =
    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
inline constexpr std::size_t session_id_length = 20;

// Peers address each other by easyrtcid, so it must be unguessable: 16 uniform draws from
// 62 characters are about 95 bits. Requires init().
std::string new_easyrtcid();

// 120 random bits in base64url without padding. Requires init().
std::string new_session_id();

} // namespace switchboard::auth
