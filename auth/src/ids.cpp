#include "switchboard/auth/ids.hpp"

#include <sodium.h>

#include <array>
#include <cstdint>

namespace switchboard::auth {

std::string new_easyrtcid() {
    std::string id(easyrtcid_length, '\0');
    for (auto& c : id) {
        // randombytes_uniform rejects out-of-range draws instead of taking a modulo, so every
        // character is equally likely.
        c = easyrtcid_alphabet[randombytes_uniform(
            static_cast<std::uint32_t>(easyrtcid_alphabet.size()))];
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
