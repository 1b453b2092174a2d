#pragma once

#include "switchboard/core/actions.hpp"
#include "switchboard/protocol/push_frame.hpp"

#include <boost/asio/buffer.hpp>
#include <boost/container/deque.hpp>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace switchboard::server {

// One Engine.IO packet on its way out, held as pieces so that a message built once for many
// recipients is never copied per recipient: only `prefix` (type digits and ack id) and the
// recipient's easyrtcid are its own; the rest points into a shared, immutable buffer.
class outgoing_packet {
public:
    // A complete packet, e.g. "2" (ping), "6" (noop), "40{...}" (socket.io connect).
    static outgoing_packet control(std::string text);
    // socket.io ACK: 43<id>[<payload>]
    static outgoing_packet ack(std::uint64_t ack_id, std::shared_ptr<const std::string> payload);
    // socket.io EVENT built from a shared push frame: 42[<id>]<head><recipient><tail>
    static outgoing_packet event(std::optional<std::uint64_t> ack_id,
                                 std::shared_ptr<const protocol::push_frame> frame,
                                 const core::recipient_id& recipient);

    std::size_t size() const noexcept;
    std::array<boost::asio::const_buffer, 5> buffers() const noexcept;
    void append_to(std::string& out) const;

private:
    std::string prefix_;
    std::shared_ptr<const void> owner_; // keeps body_ and tail_ alive
    std::string_view body_;
    core::recipient_id recipient_;
    std::string_view tail_;
    std::string_view suffix_; // static storage only
};

// Packets waiting for their transport. Unlike std::deque, an empty boost deque owns no memory,
// which thousands of idle connections would otherwise each pay for.
using packet_queue = boost::container::deque<outgoing_packet>;

// A drained deque keeps its last block; idle connections should not.
inline void release_if_drained(packet_queue& q) {
    if (q.empty()) {
        packet_queue none;
        q.swap(none);
    }
}

} // namespace switchboard::server
