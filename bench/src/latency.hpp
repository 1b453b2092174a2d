#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace switchboard::bench {

// Every sample kept (bounded) so percentiles are exact, not bucketed.
class latency_recorder {
public:
    static constexpr std::size_t max_samples = 20'000'000;

    void add(std::chrono::steady_clock::duration d);
    // q in [0, 1]; microseconds; 0 without samples. Sorts on first use after an add.
    double percentile_us(double q);

private:
    std::vector<std::int64_t> ns_;
    bool sorted_ = true;
};

} // namespace switchboard::bench
