#include "switchboard/core/signaling_core.hpp"

#include "core_state.hpp"
#include "switchboard/protocol/easyrtc_envelopes.hpp"
#include "switchboard/protocol/easyrtc_validation.hpp"

#include <stdexcept>

namespace switchboard::core {

namespace detail {

void push_to(const connection& c, std::shared_ptr<const protocol::push_frame> frame, actions& out) {
    flush_outbox(c, out);
    out.emplace_back(push{c.id, std::move(frame), recipient_id(c.easyrtcid)});
}

const std::shared_ptr<const std::string>& ack_payload() {
    static const auto ack = std::make_shared<const std::string>(easyrtc::ack_reply);
    return ack;
}

} // namespace detail

namespace {

void require_name(bool valid, std::string_view what, std::string_view name) {
    if (!valid) {
        throw std::invalid_argument("invalid " + std::string(what) + " name: '" +
                                    std::string(name) + "'");
    }
}

} // namespace

signaling_core::impl::impl(config c, id_generator g, std::shared_ptr<ice_source> i)
    : cfg(std::move(c))
    , ids(std::move(g))
    , ice(std::move(i)) {
    if (!ids || !ice) {
        throw std::invalid_argument("signaling_core needs an id generator and an ice_source");
    }
    require_name(protocol::easyrtc::is_app_name(cfg.default_app), "application", cfg.default_app);
    require_name(protocol::easyrtc::is_room_name(cfg.default_room), "room", cfg.default_room);
    create_app(cfg.default_app);
    for (const std::string& name : cfg.applications) {
        require_name(protocol::easyrtc::is_app_name(name), "application", name);
        if (find_app(name) == nullptr) {
            create_app(name);
        }
    }
}

signaling_core::impl::connection* signaling_core::impl::live(conn_id c) {
    auto it = conns.find(c);
    return it != conns.end() && it->second.state != detail::conn_state::closing ? &it->second
                                                                                : nullptr;
}

void signaling_core::impl::reply(const connection& c, ack_id ack,
                                 std::shared_ptr<const std::string> payload, actions& out,
                                 std::optional<protocol::easyrtc::error> error) {
    if (ack) {
        detail::flush_outbox(c, out);
        out.emplace_back(core::reply{c.id, *ack, std::move(payload), error});
    }
}

void signaling_core::impl::reply_ack(const connection& c, ack_id ack, actions& out) {
    reply(c, ack, detail::ack_payload(), out);
}

void signaling_core::impl::reply_error(const connection& c, ack_id ack, protocol::easyrtc::error e,
                                       clock_reading now, actions& out) {
    if (ack) {
        reply(c, ack,
              std::make_shared<const std::string>(protocol::easyrtc::error_reply(e, now.wall_ms)),
              out, e);
    }
}

void signaling_core::impl::release(connection& c, clock_reading now, actions& out,
                                   bool tell_peers) {
    leave_all(c, now, out, tell_peers);
    c.outbox.rooms.clear(); // deltas for rooms it has left: no longer its business
    leave_session(c);
    cancel_timers(c);
    if (c.state == detail::conn_state::authenticated) {
        by_easyrtcid.erase(c.easyrtcid);
        --authenticated_count;
    }
    c.app = nullptr;
    c.state = detail::conn_state::connected;
}

void signaling_core::impl::close_connection(connection& c, close_reason why, clock_reading now,
                                            actions& out, bool tell_peers) {
    release(c, now, out, tell_peers);
    c.state = detail::conn_state::closing;
    --open_count;
    out.emplace_back(core::close{c.id, why});
}

signaling_core::signaling_core(config cfg, id_generator ids, std::shared_ptr<ice_source> ice)
    : impl_(std::make_unique<impl>(std::move(cfg), std::move(ids), std::move(ice))) {}

signaling_core::~signaling_core() = default;

void signaling_core::connect(conn_id c, clock_reading now) {
    auto [it, fresh] = impl_->conns.try_emplace(c);
    if (fresh) {
        it->second.id = c;
        it->second.last_seen = now.steady;
        ++impl_->open_count;
    }
}

void signaling_core::request(conn_id c, channel ch, std::optional<std::uint64_t> ack_id,
                             const boost::json::value& body, clock_reading now, actions& out) {
    // Unknown or already closed by the core: the transport is going away and nothing sent now
    // could reach the client, so the request is dropped without a reply.
    impl::connection* conn = impl_->live(c);
    if (conn == nullptr) {
        return;
    }
    conn->last_seen = now.steady;
    if (!conn->bucket.try_take(now.steady, impl_->cfg.rate_limit_burst,
                               impl_->cfg.rate_limit_per_second)) {
        impl_->reply_error(*conn, ack_id, protocol::easyrtc::error::msg_reject_rate_limited, now,
                           out);
        return;
    }
    switch (ch) {
    case channel::auth:
        impl_->authenticate(*conn, ack_id, body, now, out);
        return;
    case channel::cmd:
        impl_->command(*conn, ack_id, body, now, out);
        return;
    case channel::msg:
        impl_->app_message(*conn, ack_id, body, now, out);
        return;
    }
}

void signaling_core::activity(conn_id c, clock_reading now) {
    if (impl::connection* conn = impl_->live(c)) {
        conn->last_seen = now.steady;
    }
}

void signaling_core::disconnect(conn_id c, clock_reading now, actions& out) {
    auto it = impl_->conns.find(c);
    if (it == impl_->conns.end()) {
        return;
    }
    if (it->second.state != detail::conn_state::closing) {
        impl_->release(it->second, now, out, true);
        --impl_->open_count;
    }
    impl_->conns.erase(it);
}

void signaling_core::tick(clock_reading now, actions& out) {
    if (impl_->deltas_due && *impl_->deltas_due <= now.steady) {
        impl_->flush_deltas(out);
    }
    while (!impl_->timers.empty() && impl_->timers.begin()->at <= now.steady) {
        const detail::timer due = *impl_->timers.begin();
        impl_->timers.erase(impl_->timers.begin());
        impl_->expire(due, now, out);
    }
}

std::optional<std::chrono::steady_clock::time_point> signaling_core::next_deadline() const {
    std::optional<std::chrono::steady_clock::time_point> next = impl_->deltas_due;
    if (!impl_->timers.empty() && (!next || impl_->timers.begin()->at < *next)) {
        next = impl_->timers.begin()->at;
    }
    return next;
}

void signaling_core::announce_shutdown(clock_reading now, actions& out) {
    impl_->shutting_down = true;
    const auto notice = std::make_shared<const protocol::push_frame>(
        protocol::easyrtc::error_frame(protocol::easyrtc::error::server_shutdown, now.wall_ms));
    for (auto& [id, conn] : impl_->conns) {
        if (conn.state == detail::conn_state::closing) {
            continue;
        }
        if (conn.state == detail::conn_state::authenticated) {
            detail::push_to(conn, notice, out);
        }
        // Every peer is leaving too: removeClient deltas would only be noise.
        impl_->close_connection(conn, close_reason::server_shutdown, now, out, false);
    }
}

core::stats signaling_core::stats() const {
    core::stats s;
    s.connections = impl_->open_count;
    s.authenticated = impl_->authenticated_count;
    s.applications = impl_->apps.size();
    s.rooms = impl_->room_count;
    s.occupants = impl_->occupant_count;
    return s;
}

std::optional<connection_info> signaling_core::describe(conn_id c) const {
    auto it = impl_->conns.find(c);
    if (it == impl_->conns.end() || it->second.state == detail::conn_state::closing) {
        return std::nullopt;
    }
    const impl::connection* conn = &it->second;
    connection_info info;
    if (conn->state == detail::conn_state::authenticated) {
        info.easyrtcid = conn->easyrtcid;
        info.application = conn->app->name;
        info.username = conn->username;
        info.rooms = conn->rooms.size();
        info.credential = conn->credential.empty() ? nullptr : &conn->credential;
        info.user_settings = conn->user_settings.empty() ? nullptr : &conn->user_settings;
        info.p2p_list = conn->p2p_list.empty() ? nullptr : &conn->p2p_list;
    }
    return info;
}

} // namespace switchboard::core
