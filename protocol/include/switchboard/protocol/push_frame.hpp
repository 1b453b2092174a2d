#pragma once

#include <string>

namespace switchboard::protocol {

// A server-initiated socket.io EVENT, serialized once and shared by every recipient. Only the ack
// id and the recipient's own easyrtcid differ per recipient, so the socket.io packet is
//   "2" <ack id> head <recipient easyrtcid> tail
// with head = ["easyrtcCmd",{<payload fields>,"easyrtcid":"   and
//      tail = ","msgType":"<type>","serverTime":<ms>}]
// which keeps EasyRTC's key order (payload fields, then easyrtcid, msgType, serverTime).
struct push_frame {
    std::string head;
    std::string tail;
};

} // namespace switchboard::protocol
