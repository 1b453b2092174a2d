#include "core_state.hpp"
#include "switchboard/protocol/easyrtc_envelopes.hpp"

// easyrtcMsg (spec §2.4): application messages to a peer or to a room.
namespace switchboard::core {

namespace easyrtc = protocol::easyrtc;

void signaling_core::impl::app_message(connection& c, ack_id ack, const boost::json::value& body,
                                       clock_reading now, actions& out) {
    if (c.state != detail::conn_state::authenticated) {
        reply_error(c, ack, easyrtc::error::msg_reject_no_auth, now, out);
        return;
    }
    const auto parsed = easyrtc::parse_msg(body);
    if (!parsed) {
        reply_error(c, ack, parsed.error(), now, out);
        return;
    }
    const easyrtc::app_message& msg = parsed.value();
    if (msg.target_easyrtcid) {
        if (*msg.target_easyrtcid == c.easyrtcid) {
            reply_error(c, ack, easyrtc::error::msg_reject_target_self, now, out);
            return;
        }
        // Unknown target: MSG_REJECT_TARGET_EASYRTCID, as for cmd relays. The reference answers
        // MSG_REJECT_GEN_FAIL here (spec §3.9 lists it among its quirks); one code for one cause
        // lets clients handle a vanished peer the same way on both channels.
        connection* target = reachable_peer(c, *msg.target_easyrtcid);
        if (target == nullptr) {
            reply_error(c, ack, easyrtc::error::msg_reject_target_easyrtcid, now, out);
            return;
        }
        if (msg.target_room &&
            (!c.rooms.contains(*msg.target_room) || !target->rooms.contains(*msg.target_room))) {
            reply_error(c, ack, easyrtc::error::msg_reject_target_room, now, out);
            return;
        }
        // Groups come from credentials in a later feature; until then nobody is in one.
        if (msg.target_group) {
            reply_error(c, ack, easyrtc::error::msg_reject_target_group, now, out);
            return;
        }
        detail::push_to(*target,
                        std::make_shared<const protocol::push_frame>(
                            easyrtc::app_message_frame(c.easyrtcid, msg, now.wall_ms)),
                        out);
        reply_ack(c, ack, out);
        return;
    }
    if (msg.target_group) {
        reply_error(c, ack, easyrtc::error::msg_reject_target_group, now, out);
        return;
    }
    if (msg.target_room) {
        auto it = c.rooms.find(*msg.target_room);
        if (it == c.rooms.end()) {
            reply_error(c, ack, easyrtc::error::msg_reject_target_room, now, out);
            return;
        }
        const auto frame = std::make_shared<const protocol::push_frame>(
            easyrtc::app_message_frame(c.easyrtcid, msg, now.wall_ms));
        for (const connection* member : it->second.where->members) {
            if (member != &c) {
                detail::push_to(*member, frame, out);
            }
        }
        reply_ack(c, ack, out);
        return;
    }
    // A message for the server itself: the reference leaves it unanswered, which hangs the
    // client's callback. No server-side handler exists, so say so.
    reply_error(c, ack, easyrtc::error::msg_reject_no_handler, now, out);
}

} // namespace switchboard::core
