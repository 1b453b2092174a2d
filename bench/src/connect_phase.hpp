#pragma once

#include "bench_client.hpp"

#include <chrono>
#include <cstddef>
#include <functional>
#include <string>
#include <vector>

namespace switchboard::bench {

// Opens `count` clients with at most `concurrency` handshakes in flight. `auth_for(i)` is client
// i's easyrtcAuth msgData. A client that fails to open is logged and left null.
net::awaitable<std::vector<client_ptr>>
connect_clients(run_context& ctx, std::size_t count, std::size_t concurrency,
                const std::function<std::string(std::size_t)>& auth_for);

// An easyrtcAuth msgData for app "bench" that joins `room`.
std::string auth_into_room(std::size_t index, std::string_view room);

// g++ 12 may destroy a temporary argument of a co_await expression twice, so callers pass
// these callables as named objects, never as temporaries.

// Polls `done` every millisecond until it holds or `timeout` passes; returns its last value.
net::awaitable<bool> wait_until(const std::function<bool()>& done,
                                std::chrono::milliseconds timeout);

net::awaitable<void> sleep_for(std::chrono::steady_clock::duration d);

void close_all(std::vector<client_ptr>& clients);

} // namespace switchboard::bench
