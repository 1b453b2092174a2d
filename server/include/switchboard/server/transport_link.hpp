#pragma once

#include "switchboard/server/outgoing_packet.hpp"

namespace switchboard::server {

// A websocket carrying an Engine.IO session. The session talks to it only through this
// interface, from its own strand; implementations hop onto the websocket's strand.
class transport_link {
public:
    virtual ~transport_link() = default;
    // Queues one packet as one text frame. Over the queue bound the link closes itself.
    virtual void send(outgoing_packet p) = 0;
    // Sends what is queued, then a close frame.
    virtual void close() = 0;
};

} // namespace switchboard::server
