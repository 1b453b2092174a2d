#include "connect_phase.hpp"
#include "process_stats.hpp"
#include "scenarios.hpp"

#include <boost/json/serialize.hpp>

namespace switchboard::bench {

namespace {

using clock = std::chrono::steady_clock;
constexpr std::string_view storm_room = "storm";

struct storm_phase {
    std::size_t done = 0; // clients whose part of the phase is complete
    std::size_t acks = 0;
    clock::time_point start;
    clock::time_point finished;
    bool complete = false;
};

double ms_between(clock::time_point a, clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
}

} // namespace

net::awaitable<scenario_report> run_joinstorm(run_context& ctx, common_options common,
                                              joinstorm_options opt) {
    using namespace std::chrono_literals;
    scenario_report r;
    r.scenario = "joinstorm";
    const std::size_t n = std::max<std::size_t>(2, opt.clients);
    // Each client starts alone in a room of its own, so the storm is only the join.
    const std::function<std::string(std::size_t)> auth = [](std::size_t i) {
        return auth_into_room(i, "own" + std::to_string(i));
    };
    auto clients = co_await connect_clients(ctx, n, common.concurrency, auth);
    std::erase(clients, nullptr);
    const std::size_t live = clients.size();
    const std::uint64_t pairs = static_cast<std::uint64_t>(live) * (live - 1) / 2;

    // Join: done when every client's view of the room holds all of them.
    storm_phase join;
    std::vector<bool> full(live, false);
    std::size_t slot = 0;
    for (auto& c : clients) {
        c->on_room_change = [&, i = slot++](bench_client& self, std::string_view room) {
            if (room != storm_room || full[i])
                return;
            auto it = self.rooms().find(std::string(storm_room));
            if (it == self.rooms().end() || it->second.size() != live)
                return;
            full[i] = true;
            if (++join.done == live && join.acks == live) {
                join.finished = clock::now();
                join.complete = true;
            }
        };
    }
    const traffic before_join = ctx.wire;
    const std::uint64_t updates_before = ctx.update_deltas;
    cpu_window join_cpu(common.server_pid);
    join.start = clock::now();
    for (auto& c : clients) {
        c->emit("easyrtcCmd",
                R"({"msgType":"roomJoin","msgData":{"roomJoin":{"storm":{"roomName":"storm"}}}})",
                [&](bench_client& self, const json::object& reply) {
                    const auto* t = reply.if_contains("msgType");
                    const auto* md = reply.if_contains("msgData");
                    const auto* rd =
                        md && md->is_object() ? md->get_object().if_contains("roomData") : nullptr;
                    if (!string_is(t, "roomData") || !rd || !rd->is_object()) {
                        ctx.checks.fail("roomJoin answered " + json::serialize(reply));
                        return;
                    }
                    self.apply_room_data(rd->get_object());
                    if (++join.acks == live && join.done == live) {
                        join.finished = clock::now();
                        join.complete = true;
                    }
                });
    }
    const std::function<bool()> joined = [&] { return join.complete; };
    if (!co_await wait_until(joined, 60000ms))
        ctx.checks.fail("join storm incomplete: " + std::to_string(join.done) + " of " +
                        std::to_string(live) + " full views");
    join_cpu.stop();
    const traffic after_join = ctx.wire;
    const std::uint64_t join_updates = ctx.update_deltas - updates_before;
    // One updateClient per (earlier member, joiner) pair: fewer means a lost delta. The reference
    // may repeat them (spec §4), Switchboard must not.
    if (join_updates < pairs || (!ctx.tolerate_reference && join_updates != pairs))
        ctx.checks.fail("join storm delivered " + std::to_string(join_updates) +
                        " updateClient deltas, expected " + std::to_string(pairs));
    std::vector<std::string> ids;
    for (auto& c : clients)
        ids.push_back(c->easyrtcid());
    for (auto& c : clients) {
        auto it = c->rooms().find(std::string(storm_room));
        bool same = it != c->rooms().end() && it->second.size() == live;
        for (std::size_t j = 0; same && j < live; ++j)
            same = it->second.contains(ids[j]);
        if (!same)
            ctx.checks.fail("client " + std::to_string(c->index()) + " final view differs");
    }

    // Leave: done when every leave is acked and each earlier leaver was removed from the view of
    // every later one.
    storm_phase leave;
    const std::uint64_t removes_before = ctx.remove_deltas;
    auto check_leave = [&] {
        if (!leave.complete && leave.acks == live && ctx.remove_deltas - removes_before >= pairs) {
            leave.finished = clock::now();
            leave.complete = true;
        }
    };
    for (auto& c : clients)
        c->on_room_change = [&](bench_client&, std::string_view) { check_leave(); };
    cpu_window leave_cpu(common.server_pid);
    leave.start = clock::now();
    for (auto& c : clients) {
        c->emit("easyrtcCmd",
                R"({"msgType":"roomLeave","msgData":{"roomLeave":{"storm":{"roomName":"storm"}}}})",
                [&](bench_client& self, const json::object& reply) {
                    const auto* md = reply.if_contains("msgData");
                    const auto* rd =
                        md && md->is_object() ? md->get_object().if_contains("roomData") : nullptr;
                    if (!rd || !rd->is_object()) {
                        ctx.checks.fail("roomLeave answered " + json::serialize(reply));
                        return;
                    }
                    self.apply_room_data(rd->get_object());
                    if (self.rooms().contains(std::string(storm_room)))
                        ctx.checks.fail("the leave ack did not drop the room");
                    ++leave.acks;
                    check_leave();
                });
    }
    const std::function<bool()> left = [&] { return leave.complete; };
    if (!co_await wait_until(left, 60000ms))
        ctx.checks.fail("leave storm incomplete: " + std::to_string(leave.acks) + " acks, " +
                        std::to_string(ctx.remove_deltas - removes_before) + " removals");
    leave_cpu.stop();
    co_await sleep_for(100ms); // a surplus removal would show up here
    const traffic after_leave = ctx.wire;
    if (ctx.remove_deltas - removes_before != pairs)
        ctx.checks.fail("leave storm delivered " +
                        std::to_string(ctx.remove_deltas - removes_before) +
                        " removeClient deltas, expected " + std::to_string(pairs));
    // Of any two clients, exactly the one that left later saw the other removed.
    for (std::size_t i = 0; i < live; ++i)
        for (std::size_t j = i + 1; j < live; ++j)
            if (clients[i]->removed_peers().contains(ids[j]) ==
                clients[j]->removed_peers().contains(ids[i]))
                ctx.checks.fail("clients " + std::to_string(i) + " and " + std::to_string(j) +
                                " disagree on who left first");

    r.add("clients", static_cast<double>(live), "");
    r.add("join_ms", join.complete ? ms_between(join.start, join.finished) : -1, "ms");
    r.add("join_frames_received",
          static_cast<double>(after_join.frames_received - before_join.frames_received), "");
    r.add("join_bytes_received",
          static_cast<double>(after_join.bytes_received - before_join.bytes_received), "B");
    r.add("join_frames_sent", static_cast<double>(after_join.frames_sent - before_join.frames_sent),
          "");
    r.add("join_bytes_sent", static_cast<double>(after_join.bytes_sent - before_join.bytes_sent),
          "B");
    if (join_cpu.server_cpu_seconds() >= 0)
        r.add("join_server_cpu_ms", join_cpu.server_cpu_seconds() * 1e3, "ms");
    r.add("leave_ms", leave.complete ? ms_between(leave.start, leave.finished) : -1, "ms");
    r.add("leave_frames_received",
          static_cast<double>(after_leave.frames_received - after_join.frames_received), "");
    r.add("leave_bytes_received",
          static_cast<double>(after_leave.bytes_received - after_join.bytes_received), "B");
    if (leave_cpu.server_cpu_seconds() >= 0)
        r.add("leave_server_cpu_ms", leave_cpu.server_cpu_seconds() * 1e3, "ms");
    r.add("generator_cpu_join_ms", join_cpu.self_cpu_seconds() * 1e3, "ms");
    for (auto& c : clients)
        c->on_room_change = nullptr;
    close_all(clients);
    finish_report(r, ctx);
    co_return r;
}

} // namespace switchboard::bench
