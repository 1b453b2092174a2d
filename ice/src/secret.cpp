#include "switchboard/ice/secret.hpp"

#include <sodium.h>

#include <ostream>
#include <utility>

namespace switchboard::ice {

secret::secret(std::string_view value)
    : bytes_(value.begin(), value.end()) {}

secret::secret(const secret& other)
    : bytes_(other.bytes_) {}

secret::secret(secret&& other) noexcept
    : bytes_(std::move(other.bytes_)) {}

secret& secret::operator=(secret other) noexcept {
    bytes_.swap(other.bytes_);
    return *this;
}

secret::~secret() {
    // A moved-from secret has no buffer to wipe.
    if (!bytes_.empty()) {
        sodium_memzero(bytes_.data(), bytes_.size());
    }
}

std::ostream& operator<<(std::ostream& os, const secret& /*s*/) {
    return os << "<secret>";
}

} // namespace switchboard::ice
