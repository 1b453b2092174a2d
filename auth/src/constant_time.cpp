#include "switchboard/auth/constant_time.hpp"

#include <sodium.h>

namespace switchboard::auth {

bool equal_constant_time(std::string_view a, std::string_view b) noexcept {
    if (a.size() != b.size()) {
        return false;
    }
    // An empty string_view may hold a null pointer, which sodium_memcmp must not be given.
    if (a.empty()) {
        return true;
    }
    return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

} // namespace switchboard::auth
