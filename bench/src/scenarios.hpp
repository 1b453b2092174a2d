#pragma once

#include "bench_client.hpp"
#include "latency.hpp"
#include "process_stats.hpp"
#include "report.hpp"

#include <chrono>
#include <cstddef>

// The load scenarios. Each connects its own clients, measures, checks correctness, closes them
// and returns its figures; failures are in run_context::checks.
namespace switchboard::bench {

struct common_options {
    int server_pid = 0;           // for server CPU and RSS; 0 = not measured
    std::size_t concurrency = 64; // handshakes in flight while connecting
};

struct connect_options {
    std::size_t clients = 1000;
    std::size_t room_size = 10;
    std::chrono::milliseconds idle{5000};
};
net::awaitable<scenario_report> run_connect(run_context& ctx, common_options common,
                                            connect_options opt);

struct relay_options {
    std::size_t pairs = 100;
    std::size_t window = 8; // relays in flight per pair, closed loop
    double rate = 0;        // total relays/s, open loop; 0 = closed loop
    std::chrono::milliseconds warmup{1000};
    std::chrono::milliseconds duration{5000};
};
net::awaitable<scenario_report> run_relay(run_context& ctx, common_options common,
                                          relay_options opt);

struct joinstorm_options {
    std::size_t clients = 500;
};
net::awaitable<scenario_report> run_joinstorm(run_context& ctx, common_options common,
                                              joinstorm_options opt);

struct fanout_options {
    std::size_t rooms = 20;
    std::size_t room_size = 10;
    std::size_t window = 1; // room messages in flight per room
    std::chrono::milliseconds warmup{1000};
    std::chrono::milliseconds duration{5000};
};
net::awaitable<scenario_report> run_fanout(run_context& ctx, common_options common,
                                           fanout_options opt);

// Adds the correctness outcome and the traffic counters to a report.
void finish_report(scenario_report& r, const run_context& ctx);

// Adds what every measured window reports: latency percentiles, server CPU per `count` unit
// (named server_cpu_per_<unit>_us), server and generator CPU load.
void add_window_figures(scenario_report& r, latency_recorder& latency, const cpu_window& window,
                        double count, const std::string& unit);

} // namespace switchboard::bench
