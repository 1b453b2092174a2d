#include "connect_phase.hpp"
#include "process_stats.hpp"
#include "scenarios.hpp"

namespace switchboard::bench {

void finish_report(scenario_report& r, const run_context& ctx) {
    r.failures = ctx.checks.failures();
    r.first_failures = ctx.checks.first_failures();
}

void add_window_figures(scenario_report& r, latency_recorder& latency, const cpu_window& window,
                        double count, const std::string& unit) {
    r.add("latency_p50_us", latency.percentile_us(0.50), "us");
    r.add("latency_p99_us", latency.percentile_us(0.99), "us");
    r.add("latency_p999_us", latency.percentile_us(0.999), "us");
    r.add("latency_max_us", latency.percentile_us(1.0), "us");
    if (window.server_cpu_seconds() >= 0 && count > 0) {
        r.add("server_cpu_per_" + unit + "_us", window.server_cpu_seconds() / count * 1e6, "us");
        r.add("server_cpu", window.server_cpu_seconds() / window.wall_seconds() * 100, "% core");
    }
    r.add("generator_cpu", window.self_cpu_seconds() / window.wall_seconds() * 100, "% core");
}

net::awaitable<scenario_report> run_connect(run_context& ctx, common_options common,
                                            connect_options opt) {
    using namespace std::chrono_literals;
    scenario_report r;
    r.scenario = "connect";
    const std::size_t n = opt.clients;
    const std::size_t room_size = std::max<std::size_t>(1, opt.room_size);
    auto room_of = [&](std::size_t i) { return "c" + std::to_string(i / room_size); };

    const auto before = sample_process(common.server_pid);
    cpu_window connecting(common.server_pid);
    const std::function<std::string(std::size_t)> auth = [&](std::size_t i) {
        return auth_into_room(i, room_of(i));
    };
    auto clients = co_await connect_clients(ctx, n, common.concurrency, auth);
    connecting.stop();

    // Deltas to earlier members may still be in flight when the last token lands.
    auto expected_size = [&](std::size_t i) {
        const std::size_t first = i / room_size * room_size;
        return std::min(room_size, n - first);
    };
    const std::function<bool()> settled = [&] {
        for (std::size_t i = 0; i < n; ++i) {
            if (!clients[i])
                continue;
            auto it = clients[i]->rooms().find(room_of(i));
            if (it == clients[i]->rooms().end() || it->second.size() != expected_size(i))
                return false;
        }
        return true;
    };
    co_await wait_until(settled, 5000ms);
    co_await sleep_for(200ms); // the reference's second delta per join trails the token
    const auto connected = sample_process(common.server_pid);

    cpu_window idle(common.server_pid);
    co_await sleep_for(opt.idle);
    idle.stop();

    // Every view must be exactly its room's membership, and every request answered.
    std::size_t open = 0;
    for (std::size_t i = 0; i < n; ++i) {
        if (!clients[i] || !clients[i]->is_open())
            continue;
        ++open;
        if (clients[i]->pending_acks() != 0)
            ctx.checks.fail("client " + std::to_string(i) + " has unanswered requests");
        auto it = clients[i]->rooms().find(room_of(i));
        bool exact = it != clients[i]->rooms().end() && it->second.size() == expected_size(i);
        const std::size_t first = i / room_size * room_size;
        for (std::size_t j = first; exact && j < first + expected_size(i); ++j)
            exact = clients[j] && it->second.contains(clients[j]->easyrtcid());
        if (!exact)
            ctx.checks.fail("client " + std::to_string(i) + " has a wrong view of " + room_of(i));
    }
    if (open != n)
        ctx.checks.fail(std::to_string(n - open) + " of " + std::to_string(n) +
                        " clients not connected at the end");

    const double nd = static_cast<double>(n);
    r.add("clients", nd, "");
    r.add("room_size", static_cast<double>(room_size), "");
    r.add("connect_auth_per_s", nd / connecting.wall_seconds(), "1/s");
    r.add("generator_cpu_connect", connecting.self_cpu_seconds() / connecting.wall_seconds() * 100,
          "% core");
    if (connecting.server_cpu_seconds() >= 0) {
        r.add("server_cpu_per_connect_us", connecting.server_cpu_seconds() / nd * 1e6, "us");
        r.add("server_cpu_connect",
              connecting.server_cpu_seconds() / connecting.wall_seconds() * 100, "% core");
    }
    if (before && connected) {
        const double delta =
            static_cast<double>(connected->rss_kib) - static_cast<double>(before->rss_kib);
        r.add("server_rss_per_conn", delta * 1024.0 / nd, "B");
        r.add("server_rss_total", static_cast<double>(connected->rss_kib) / 1024.0, "MiB");
    }
    if (idle.server_cpu_seconds() >= 0)
        r.add("server_cpu_idle", idle.server_cpu_seconds() / idle.wall_seconds() * 100, "% core");
    r.add("update_deltas", static_cast<double>(ctx.update_deltas), "");
    r.add("duplicate_update_deltas", static_cast<double>(ctx.duplicate_update_deltas), "");
    close_all(clients);
    finish_report(r, ctx);
    co_return r;
}

} // namespace switchboard::bench
