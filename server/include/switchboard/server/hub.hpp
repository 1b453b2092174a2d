#pragma once

#include "switchboard/core/signaling_core.hpp"
#include "switchboard/server/net.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/json/value.hpp>

#include <atomic>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>

namespace switchboard::server {

class engine_session;

// Confines the signaling core to one strand. Sessions post events in; the hub runs the core and
// posts the resulting replies and pushes to each target session's strand. The core's frames are
// shared, so a broadcast is serialized once however many sessions receive it.
class hub {
public:
    hub(net::io_context& ioc, core::config cfg, core::id_generator ids,
        std::shared_ptr<core::ice_source> ice);

    core::conn_id next_conn_id() noexcept { return next_id_.fetch_add(1); }

    void connected(core::conn_id c, std::weak_ptr<engine_session> s);
    void request(core::conn_id c, core::channel ch, std::optional<std::uint64_t> ack_id,
                 boost::json::value body, std::chrono::steady_clock::time_point received_at);
    void activity(core::conn_id c);
    void disconnected(core::conn_id c);
    // Tells every client the server is going away and closes them.
    void announce_shutdown();

    core::stats stats() const;

private:
    static core::clock_reading now();
    std::shared_ptr<engine_session> session(core::conn_id c) const;
    static void log_refusal(core::conn_id c, core::channel ch, protocol::easyrtc::error e);
    void carry_out();
    void rearm_timer();
    awaitable<void> run_timer();

    strand strand_;
    core::signaling_core core_;
    std::unordered_map<core::conn_id, std::weak_ptr<engine_session>> sessions_;
    core::actions actions_; // reused between batches
    net::steady_timer timer_;
    std::chrono::steady_clock::time_point timer_due_ = std::chrono::steady_clock::time_point::max();
    std::atomic<core::conn_id> next_id_{1};
    mutable std::mutex stats_mutex_;
    core::stats stats_;
};

} // namespace switchboard::server
