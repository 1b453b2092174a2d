#include "switchboard/ice/turn_credentials.hpp"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <array>
#include <stdexcept>

namespace switchboard::ice {

turn_credential make_turn_credential(const secret& key, std::string_view user,
                                     std::int64_t expiry_unix_s) {
    turn_credential result;
    result.username = std::to_string(expiry_unix_s);
    result.username.append(":").append(user);

    const auto key_bytes = key.expose();
    std::array<unsigned char, EVP_MAX_MD_SIZE> mac{};
    unsigned int mac_size = 0;
    if (HMAC(EVP_sha1(), key_bytes.data(), static_cast<int>(key_bytes.size()),
             reinterpret_cast<const unsigned char*>(result.username.data()), result.username.size(),
             mac.data(), &mac_size) == nullptr) {
        throw std::runtime_error("HMAC-SHA1 failed");
    }

    // EVP_EncodeBlock writes 4 characters per started 3 bytes and a terminating NUL.
    std::array<unsigned char, (EVP_MAX_MD_SIZE + 2) / 3 * 4 + 1> text{};
    const int length = EVP_EncodeBlock(text.data(), mac.data(), static_cast<int>(mac_size));
    result.credential.assign(reinterpret_cast<const char*>(text.data()),
                             static_cast<std::size_t>(length));
    return result;
}

} // namespace switchboard::ice
