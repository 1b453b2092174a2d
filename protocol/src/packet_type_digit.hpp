#pragma once

#include "switchboard/protocol/errc.hpp"

#include <boost/system/result.hpp>

#include <string_view>

namespace switchboard::protocol::detail {

// The digit every Engine.IO and socket.io packet starts with; both framings define types 0 to 6.
inline boost::system::result<char> packet_type_digit(std::string_view text) {
    if (text.empty()) {
        return errc::empty_packet;
    }
    const char type = text.front();
    if (type < '0' || type > '6') {
        return errc::unknown_packet_type;
    }
    return type;
}

} // namespace switchboard::protocol::detail
