#include "connect_phase.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <memory>

namespace switchboard::bench {

namespace {

struct connect_state {
    std::vector<client_ptr> clients;
    std::size_t next = 0;
    std::size_t workers_left = 0;
};

net::awaitable<void> connect_worker(run_context& ctx, std::shared_ptr<connect_state> st,
                                    std::function<std::string(std::size_t)> auth_for) {
    while (st->next < st->clients.size()) {
        const std::size_t i = st->next++;
        auto c = std::make_shared<bench_client>(ctx, i);
        std::string auth = auth_for(i);
        // After a stalled phase gave up, the vector has been handed out: drop late clients.
        if (co_await c->open(std::move(auth)) && i < st->clients.size())
            st->clients[i] = std::move(c);
    }
    --st->workers_left;
}

} // namespace

net::awaitable<std::vector<client_ptr>>
connect_clients(run_context& ctx, std::size_t count, std::size_t concurrency,
                const std::function<std::string(std::size_t)>& auth_for) {
    auto st = std::make_shared<connect_state>();
    st->clients.resize(count);
    st->workers_left = std::max<std::size_t>(1, std::min(concurrency, count));
    for (std::size_t w = 0, n = st->workers_left; w < n; ++w)
        net::co_spawn(ctx.ioc, connect_worker(ctx, st, auth_for), net::detached);
    // Each open is bounded by its own 10 s deadlines; this bound only guards against a bug.
    const auto limit = std::chrono::milliseconds(20000 + 20 * count);
    const std::function<bool()> finished = [st] { return st->workers_left == 0; };
    if (!co_await wait_until(finished, limit))
        ctx.checks.fail("connect phase did not finish");
    // Moved out first: g++ 12 destroys `st` before copying a co_return operand that reads it.
    std::vector<client_ptr> clients = std::move(st->clients);
    co_return clients;
}

std::string auth_into_room(std::size_t index, std::string_view room) {
    std::string r(room);
    return R"({"apiVersion":"1.1.1-beta","applicationName":"bench","setUserCfg":{"userSettings":)"
           R"({"sharingAudio":true,"sharingVideo":true,"sharingData":false}},"username":"u)" +
           std::to_string(index) + R"(","roomJoin":{")" + r + R"(":{"roomName":")" + r + R"("}}})";
}

net::awaitable<bool> wait_until(const std::function<bool()>& done,
                                std::chrono::milliseconds timeout) {
    using namespace std::chrono_literals;
    net::steady_timer timer(co_await net::this_coro::executor);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (!done()) {
        if (std::chrono::steady_clock::now() >= deadline)
            co_return false;
        timer.expires_after(1ms);
        co_await timer.async_wait(net::as_tuple(net::use_awaitable));
    }
    co_return true;
}

net::awaitable<void> sleep_for(std::chrono::steady_clock::duration d) {
    net::steady_timer timer(co_await net::this_coro::executor);
    timer.expires_after(d);
    co_await timer.async_wait(net::as_tuple(net::use_awaitable));
}

void close_all(std::vector<client_ptr>& clients) {
    for (auto& c : clients)
        if (c)
            c->close();
    clients.clear();
}

} // namespace switchboard::bench
