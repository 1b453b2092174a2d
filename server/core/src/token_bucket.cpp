#include "token_bucket.hpp"

namespace switchboard::core::detail {

bool token_bucket::try_take(std::chrono::steady_clock::time_point now, std::uint32_t burst,
                            std::uint32_t per_second) noexcept {
    if (burst == 0 || per_second == 0) {
        return true;
    }
    using duration = std::chrono::steady_clock::duration;
    const duration per_token = duration(std::chrono::seconds(1)) / per_second;
    const duration capacity = per_token * (burst - 1);
    if (full_at_ < now) {
        full_at_ = now;
    }
    if (full_at_ - now > capacity) {
        return false;
    }
    full_at_ += per_token;
    return true;
}

} // namespace switchboard::core::detail
