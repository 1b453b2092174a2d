#include "switchboard/server/hub.hpp"

#include "switchboard/server/engine_session.hpp"
#include "switchboard/server/logging.hpp"
#include "switchboard/server/metrics.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace switchboard::server {

namespace {

template <class... Ts>
struct overloaded : Ts... {
    using Ts::operator()...;
};

} // namespace

hub::hub(net::io_context& ioc, core::config cfg, core::id_generator ids,
         std::shared_ptr<core::ice_source> ice)
    : strand_(net::make_strand(ioc))
    , core_(std::move(cfg), std::move(ids), std::move(ice))
    , timer_(strand_) {
    net::co_spawn(strand_, run_timer(), net::detached);
}

core::clock_reading hub::now() {
    using namespace std::chrono;
    return {duration_cast<milliseconds>(system_clock::now().time_since_epoch()).count(),
            steady_clock::now()};
}

void hub::connected(core::conn_id c, std::weak_ptr<engine_session> s) {
    net::post(strand_, [this, c, s = std::move(s)]() mutable {
        sessions_.emplace(c, std::move(s));
        core_.connect(c, now());
        carry_out();
    });
}

void hub::request(core::conn_id c, core::channel ch, std::optional<std::uint64_t> ack_id,
                  boost::json::value body, std::chrono::steady_clock::time_point received_at) {
    net::post(strand_, [this, c, ch, ack_id, body = std::move(body), received_at] {
        auto& m = metrics::instance();
        std::string_view type; // easyrtcMsg types are the application's, counted as one
        if (const auto* o = body.if_object(); o && ch != core::channel::msg)
            if (const auto* t = o->if_contains("msgType"); t && t->is_string())
                type = t->get_string();
        m.message_in(ch, metrics::type_index(ch, type));
        core_.request(c, ch, ack_id, body, now(), actions_);
        for (const auto& a : actions_)
            if (const auto* r = std::get_if<core::reply>(&a)) {
                m.reply_out(ch, r->error);
                if (r->error)
                    log_refusal(c, ch, *r->error);
            }
        carry_out();
        m.request_handled(std::chrono::steady_clock::now() - received_at);
    });
}

void hub::activity(core::conn_id c) {
    net::post(strand_, [this, c] { core_.activity(c, now()); });
}

void hub::disconnected(core::conn_id c) {
    net::post(strand_, [this, c] {
        if (sessions_.erase(c) == 0)
            return; // never reached socket.io CONNECT, the core has nothing of it
        core_.disconnect(c, now(), actions_);
        carry_out();
    });
}

void hub::announce_shutdown() {
    net::post(strand_, [this] {
        core_.announce_shutdown(now(), actions_);
        carry_out();
    });
}

core::stats hub::stats() const {
    std::lock_guard lock(stats_mutex_);
    return stats_;
}

// One line per refused sign-in and per limit hit; ordinary validation errors stay at debug.
void hub::log_refusal(core::conn_id c, core::channel ch, protocol::easyrtc::error e) {
    using protocol::easyrtc::error;
    const bool limit = e == error::msg_reject_rate_limited || e == error::login_room_full ||
                       e == error::msg_reject_room_full;
    const auto level = limit                       ? spdlog::level::warn
                       : ch == core::channel::auth ? spdlog::level::info
                                                   : spdlog::level::debug;
    log_event(level,
              limit                       ? "limit hit"
              : ch == core::channel::auth ? "sign-in refused"
                                          : "request refused",
              {{"conn", static_cast<std::int64_t>(c)},
               {"code", protocol::easyrtc::error_code(e)},
               {"reason", protocol::easyrtc::error_text(e)}});
}

std::shared_ptr<engine_session> hub::session(core::conn_id c) const {
    auto it = sessions_.find(c);
    return it == sessions_.end() ? nullptr : it->second.lock();
}

void hub::carry_out() {
    std::size_t pushes = 0;
    for (auto& a : actions_) {
        std::visit(overloaded{
                       [this](core::reply& r) {
                           if (auto s = session(r.to))
                               s->deliver_reply(r.ack_id, std::move(r.payload));
                       },
                       [this, &pushes](core::push& p) {
                           ++pushes;
                           if (auto s = session(p.to))
                               s->deliver_push(std::move(p.frame), p.easyrtcid);
                       },
                       [this](core::close& c) {
                           if (auto s = session(c.who))
                               s->disconnect(close_cause::signaling);
                       },
                   },
                   a);
    }
    actions_.clear();
    metrics::instance().push_out(pushes);
    {
        std::lock_guard lock(stats_mutex_);
        stats_ = core_.stats();
    }
    rearm_timer();
}

void hub::rearm_timer() {
    auto due = core_.next_deadline().value_or(std::chrono::steady_clock::time_point::max());
    if (due < timer_due_)
        timer_.cancel(); // run_timer wakes and waits for the earlier deadline
}

awaitable<void> hub::run_timer() {
    for (;;) {
        timer_due_ = core_.next_deadline().value_or(std::chrono::steady_clock::time_point::max());
        timer_.expires_at(timer_due_);
        auto [ec] = co_await timer_.async_wait(net::as_tuple(net::use_awaitable));
        if (ec && ec != net::error::operation_aborted)
            co_return;
        auto n = now();
        if (n.steady >= timer_due_) {
            core_.tick(n, actions_);
            carry_out();
        }
    }
}

} // namespace switchboard::server
