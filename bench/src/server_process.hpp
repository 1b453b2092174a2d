#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace switchboard::bench {

// A switchboard binary started by the generator itself (for the smoke run), listening on a
// loopback port it picked; stopped with SIGTERM (then SIGKILL) when this goes.
class server_process {
public:
    // Throws std::runtime_error when it does not start or never logs "listening on".
    server_process(const std::string& binary, const std::vector<std::string>& extra_args);
    ~server_process();
    server_process(const server_process&) = delete;
    server_process& operator=(const server_process&) = delete;

    int pid() const noexcept { return pid_; }
    std::uint16_t port() const noexcept { return port_; }
    // Whether it is still running.
    bool alive();

private:
    int pid_ = -1;
    std::uint16_t port_ = 0;
    std::string log_path_;
};

} // namespace switchboard::bench
