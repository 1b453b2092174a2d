#include "switchboard/protocol/easyrtc_validation.hpp"

#include <cstddef>

namespace switchboard::protocol::easyrtc {
namespace {

bool is_alnum(char c) noexcept {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

// [a-z0-9_.-]{min,max} (i) plus the characters in `extra`.
bool is_name(std::string_view s, std::size_t max, std::string_view extra = {}) noexcept {
    if (s.empty() || s.size() > max) {
        return false;
    }
    for (char c : s) {
        if (!is_alnum(c) && c != '_' && c != '.' && c != '-' && extra.find(c) == extra.npos) {
            return false;
        }
    }
    return true;
}

// ^(.){min,max}$ without the u flag: UTF-16 units, none of them a line terminator. Boost.JSON
// has already rejected invalid UTF-8, so the lead byte alone gives the unit count.
bool is_single_line(std::string_view s, std::size_t min, std::size_t max) noexcept {
    std::size_t units = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto b = static_cast<unsigned char>(s[i]);
        if (b == '\n' || b == '\r') {
            return false;
        }
        if (b == 0xE2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
            (static_cast<unsigned char>(s[i + 2]) == 0xA8 ||
             static_cast<unsigned char>(s[i + 2]) == 0xA9)) {
            return false; // U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR
        }
        if ((b & 0xC0) == 0x80) {
            continue; // continuation byte
        }
        units += b >= 0xF0 ? 2 : 1; // four-byte sequences are surrogate pairs in UTF-16
        if (units > max) {
            return false;
        }
    }
    return units >= min;
}

} // namespace

bool is_api_version(std::string_view s) noexcept {
    return is_name(s, 32, "+");
}
bool is_app_name(std::string_view s) noexcept {
    return is_name(s, 32);
}
bool is_easyrtcid(std::string_view s) noexcept {
    return is_name(s, 32);
}
bool is_easyrtcsid(std::string_view s) noexcept {
    return is_name(s, 100, "%");
}
bool is_group_name(std::string_view s) noexcept {
    return is_name(s, 32);
}
bool is_field_name(std::string_view s) noexcept {
    return is_name(s, 32, " ");
}
bool is_room_name(std::string_view s) noexcept {
    return is_name(s, 32);
}

bool is_presence_show(std::string_view s) noexcept {
    return s == "away" || s == "chat" || s == "dnd" || s == "xa";
}

bool is_presence_status(std::string_view s) noexcept {
    return is_single_line(s, 0, 255);
}
bool is_username(std::string_view s) noexcept {
    return is_single_line(s, 1, 64);
}

} // namespace switchboard::protocol::easyrtc
