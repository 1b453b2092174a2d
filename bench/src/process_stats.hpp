#pragma once

#include <chrono>
#include <cstdint>
#include <optional>

// CPU and memory of the server under test (from /proc) and of the generator itself, so costs can
// be stated per unit of work on a machine whose cores are shared.
namespace switchboard::bench {

struct process_sample {
    double cpu_seconds = 0; // utime + stime
    std::uint64_t rss_kib = 0;
};

// nullopt when pid is 0 or the process is gone.
std::optional<process_sample> sample_process(int pid);

double self_cpu_seconds();

// CPU used by the server and by the generator over one measured interval.
class cpu_window {
public:
    explicit cpu_window(int server_pid);
    void stop();
    double wall_seconds() const noexcept { return wall_; }
    // Negative when the server pid is unknown.
    double server_cpu_seconds() const noexcept { return server_; }
    double self_cpu_seconds() const noexcept { return self_; }

private:
    int pid_;
    std::chrono::steady_clock::time_point start_;
    std::optional<process_sample> server_start_;
    double self_start_;
    double wall_ = 0;
    double server_ = -1;
    double self_ = 0;
};

} // namespace switchboard::bench
