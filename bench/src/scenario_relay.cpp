#include "connect_phase.hpp"
#include "latency.hpp"
#include "process_stats.hpp"
#include "scenarios.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>

#include <charconv>
#include <deque>

namespace switchboard::bench {

namespace {

using clock = std::chrono::steady_clock;

struct pair_state {
    client_ptr sender;
    client_ptr receiver;
    std::uint64_t next_seq = 0;
    std::uint64_t expected_seq = 0;
    std::deque<clock::time_point> in_flight; // send (or scheduled) time of each undelivered seq
};

struct relay_state {
    explicit relay_state(run_context& c)
        : ctx(c) {}

    run_context& ctx;
    std::vector<pair_state> pairs;
    bool sending = true;
    bool closed_loop = true;
    bool measuring = false;
    std::uint64_t delivered = 0;
    std::uint64_t delivered_in_window = 0;
    std::uint64_t acks_outstanding = 0;
    latency_recorder latency;

    void send(pair_state& p, clock::time_point at) {
        // A realistic host candidate; its foundation carries the sequence number.
        std::string body =
            R"({"msgType":"candidate","targetEasyrtcid":")" + p.receiver->easyrtcid() +
            R"(","msgData":{"type":"candidate","label":0,"id":"0","candidate":"candidate:)" +
            std::to_string(p.next_seq++) +
            R"( 1 udp 2122260223 192.0.2.10 54400 typ host generation 0"}})";
        p.in_flight.push_back(at);
        ++acks_outstanding;
        p.sender->emit("easyrtcCmd", body, [this](bench_client& c, const json::object& reply) {
            --acks_outstanding;
            if (const auto* t = reply.if_contains("msgType"); !string_is(t, "ack"))
                ctx.checks.fail("relay from client " + std::to_string(c.index()) + " answered " +
                                json::serialize(reply));
        });
    }

    void delivered_to(pair_state& p, const json::object& body) {
        const auto now = clock::now();
        const auto* sender = body.if_contains("senderEasyrtcid");
        const auto* data = body.if_contains("msgData");
        const auto* cand =
            data && data->is_object() ? data->get_object().if_contains("candidate") : nullptr;
        if (!string_is(sender, p.sender->easyrtcid()) || !cand || !cand->is_string() ||
            body.contains("targetEasyrtcid")) {
            ctx.checks.fail("malformed relay: " + json::serialize(body));
            return;
        }
        const std::string_view text = cand->get_string();
        std::uint64_t seq = 0;
        constexpr std::string_view prefix = "candidate:";
        if (!text.starts_with(prefix) ||
            std::from_chars(text.data() + prefix.size(), text.data() + text.size(), seq).ec !=
                std::errc{}) {
            ctx.checks.fail("relay lost its candidate text");
            return;
        }
        // One connection carries the pair, so relays arrive in order: anything but the next
        // number is a loss, a duplicate or a reordering.
        if (seq != p.expected_seq || p.in_flight.empty()) {
            ctx.checks.fail("pair receiver " + std::to_string(p.receiver->index()) + " got seq " +
                            std::to_string(seq) + ", expected " + std::to_string(p.expected_seq));
            return;
        }
        ++p.expected_seq;
        const auto sent = p.in_flight.front();
        p.in_flight.pop_front();
        ++delivered;
        if (measuring) {
            ++delivered_in_window;
            latency.add(now - sent);
        }
        if (closed_loop && sending)
            send(p, now);
    }

    std::size_t undelivered() const {
        std::size_t n = 0;
        for (const auto& p : pairs)
            n += p.in_flight.size();
        return n;
    }
};

