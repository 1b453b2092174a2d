#include "latency.hpp"

#include <algorithm>
#include <cmath>

namespace switchboard::bench {

void latency_recorder::add(std::chrono::steady_clock::duration d) {
    if (ns_.size() >= max_samples)
        return;
    ns_.push_back(std::chrono::duration_cast<std::chrono::nanoseconds>(d).count());
    sorted_ = false;
}

double latency_recorder::percentile_us(double q) {
    if (ns_.empty())
        return 0;
    if (!sorted_) {
        std::sort(ns_.begin(), ns_.end());
        sorted_ = true;
    }
    const auto rank = static_cast<std::size_t>(std::ceil(q * static_cast<double>(ns_.size())));
    const std::size_t i = std::min(ns_.size() - 1, rank == 0 ? 0 : rank - 1);
    return static_cast<double>(ns_[i]) / 1000.0;
}

} // namespace switchboard::bench
