#include "core_state.hpp"
#include "room_data.hpp"
#include "switchboard/protocol/easyrtc_envelopes.hpp"
#include "switchboard/protocol/easyrtc_json.hpp"

// easyrtcCmd from clients (spec §2.2): WebRTC relays, rooms, presence, fields, ICE, stillAlive.
// Every handler appends its pushes before its reply, the order the reference emits (spec §4).
namespace switchboard::core {

namespace easyrtc = protocol::easyrtc;

void signaling_core::impl::command(connection& c, ack_id ack, const boost::json::value& body,
                                   clock_reading now, actions& out) {
    // The reference has no handler before sign-in and never answers; we say why.
    if (c.state != detail::conn_state::authenticated) {
        reply_error(c, ack, easyrtc::error::msg_reject_no_auth, now, out);
        return;
    }
    auto parsed = easyrtc::parse_cmd(body);
    if (!parsed) {
        reply_error(c, ack, parsed.error(), now, out);
        return;
    }
    std::visit([&](auto& request) { on(c, ack, request, now, out); }, parsed.value());
}

void signaling_core::impl::on(connection& c, ack_id ack, const easyrtc::relay& r, clock_reading now,
                              actions& out) {
    connection* target = reachable_peer(c, r.target);
    if (target == nullptr) {
        reply_error(c, ack, easyrtc::error::msg_reject_target_easyrtcid, now, out);
        return;
    }
    detail::push_to(*target,
                    std::make_shared<const protocol::push_frame>(
                        easyrtc::relay_frame(c.easyrtcid, r, now.wall_ms)),
                    out);
    reply_ack(c, ack, out);
}

void signaling_core::impl::on(connection& c, ack_id ack, const easyrtc::get_ice_config&,
                              clock_reading now, actions& out) {
    std::string data;
    easyrtc::append_ice_config_data(data, fresh_ice_servers(c, now));
    reply(c, ack, std::make_shared<const std::string>(easyrtc::typed_reply("iceConfig", data)),
          out);
}

void signaling_core::impl::on(connection& c, ack_id ack, const easyrtc::get_room_list&,
                              clock_reading, actions& out) {
    std::string data = R"({"roomList":{)";
    bool first = true;
    for (const auto& [name, r] : c.app->rooms) {
        if (!first) {
            data += ',';
        }
        first = false;
        easyrtc::append_json_string(data, name);
        data += R"(:{"roomName":)";
        easyrtc::append_json_string(data, name);
        data += R"(,"numberClients":)";
        easyrtc::append_json(data, static_cast<std::int64_t>(r.members.size()));
        data += '}';
    }
    data += "}}";
    reply(c, ack, std::make_shared<const std::string>(easyrtc::typed_reply("roomList", data)), out);
}

void signaling_core::impl::on(connection& c, ack_id ack, const easyrtc::room_join& r,
                              clock_reading now, actions& out) {
    // All rooms are checked first: a refused request joins none of them.
    for (std::string_view name : r.rooms) {
        auto it = c.app->rooms.find(name);
        if (it == c.app->rooms.end()) {
            if (!cfg.room_auto_create) {
                reply_error(c, ack, easyrtc::error::msg_reject_bad_room, now, out);
                return;
            }
        } else if (!c.rooms.contains(name) && is_full(it->second)) {
            reply_error(c, ack, easyrtc::error::msg_reject_room_full, now, out);
            return;
        }
    }
    std::string blocks;
    for (std::string_view name : r.rooms) {
        room& target = room_named(*c.app, name);
        // Joining a room again changes nothing and tells nobody; the ack still lists it.
        if (!c.rooms.contains(name)) {
            join(c, target, now, out);
        }
        if (!blocks.empty()) {
            blocks += ',';
        }
        detail::append_join_block(blocks, target);
    }
    reply(c, ack,
          std::make_shared<const std::string>(
              easyrtc::typed_reply("roomData", detail::room_data(blocks))),
          out);
}

void signaling_core::impl::on(connection& c, ack_id ack, const easyrtc::room_leave& r,
                              clock_reading now, actions& out) {
    std::string blocks;
    for (std::string_view name : r.rooms) {
        auto it = c.rooms.find(name);
        if (it != c.rooms.end()) {
            leave(c, it, now, out, true);
        }
        // Acked as left even when the client was not in it, as the reference does.
        if (!blocks.empty()) {
            blocks += ',';
        }
        detail::append_leave_block(blocks, name);
    }
    reply(c, ack,
          std::make_shared<const std::string>(
              easyrtc::typed_reply("roomData", detail::room_data(blocks))),
          out);
}

void signaling_core::impl::on(connection& c, ack_id ack, const easyrtc::set_presence& r,
                              clock_reading now, actions& out) {
    apply_presence(c, r.presence);
    const std::string blocks = announce_self(c, now, out);
    reply(c, ack,
          std::make_shared<const std::string>(
              easyrtc::typed_reply("roomData", detail::room_data(blocks))),
          out);
}

void signaling_core::impl::on(connection& c, ack_id ack, easyrtc::set_room_api_field& r,
                              clock_reading now, actions& out) {
    auto it = c.rooms.find(r.room);
    if (it == c.rooms.end()) {
        reply_error(c, ack, easyrtc::error::msg_reject_bad_room, now, out);
        return;
    }
    it->second.api_field = std::move(r.field);
    std::string block;
    detail::append_update_block(block, c, it->second);
    // The ack and the peers' push carry the same msgData, serialized once.
    const std::string data = detail::room_data(block);
    const auto frame = std::make_shared<const protocol::push_frame>(
        easyrtc::cmd_frame(R"("msgData":)" + data, "roomData", now.wall_ms));
    for (const connection* member : it->second.where->members) {
        if (member != &c) {
            detail::push_to(*member, frame, out);
        }
    }
    reply(c, ack, std::make_shared<const std::string>(easyrtc::typed_reply("roomData", data)), out);
}

void signaling_core::impl::on(connection& c, ack_id ack, const easyrtc::set_user_cfg& r,
                              clock_reading, actions& out) {
    apply_user_cfg(c, r.cfg);
    reply_ack(c, ack, out);
}

void signaling_core::impl::on(connection& c, ack_id ack, const easyrtc::still_alive&, clock_reading,
                              actions& out) {
    // Liveness was already refreshed by request(). Acked even with stillAlive off: old clients
    // send it and the reference's MSG_REJECT_BAD_TYPE would only fill their logs.
    reply_ack(c, ack, out);
}

} // namespace switchboard::core
