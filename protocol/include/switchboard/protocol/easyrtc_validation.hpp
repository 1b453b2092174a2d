#pragma once

#include <string_view>

// EasyRTC's validation regular expressions as character checks. JavaScript semantics: the "(i)"
// patterns accept A-Z as well, and "." matches one UTF-16 code unit other than a line terminator
// (\n, \r, U+2028, U+2029), so lengths are counted in UTF-16 units of the UTF-8 input.
namespace switchboard::protocol::easyrtc {

bool is_api_version(std::string_view s) noexcept;     // ^[a-z0-9_.+-]{1,32}$ (i)
bool is_app_name(std::string_view s) noexcept;        // ^[a-z0-9_.-]{1,32}$ (i)
bool is_easyrtcid(std::string_view s) noexcept;       // ^[a-z0-9_.-]{1,32}$ (i)
bool is_easyrtcsid(std::string_view s) noexcept;      // ^[a-z0-9_.%-]{1,100}$ (i)
bool is_group_name(std::string_view s) noexcept;      // ^[a-z0-9_.-]{1,32}$ (i)
bool is_field_name(std::string_view s) noexcept;      // ^[a-z0-9_. -]{1,32}$ (i)
bool is_room_name(std::string_view s) noexcept;       // ^[a-z0-9_.-]{1,32}$ (i)
bool is_presence_show(std::string_view s) noexcept;   // ^(away|chat|dnd|xa)$
bool is_presence_status(std::string_view s) noexcept; // ^(.){0,255}$
bool is_username(std::string_view s) noexcept;        // ^(.){1,64}$ (i)

} // namespace switchboard::protocol::easyrtc
