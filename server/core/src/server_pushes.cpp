#include "core_state.hpp"
#include "room_data.hpp"
#include "switchboard/protocol/easyrtc_envelopes.hpp"
#include "switchboard/protocol/easyrtc_json.hpp"

// Server-originated easyrtcCmd messages (spec §2.3) that server features use through the API.
namespace switchboard::core {

namespace easyrtc = protocol::easyrtc;

namespace {

detail::connection* signed_in(std::unordered_map<conn_id, detail::connection>& conns, conn_id c) {
    auto it = conns.find(c);
    return it != conns.end() && it->second.state == detail::conn_state::authenticated ? &it->second
                                                                                      : nullptr;
}

} // namespace

bool signaling_core::push_ice_config(conn_id c, clock_reading now, actions& out) {
    detail::connection* conn = signed_in(impl_->conns, c);
    if (conn == nullptr) {
        return false;
    }
    detail::push_to(*conn,
                    std::make_shared<const protocol::push_frame>(easyrtc::ice_config_frame(
                        impl_->fresh_ice_servers(*conn, now), now.wall_ms)),
                    out);
    return true;
}

bool signaling_core::push_forward_to_url(conn_id c, std::string_view url, bool new_window,
                                         clock_reading now, actions& out) {
    detail::connection* conn = signed_in(impl_->conns, c);
    if (conn == nullptr) {
        return false;
    }
    detail::push_to(*conn,
                    std::make_shared<const protocol::push_frame>(
                        easyrtc::forward_to_url_frame(url, new_window, now.wall_ms)),
                    out);
    return true;
}

bool signaling_core::push_error(conn_id c, protocol::easyrtc::error e, clock_reading now,
                                actions& out) {
    detail::connection* conn = signed_in(impl_->conns, c);
    if (conn == nullptr) {
        return false;
    }
    detail::push_to(
        *conn, std::make_shared<const protocol::push_frame>(easyrtc::error_frame(e, now.wall_ms)),
        out);
    return true;
}

bool signaling_core::set_room_fields(std::string_view application, std::string_view room_name,
                                     const boost::json::object& fields, clock_reading now,
                                     actions& out) {
    detail::application* app = impl_->find_app(application);
    if (app == nullptr) {
        return false;
    }
    auto it = app->rooms.find(room_name);
    auto field = detail::shared_fields(fields);
    if (it == app->rooms.end() || !field) {
        return false;
    }
    detail::room& r = it->second;
    r.field = std::move(*field);
    if (!r.members.empty()) {
        std::string block;
        detail::append_field_block(block, r);
        const auto frame = detail::room_data_push(block, now.wall_ms);
        for (const detail::connection* member : r.members) {
            detail::push_to(*member, frame, out);
        }
    }
    return true;
}

bool signaling_core::set_session_fields(std::string_view easyrtcsid,
                                        const boost::json::object& fields, clock_reading now,
                                        actions& out) {
    auto it = impl_->sessions.find(easyrtcsid);
    auto field = detail::shared_fields(fields);
    if (it == impl_->sessions.end() || !field) {
        return false;
    }
    detail::session& s = it->second;
    s.field = std::move(*field);
    std::string body = R"("msgData":{"sessionData":{"easyrtcsid":)";
    easyrtc::append_json_string(body, easyrtcsid);
    body += R"(,"sessionStatus":"update","field":)";
    body += s.field.empty() ? std::string_view("{}") : std::string_view(s.field);
    body += "}}";
    const auto frame = std::make_shared<const protocol::push_frame>(
        easyrtc::cmd_frame(body, "sessionData", now.wall_ms));
    for (const detail::connection* member : s.members) {
        detail::push_to(*member, frame, out);
    }
    return true;
}

} // namespace switchboard::core
