#include "switchboard/auth/init.hpp"

#include <sodium.h>

#include <stdexcept>

namespace switchboard::auth {

void init() {
    if (sodium_init() < 0) {
        throw std::runtime_error("libsodium initialisation failed");
    }
}

} // namespace switchboard::auth
