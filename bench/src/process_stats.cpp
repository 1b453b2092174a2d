#include "process_stats.hpp"

#include <fstream>
#include <sstream>
#include <string>
#include <sys/resource.h>
#include <unistd.h>

namespace switchboard::bench {

std::optional<process_sample> sample_process(int pid) {
    if (pid <= 0)
        return std::nullopt;
    const std::string dir = "/proc/" + std::to_string(pid);
    std::ifstream stat(dir + "/stat");
    std::string line;
    if (!std::getline(stat, line))
        return std::nullopt;
    // The command name may hold spaces; the fields after its closing parenthesis start at field
    // 3 (state), so utime and stime (fields 14 and 15) are the 12th and 13th.
    const auto paren = line.rfind(')');
    if (paren == std::string::npos)
        return std::nullopt;
    std::istringstream fields(line.substr(paren + 1));
    std::string skip;
    for (int i = 0; i < 11; ++i)
        fields >> skip;
    unsigned long long utime = 0;
    unsigned long long stime = 0;
    if (!(fields >> utime >> stime))
        return std::nullopt;
    process_sample s;
    s.cpu_seconds = static_cast<double>(utime + stime) / static_cast<double>(sysconf(_SC_CLK_TCK));
    std::ifstream status(dir + "/status");
    while (std::getline(status, line)) {
        if (line.rfind("VmRSS:", 0) == 0) {
            s.rss_kib = std::stoull(line.substr(6));
            break;
        }
    }
    return s;
}

double self_cpu_seconds() {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    auto secs = [](const timeval& t) {
        return static_cast<double>(t.tv_sec) + static_cast<double>(t.tv_usec) / 1e6;
    };
    return secs(u.ru_utime) + secs(u.ru_stime);
}

cpu_window::cpu_window(int server_pid)
    : pid_(server_pid)
    , start_(std::chrono::steady_clock::now())
    , server_start_(sample_process(server_pid))
    , self_start_(bench::self_cpu_seconds()) {}

void cpu_window::stop() {
    wall_ = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
    self_ = bench::self_cpu_seconds() - self_start_;
    auto end = sample_process(pid_);
    if (server_start_ && end)
        server_ = end->cpu_seconds - server_start_->cpu_seconds;
}

} // namespace switchboard::bench
