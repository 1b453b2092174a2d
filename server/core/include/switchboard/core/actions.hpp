#pragma once

#include "switchboard/protocol/easyrtc_errors.hpp"
#include "switchboard/protocol/push_frame.hpp"

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace switchboard::core {

// Chosen by the I/O layer, unique for the life of the process.
using conn_id = std::uint64_t;

// An easyrtcid held inline, so addressing a recipient never allocates.
class recipient_id {
public:
    static constexpr std::size_t capacity = 32;
    recipient_id() = default;
    explicit recipient_id(std::string_view s) noexcept;
    std::string_view view() const noexcept { return {data_.data(), size_}; }

private:
    std::array<char, capacity> data_{};
    std::uint8_t size_ = 0;
};

// Answer the request that carried `ack_id` with one argument, the JSON text `payload`.
// `error` says which error it is, for metrics; the payload already carries it.
struct reply {
    conn_id to;
    std::uint64_t ack_id;
    std::shared_ptr<const std::string> payload;
    std::optional<protocol::easyrtc::error> error = std::nullopt;
};

// Push an event to a connection; the frame is shared by all recipients of one message.
struct push {
    conn_id to;
    std::shared_ptr<const protocol::push_frame> frame;
    recipient_id easyrtcid;
};

enum class close_reason : std::uint8_t {
    auth_failed, // after the LOGIN_* error reply: socket.io DISCONNECT, then close
    still_alive_timeout,
    server_shutdown,
};

// End the connection. The I/O layer sends socket.io DISCONNECT first, then closes the transport,
// and later reports the closure back with signaling_core::disconnect (which is then a no-op for
// the core's state, already released).
struct close {
    conn_id who;
    close_reason why;
};

using action = std::variant<reply, push, close>;
using actions = std::vector<action>;

} // namespace switchboard::core
