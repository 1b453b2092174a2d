#pragma once

#include "switchboard/ice/config_error.hpp"
#include "switchboard/ice/ice_server.hpp"
#include "switchboard/ice/secret.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::ice {

// What goes after the colon in a TURN REST username.
enum class user_format { easyrtcid, username };

// "easyrtcid" or "username", as the --turn-user-format flag spells it.
config_result<user_format> parse_user_format(std::string_view text);

inline constexpr std::chrono::seconds default_turn_ttl{86400};
// Credentials are bearer tokens for the relay; a year is already far more than any call needs,
// and the bound keeps expiry arithmetic far from overflow.
inline constexpr std::chrono::seconds max_turn_ttl{365 * 86400};
// coturn keeps at most this many bytes of a static-auth-secret.
inline constexpr std::size_t max_secret_size = 256;

// Mints TURN credentials per connection for a TURN server running coturn's `use-auth-secret`.
class turn_rest {
public:
    // urls: turn: or turns: URLs only. secrets: the same list the TURN server has; credentials
    // are minted with the first, so rotating means putting the new secret first while the TURN
    // server still accepts the old one. Only the first is kept. ttl: 1 s to max_turn_ttl.
    static config_result<turn_rest> make(std::vector<std::string> urls, std::vector<secret> secrets,
                                         std::chrono::seconds ttl = default_turn_ttl,
                                         user_format format = user_format::easyrtcid);

    // For SIGHUP: same rules as make(); on error the current secret stays in use.
    config_result<void> replace_secrets(std::vector<secret> secrets);

    // A TURN entry with credentials valid until floor(wall_ms / 1000) + ttl. The user part is the
    // username when format is user_format::username and one is set, else the easyrtcid.
    ice_server mint(std::string_view easyrtcid, std::string_view username,
                    std::int64_t wall_ms) const;

    const std::vector<std::string>& urls() const noexcept { return urls_; }
    std::chrono::seconds ttl() const noexcept { return ttl_; }
    user_format format() const noexcept { return format_; }

private:
    turn_rest(std::vector<std::string> urls, secret key, std::chrono::seconds ttl,
              user_format format);

    std::vector<std::string> urls_;
    secret key_;
    std::chrono::seconds ttl_;
    user_format format_;
};

} // namespace switchboard::ice
