#pragma once

#include <charconv>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// Decimal numbers as the Engine.IO and socket.io framings write them: unsigned, ASCII digits only.
namespace switchboard::protocol::detail {

// Length of the run of ASCII digits at the start of `text`.
inline std::size_t digit_run(std::string_view text) noexcept {
    std::size_t n = 0;
    while (n < text.size() && text[n] >= '0' && text[n] <= '9') {
        ++n;
    }
    return n;
}

// `digits` must be a non-empty digit run; nullopt when it does not fit in 64 bits.
inline std::optional<std::uint64_t> parse_decimal(std::string_view digits) noexcept {
    std::uint64_t value = 0;
    const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
    if (ec != std::errc{} || end != digits.data() + digits.size()) {
        return std::nullopt;
    }
    return value;
}

inline void append_decimal(std::string& out, std::uint64_t value) {
    char buf[20]; // UINT64_MAX has 20 digits
    const auto [end, ec] = std::to_chars(buf, buf + sizeof buf, value);
    out.append(buf, end);
}

} // namespace switchboard::protocol::detail
