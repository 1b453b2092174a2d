#pragma once

#include <chrono>
#include <cstdint>

namespace switchboard::core::detail {

// Per-connection inbound rate limit: `burst` requests at once, refilled at `per_second`. Kept
// as one time point in the equivalent GCRA form (the time at which the bucket would be full
// again), so it is exact integer arithmetic and needs no refill step. A new bucket is full, so a
// client's sign-in burst (auth, roomJoin, setRoomApiField...) passes.
class token_bucket {
public:
    // Takes one token if there is one. burst == 0 or per_second == 0 turns the limit off.
    bool try_take(std::chrono::steady_clock::time_point now, std::uint32_t burst,
                  std::uint32_t per_second) noexcept;

private:
    std::chrono::steady_clock::time_point full_at_{};
};

} // namespace switchboard::core::detail
