#include "connect_phase.hpp"
#include "latency.hpp"
#include "process_stats.hpp"
#include "scenarios.hpp"

#include <boost/json/serialize.hpp>

#include <unordered_map>

namespace switchboard::bench {

namespace {

using clock = std::chrono::steady_clock;

struct message_state {
    clock::time_point sent;
    std::size_t sender = 0; // member slot
    std::size_t remaining = 0;
    std::vector<bool> received;
};

struct room_state {
    std::string name;
    std::vector<client_ptr> members;
    std::uint64_t next_seq = 0;
    std::unordered_map<std::uint64_t, message_state> in_flight;
};

struct fanout_state {
    explicit fanout_state(run_context& c)
        : ctx(c) {}

    run_context& ctx;
    std::vector<room_state> rooms;
    bool sending = true;
    bool measuring = false;
    std::uint64_t deliveries = 0;
    std::uint64_t deliveries_in_window = 0;
    std::uint64_t messages_in_window = 0;
    std::uint64_t acks_outstanding = 0;
    latency_recorder latency;

    void send(room_state& room) {
        const std::uint64_t seq = room.next_seq++;
        const std::size_t sender = seq % room.members.size();
        room.in_flight.emplace(seq, message_state{clock::now(), sender, room.members.size() - 1,
                                                  std::vector<bool>(room.members.size())});
        ++acks_outstanding;
        room.members[sender]->emit(
            "easyrtcMsg",
            R"({"msgType":"bench","msgData":{"seq":)" + std::to_string(seq) +
                R"(},"targetRoom":")" + room.name + R"("})",
            [this](bench_client&, const json::object& reply) {
                --acks_outstanding;
                if (const auto* t = reply.if_contains("msgType"); !string_is(t, "ack"))
                    ctx.checks.fail("room message answered " + json::serialize(reply));
            });
    }

    void received(room_state& room, std::size_t slot, const json::object& body) {
        const auto now = clock::now();
        const auto* data = body.if_contains("msgData");
        const auto* seq =
            data && data->is_object() ? data->get_object().if_contains("seq") : nullptr;
        const auto* target = body.if_contains("targetRoom");
        if (!seq || !seq->is_int64() || !string_is(target, room.name)) {
            ctx.checks.fail("malformed room message: " + json::serialize(body));
            return;
        }
        auto it = room.in_flight.find(static_cast<std::uint64_t>(seq->get_int64()));
        if (it == room.in_flight.end() || it->second.received[slot] || it->second.sender == slot) {
            ctx.checks.fail("room " + room.name + " message " + json::serialize(*seq) +
                            " delivered twice, to its sender, or never sent");
            return;
        }
        message_state& m = it->second;
        const auto* from = body.if_contains("senderEasyrtcid");
        if (!string_is(from, room.members[m.sender]->easyrtcid()))
            ctx.checks.fail("room message with the wrong senderEasyrtcid");
        m.received[slot] = true;
        ++deliveries;
        if (measuring) {
            ++deliveries_in_window;
            latency.add(now - m.sent);
        }
        if (--m.remaining == 0) {
            room.in_flight.erase(it);
            if (measuring)
                ++messages_in_window;
            if (sending)
                send(room);
        }
    }

    std::size_t undelivered() const {
        std::size_t n = 0;
        for (const auto& r : rooms)
            n += r.in_flight.size();
        return n;
    }
};

} // namespace

net::awaitable<scenario_report> run_fanout(run_context& ctx, common_options common,
                                           fanout_options opt) {
    using namespace std::chrono_literals;
    scenario_report r;
    r.scenario = "fanout";
    const std::size_t size = std::max<std::size_t>(2, opt.room_size);
    const std::size_t rooms = std::max<std::size_t>(1, opt.rooms);
    const std::function<std::string(std::size_t)> auth = [size](std::size_t i) {
        return auth_into_room(i, "f" + std::to_string(i / size));
    };
    auto clients = co_await connect_clients(ctx, rooms * size, common.concurrency, auth);
    fanout_state st(ctx);
    for (std::size_t g = 0; g < rooms; ++g) {
        room_state room{"f" + std::to_string(g), {}, 0, {}};
        for (std::size_t m = 0; m < size; ++m)
            if (clients[g * size + m])
                room.members.push_back(clients[g * size + m]);
        if (room.members.size() == size)
            st.rooms.push_back(std::move(room));
    }
    // Every member must know the whole room before the measured traffic starts.
    const std::function<bool()> all_known = [&] {
        for (auto& room : st.rooms)
            for (auto& m : room.members)
                if (auto it = m->rooms().find(room.name);
                    it == m->rooms().end() || it->second.size() != size)
                    return false;
        return true;
    };
    co_await wait_until(all_known, 5000ms);
    for (std::size_t g = 0; g < st.rooms.size(); ++g) {
        for (std::size_t m = 0; m < size; ++m) {
            st.rooms[g].members[m]->on_push = [&st, g, m](bench_client&, std::string_view event,
                                                          const json::object& body) {
                if (const auto* t = body.if_contains("msgType"); string_is(t, "bench")) {
                    if (event != "easyrtcMsg")
                        st.ctx.checks.fail("room message pushed as " + std::string(event));
                    st.received(st.rooms[g], m, body);
                }
            };
        }
    }
    for (auto& room : st.rooms)
        for (std::size_t w = 0; w < std::max<std::size_t>(1, opt.window); ++w)
            st.send(room);
    co_await sleep_for(opt.warmup);
    st.measuring = true;
    cpu_window window(common.server_pid);
    co_await sleep_for(opt.duration);
    window.stop();
    st.measuring = false;
    st.sending = false;
    const std::function<bool()> drained = [&] {
        return st.undelivered() == 0 && st.acks_outstanding == 0;
    };
    if (!co_await wait_until(drained, 10000ms))
        ctx.checks.fail(std::to_string(st.undelivered()) + " room messages not fully delivered, " +
                        std::to_string(st.acks_outstanding) + " never acked");

    const double n = static_cast<double>(st.deliveries_in_window);
    r.add("rooms", static_cast<double>(st.rooms.size()), "");
    r.add("room_size", static_cast<double>(size), "");
    r.add("deliveries_per_s", n / window.wall_seconds(), "1/s");
    r.add("messages_per_s", static_cast<double>(st.messages_in_window) / window.wall_seconds(),
          "1/s");
    add_window_figures(r, st.latency, window, n, "delivery");
    r.add("deliveries_total", static_cast<double>(st.deliveries), "");
    for (auto& room : st.rooms)
        for (auto& m : room.members)
            m->on_push = nullptr;
    close_all(clients);
    finish_report(r, ctx);
    co_return r;
}

} // namespace switchboard::bench
