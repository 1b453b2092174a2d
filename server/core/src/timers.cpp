#include "core_state.hpp"
#include "switchboard/protocol/easyrtc_envelopes.hpp"

#include <boost/assert.hpp>

// Deadlines kept in one ordered set: stillAlive expiry and ICE credential refresh.
namespace switchboard::core {

void signaling_core::impl::arm_still_alive(connection& c, detail::steady_time now) {
    // The timer is not moved on every message: activity only updates last_seen, and an expiry
    // that finds recent activity re-arms itself (expire below). That keeps activity O(1).
    if (cfg.still_alive_interval.count() <= 0 || c.alive_check) {
        return;
    }
    c.last_seen = now;
    c.alive_check = now + cfg.still_alive_interval + cfg.still_alive_grace;
    timers.insert({*c.alive_check, c.id, detail::timer_kind::still_alive});
}

void signaling_core::impl::schedule_ice_refresh(connection& c, detail::steady_time now) {
    if (c.ice_refresh) {
        timers.erase({*c.ice_refresh, c.id, detail::timer_kind::ice_refresh});
        c.ice_refresh.reset();
    }
    const auto lifetime = ice->credential_lifetime(c.app->name);
    if (!lifetime || lifetime->count() <= 0) {
        return;
    }
    // Refresh at 80-90% of the lifetime, spread by the id so connections that signed in
    // together (say, after a restart) do not all refresh in the same tick.
    const auto percent = static_cast<long>(80 + std::hash<std::string_view>{}(c.easyrtcid) % 11);
    const auto delay =
        std::chrono::duration_cast<std::chrono::steady_clock::duration>(*lifetime) * percent / 100;
    c.ice_refresh = now + delay;
    timers.insert({*c.ice_refresh, c.id, detail::timer_kind::ice_refresh});
}

void signaling_core::impl::cancel_timers(connection& c) {
    if (c.alive_check) {
        timers.erase({*c.alive_check, c.id, detail::timer_kind::still_alive});
        c.alive_check.reset();
    }
    if (c.ice_refresh) {
        timers.erase({*c.ice_refresh, c.id, detail::timer_kind::ice_refresh});
        c.ice_refresh.reset();
    }
}

boost::json::array signaling_core::impl::fresh_ice_servers(connection& c, clock_reading now) {
    boost::json::array servers = ice->servers_for(
        c.app->name, c.easyrtcid, c.username ? std::string_view(*c.username) : std::string_view{},
        now.wall_ms);
    schedule_ice_refresh(c, now.steady);
    return servers;
}

void signaling_core::impl::expire(const detail::timer& t, clock_reading now, actions& out) {
    // Timers exist only for authenticated connections; release() cancels them.
    auto it = conns.find(t.who);
    BOOST_ASSERT(it != conns.end());
    connection& c = it->second;
    if (t.kind == detail::timer_kind::ice_refresh) {
        c.ice_refresh.reset();
        detail::push_to(
            c,
            std::make_shared<const protocol::push_frame>(
                protocol::easyrtc::ice_config_frame(fresh_ice_servers(c, now), now.wall_ms)),
            out);
        return;
    }
    c.alive_check.reset();
    const detail::steady_time due = c.last_seen + cfg.still_alive_interval + cfg.still_alive_grace;
    if (due > now.steady) {
        c.alive_check = due;
        timers.insert({due, c.id, detail::timer_kind::still_alive});
        return;
    }
    // Silent for too long: exactly a disconnect (removeClient deltas), then the close.
    close_connection(c, close_reason::still_alive_timeout, now, out, true);
}

} // namespace switchboard::core
