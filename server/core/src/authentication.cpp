#include "core_state.hpp"
#include "room_data.hpp"
#include "switchboard/protocol/easyrtc_envelopes.hpp"
#include "switchboard/protocol/easyrtc_json.hpp"
#include "switchboard/protocol/easyrtc_validation.hpp"

#include <algorithm>

// easyrtcAuth "authenticate" (spec §2.1, §3.3): sign-in, and re-sign-in on the same connection.
namespace switchboard::core {

namespace easyrtc = protocol::easyrtc;

namespace {

// A generator that keeps colliding or producing unusable ids is broken; give up and fail the
// sign-in rather than loop.
constexpr int id_attempts = 16;

} // namespace

void signaling_core::impl::refuse(connection& c, std::uint64_t ack, easyrtc::error e,
                                  clock_reading now, actions& out) {
    reply_error(c, ack, e, now, out);
    close_connection(c, close_reason::auth_failed, now, out, true);
}

std::optional<std::string> signaling_core::impl::new_easyrtcid() {
    for (int i = 0; i < id_attempts; ++i) {
        std::string id = ids();
        if (easyrtc::is_easyrtcid(id) && !by_easyrtcid.contains(id)) {
            return id;
        }
    }
    return std::nullopt;
}

bool signaling_core::impl::apply_presence(connection& c, const easyrtc::presence_update& p) {
    bool changed = false;
    if (p.show && *p.show != c.show) {
        c.show = *p.show;
        changed = true;
    }
    if (p.status && c.status != *p.status) {
        c.status = std::string(*p.status);
        changed = true;
    }
    if (p.type && c.presence_type != *p.type) {
        c.presence_type = std::string(*p.type);
        changed = true;
    }
    return changed;
}

void signaling_core::impl::apply_user_cfg(connection& c, const easyrtc::user_config& cfg_in) {
    // Replaced, not merged: a client cannot grow this without bound by sending new keys.
    if (cfg_in.user_settings != nullptr) {
        c.user_settings = *cfg_in.user_settings;
    }
    if (cfg_in.p2p_list != nullptr) {
        c.p2p_list = *cfg_in.p2p_list;
    }
}

void signaling_core::impl::join_session(connection& c, std::string_view easyrtcsid) {
    c.easyrtcsid = easyrtcsid;
    auto it = sessions.find(easyrtcsid);
    if (it == sessions.end()) {
        it = sessions.emplace(std::string(easyrtcsid), detail::session{}).first;
    }
    it->second.members.push_back(&c);
}

void signaling_core::impl::leave_session(connection& c) {
    if (c.easyrtcsid.empty()) {
        return;
    }
    auto it = sessions.find(c.easyrtcsid);
    auto& members = it->second.members;
    members.erase(std::find(members.begin(), members.end(), &c));
    if (members.empty()) {
        sessions.erase(it);
    }
    c.easyrtcsid.clear();
}

std::string signaling_core::impl::token(connection& c, clock_reading now) {
    // Field order as the reference emits it (spec §2.1).
    std::string data = R"({"roomData":{)";
    bool first = true;
    for (const auto& [name, m] : c.rooms) {
        if (!first) {
            data += ',';
        }
        first = false;
        detail::append_join_block(data, *m.where);
    }
    data += R"(},"application":{"applicationName":)";
    easyrtc::append_json_string(data, c.app->name);
    data += R"(},"easyrtcid":)";
    easyrtc::append_json_string(data, c.easyrtcid);
    data += ',';
    easyrtc::append_ice_config_member(data, fresh_ice_servers(c, now));
    data += R"(,"serverTime":)";
    easyrtc::append_json(data, now.wall_ms);
    if (!c.easyrtcsid.empty()) {
        data += R"(,"sessionData":{"easyrtcsid":)";
        easyrtc::append_json_string(data, c.easyrtcsid);
        const detail::session& s = sessions.find(c.easyrtcsid)->second;
        if (!s.field.empty()) {
            data += R"(,"field":)";
            data += s.field;
        }
        data += '}';
    }
    if (cfg.still_alive_interval.count() > 0) {
        data += R"(,"stillAliveInterval":)";
        easyrtc::append_json(data, static_cast<std::int64_t>(cfg.still_alive_interval.count()));
    }
    data += '}';
    return easyrtc::typed_reply("token", data);
}

void signaling_core::impl::authenticate(connection& c, ack_id ack, const boost::json::value& body,
                                        clock_reading now, actions& out) {
    // Without a callback there is no way to answer; the reference disconnects silently.
    if (!ack) {
        close_connection(c, close_reason::auth_failed, now, out, true);
        return;
    }
    if (shutting_down) {
        refuse(c, *ack, easyrtc::error::server_shutdown, now, out);
        return;
    }
    auto parsed = easyrtc::parse_auth(body);
    if (!parsed) {
        refuse(c, *ack, parsed.error(), now, out);
        return;
    }
    easyrtc::auth_request& req = parsed.value();

    application* app = find_app(req.application.value_or(cfg.default_app));
    if (app == nullptr) {
        if (!cfg.app_auto_create) {
            refuse(c, *ack, easyrtc::error::login_app_auth_fail, now, out);
            return;
        }
        app = &create_app(*req.application);
    }
    std::vector<std::string_view> wanted = std::move(req.rooms);
    if (wanted.empty() && cfg.room_default_enable) {
        wanted.push_back(cfg.default_room);
    }
    // Every room is checked before anything changes, so a refused sign-in leaves no half-joined
    // state behind (the reference joins room by room and stops at the first failure).
    const bool same_app = c.app == app;
    for (std::string_view name : wanted) {
        auto it = app->rooms.find(name);
        if (it == app->rooms.end()) {
            if (!cfg.room_auto_create) {
                refuse(c, *ack, easyrtc::error::login_bad_room, now, out);
                return;
            }
        } else if (!(same_app && c.rooms.contains(name)) && is_full(it->second)) {
            refuse(c, *ack, easyrtc::error::login_room_full, now, out);
            return;
        }
    }
    if (c.easyrtcid.empty()) {
        auto id = new_easyrtcid();
        if (!id) {
            refuse(c, *ack, easyrtc::error::login_gen_fail, now, out);
            return;
        }
        c.easyrtcid = std::move(*id);
    }

    // Re-authentication keeps the easyrtcid and the rooms already joined; peers only hear about
    // what really changed. Moving to another application is leaving every room of the old one.
    const bool signed_in = c.state == detail::conn_state::authenticated;
    if (signed_in && !same_app) {
        leave_all(c, now, out, true);
    }
    bool changed = false;
    std::optional<std::string> username;
    if (req.username) {
        username.emplace(*req.username);
    }
    if (username != c.username) {
        c.username = std::move(username);
        changed = true;
    }
    if (req.presence) {
        changed = apply_presence(c, *req.presence) || changed;
    }
    c.credential = req.credential != nullptr ? *req.credential : boost::json::object{};
    if (req.user_cfg) {
        apply_user_cfg(c, *req.user_cfg);
    }
    if (c.easyrtcsid != req.easyrtcsid.value_or(std::string_view{})) {
        leave_session(c);
        if (req.easyrtcsid) {
            join_session(c, *req.easyrtcsid);
        }
    }
    if (!signed_in) {
        c.state = detail::conn_state::authenticated;
        ++authenticated_count;
        by_easyrtcid.emplace(c.easyrtcid, &c);
    }
    c.app = app;
    if (changed && !c.rooms.empty()) {
        announce_self(c, now, out);
    }
    for (std::string_view name : wanted) {
        if (!c.rooms.contains(name)) {
            join(c, room_named(*app, name), now, out);
        }
    }
    arm_still_alive(c, now.steady);
    reply(c, ack, std::make_shared<const std::string>(token(c, now)), out);
}

} // namespace switchboard::core