// Sends at `rate` relays/s across the pairs in turn; each relay's latency counts from when it
// was due, so a late generator or server is not hidden (no coordinated omission).
net::awaitable<void> open_loop(relay_state& st, double rate) {
    using namespace std::chrono_literals;
    net::steady_timer timer(st.ctx.ioc);
    const auto start = clock::now();
    std::uint64_t sent = 0;
    std::size_t next_pair = 0;
    auto tick = start;
    while (st.sending) {
        const double elapsed = std::chrono::duration<double>(clock::now() - start).count();
        const auto due = static_cast<std::uint64_t>(elapsed * rate);
        while (sent < due && st.sending) {
            const auto at =
                start + std::chrono::duration_cast<clock::duration>(
                            std::chrono::duration<double>(static_cast<double>(sent) / rate));
            st.send(st.pairs[next_pair], at);
            next_pair = (next_pair + 1) % st.pairs.size();
            ++sent;
        }
        tick += 500us;
        timer.expires_at(tick);
        co_await timer.async_wait(net::as_tuple(net::use_awaitable));
    }
}

} // namespace

net::awaitable<scenario_report> run_relay(run_context& ctx, common_options common,
                                          relay_options opt) {
    using namespace std::chrono_literals;
    scenario_report r;
    r.scenario = opt.rate > 0 ? "relay_open" : "relay";
    const std::size_t pairs = std::max<std::size_t>(1, opt.pairs);
    const std::function<std::string(std::size_t)> auth = [](std::size_t i) {
        return auth_into_room(i, "r" + std::to_string(i / 2));
    };
    auto clients = co_await connect_clients(ctx, 2 * pairs, common.concurrency, auth);
    relay_state st(ctx);
    st.closed_loop = opt.rate <= 0;
    for (std::size_t i = 0; i < pairs; ++i) {
        if (!clients[2 * i] || !clients[2 * i + 1])
            continue;
        st.pairs.push_back({clients[2 * i], clients[2 * i + 1], 0, 0, {}});
    }
    for (std::size_t i = 0; i < st.pairs.size(); ++i) {
        st.pairs[i].receiver->on_push = [&st, i](bench_client&, std::string_view event,
                                                 const json::object& body) {
            if (const auto* t = body.if_contains("msgType"); string_is(t, "candidate")) {
                if (event != "easyrtcCmd")
                    st.ctx.checks.fail("candidate relayed as " + std::string(event));
                st.delivered_to(st.pairs[i], body);
            }
        };
        st.pairs[i].sender->on_push = [&st](bench_client& c, std::string_view,
                                            const json::object& body) {
            if (const auto* t = body.if_contains("msgType"); string_is(t, "candidate"))
                st.ctx.checks.fail("sender " + std::to_string(c.index()) + " received a relay");
        };
    }
    if (st.pairs.empty()) {
        finish_report(r, ctx);
        co_return r;
    }

    if (st.closed_loop) {
        const auto now = clock::now();
        for (auto& p : st.pairs)
            for (std::size_t w = 0; w < std::max<std::size_t>(1, opt.window); ++w)
                st.send(p, now);
    } else {
        net::co_spawn(ctx.ioc, open_loop(st, opt.rate), net::detached);
    }
    co_await sleep_for(opt.warmup);
    st.measuring = true;
    cpu_window window(common.server_pid);
    co_await sleep_for(opt.duration);
    window.stop();
    st.measuring = false;
    st.sending = false;
    co_await sleep_for(2ms); // lets the open-loop sender see it and end before `st` goes

    const std::function<bool()> drained = [&] {
        return st.undelivered() == 0 && st.acks_outstanding == 0;
    };
    if (!co_await wait_until(drained, 10000ms))
        ctx.checks.fail(std::to_string(st.undelivered()) + " relays never delivered, " +
                        std::to_string(st.acks_outstanding) + " never acked");

    const double n = static_cast<double>(st.delivered_in_window);
    r.add("connections", static_cast<double>(2 * st.pairs.size()), "");
    if (st.closed_loop)
        r.add("window_per_pair", static_cast<double>(opt.window), "");
    else
        r.add("offered_rate", opt.rate, "1/s");
    r.add("relays_per_s", n / window.wall_seconds(), "1/s");
    add_window_figures(r, st.latency, window, n, "relay");
    r.add("relays_total", static_cast<double>(st.delivered), "");
    for (auto& p : st.pairs) {
        p.receiver->on_push = nullptr;
        p.sender->on_push = nullptr;
    }
    close_all(clients);
    finish_report(r, ctx);
    co_return r;
}

} // namespace switchboard::bench
