#pragma once

#include <boost/system/error_code.hpp>

#include <type_traits>

namespace switchboard::protocol {

// Everything a peer can get wrong on the wire, below the EasyRTC layer.
enum class errc {
    empty_packet = 1,
    unknown_packet_type,
    bad_payload_length, // EIO=3 "<len>:" prefix missing, not a number, or past the end
    payload_too_large,
    bad_json,
    not_an_event_array, // EVENT data is not a JSON array starting with a string
    bad_ack_id,
    unsupported_namespace,
    binary_unsupported,
    unexpected_packet, // well-formed but not allowed in the current state
    bad_query,         // /socket.io/ query string malformed or with a repeated EIO/transport/sid
    unknown_transport, // transport= is neither "polling" nor "websocket"
};

const boost::system::error_category& protocol_category() noexcept;

inline boost::system::error_code make_error_code(errc e) noexcept {
    return {static_cast<int>(e), protocol_category()};
}

} // namespace switchboard::protocol

template <>
struct boost::system::is_error_code_enum<switchboard::protocol::errc> : std::true_type {};
