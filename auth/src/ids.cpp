#include "switchboard/auth/ids.hpp"

#include <sodium.h>

#include <array>

namespace switchboard::auth {

std::string new_easyrtcid() {
    // Bytes are drawn in one call per batch (libsodium's default generator makes a getrandom
    // system call per call, which per character dominated a sign-in's cost). A byte maps to a
    // character only below the largest multiple of the alphabet size, so every character is
    // equally likely; the few rejected bytes are replaced from the next batch.
    constexpr std::size_t n = easyrtcid_alphabet.size();
    constexpr unsigned limit = 256 / n * n;
    std::string id;
    id.reserve(easyrtcid_length);
    std::array<unsigned char, 2 * easyrtcid_length> bytes{};
    while (id.size() < easyrtcid_length) {
        randombytes_buf(bytes.data(), bytes.size());
        for (unsigned char b : bytes) {
            if (id.size() == easyrtcid_length)
                break;
            if (b < limit)
                id += easyrtcid_alphabet[b % n];
        }
    }
    return id;
}

std::string new_session_id() {
    // 15 bytes are exactly 20 base64 characters, so no padding and no partial sextet.
    std::array<unsigned char, session_id_length * 6 / 8> bytes{};
    randombytes_buf(bytes.data(), bytes.size());
    constexpr auto variant = sodium_base64_VARIANT_URLSAFE_NO_PADDING;
    // sodium_base64_ENCODED_LEN counts the terminating NUL.
    std::array<char, sodium_base64_ENCODED_LEN(bytes.size(), variant)> text{};
    sodium_bin2base64(text.data(), text.size(), bytes.data(), bytes.size(), variant);
    return {text.data(), session_id_length};
}

} // namespace switchboard::auth
