#pragma once

#include "switchboard/ice/secret.hpp"

#include <cstdint>
#include <string>
#include <string_view>

namespace switchboard::ice {

// A TURN REST credential as coturn checks it with `use-auth-secret`: the username carries its
// own expiry, and the credential proves the server that shares the secret issued it.
struct turn_credential {
    std::string username;   // "<expiry_unix_s>:<user>"
    std::string credential; // base64(HMAC-SHA1(secret, username)), standard alphabet, padded

    bool operator==(const turn_credential&) const = default;
};

// Throws std::runtime_error only if OpenSSL cannot compute an HMAC at all (out of memory or a
// broken installation); nothing a peer sends can cause that.
turn_credential make_turn_credential(const secret& key, std::string_view user,
                                     std::int64_t expiry_unix_s);

} // namespace switchboard::ice
