#include "switchboard/ice/turn_rest.hpp"

#include "switchboard/ice/ice_url.hpp"
#include "switchboard/ice/turn_credentials.hpp"

#include <algorithm>
#include <utility>

namespace switchboard::ice {

namespace {

// Checks the whole list, not only the first entry, so that a bad line in a secret file is
// reported when it is loaded rather than when it is rotated to the front.
config_result<secret> first_secret(std::vector<secret>& secrets) {
    if (secrets.empty()) {
        return config_error{"TURN REST needs at least one secret"};
    }
    for (std::size_t i = 0; i < secrets.size(); ++i) {
        const auto bytes = secrets[i].expose();
        const auto name = "TURN secret " + std::to_string(i + 1);
        if (bytes.empty()) {
            return config_error{name + " is empty"};
        }
        if (bytes.size() > max_secret_size) {
            return config_error{name + " is longer than " + std::to_string(max_secret_size) +
                                " bytes"};
        }
        // A control character is almost always a newline left over from a secret file; the
        // TURN server would not have it, and every credential would be refused.
        if (std::any_of(bytes.begin(), bytes.end(), [](char c) {
                return static_cast<unsigned char>(c) < 0x20 || c == '\x7f';
            })) {
            return config_error{name + " contains a control character (a trailing newline?)"};
        }
    }
    return std::move(secrets.front());
}

} // namespace

config_result<user_format> parse_user_format(std::string_view text) {
    if (text == "easyrtcid") {
        return user_format::easyrtcid;
    }
    if (text == "username") {
        return user_format::username;
    }
    return config_error{"TURN user format \"" + std::string{text} +
                        "\" is not one of: easyrtcid, username"};
}

turn_rest::turn_rest(std::vector<std::string> urls, secret key, std::chrono::seconds ttl,
                     user_format format)
    : urls_(std::move(urls))
    , key_(std::move(key))
    , ttl_(ttl)
    , format_(format) {}

config_result<turn_rest> turn_rest::make(std::vector<std::string> urls, std::vector<secret> secrets,
                                         std::chrono::seconds ttl, user_format format) {
    if (urls.empty()) {
        return config_error{"TURN REST needs at least one turn: or turns: URL"};
    }
    for (const auto& url : urls) {
        auto parsed = parse_ice_url(url);
        if (!parsed) {
            return config_error{"TURN URL " + parsed.error().message};
        }
        if (!is_turn(parsed->scheme)) {
            return config_error{"TURN URL \"" + url + "\": must be a turn: or turns: URL"};
        }
    }
    if (ttl < std::chrono::seconds{1} || ttl > max_turn_ttl) {
        return config_error{"TURN credential lifetime must be from 1 to " +
                            std::to_string(max_turn_ttl.count()) + " seconds"};
    }
    auto key = first_secret(secrets);
    if (!key) {
        return key.error();
    }
    return turn_rest{std::move(urls), std::move(*key), ttl, format};
}

config_result<void> turn_rest::replace_secrets(std::vector<secret> secrets) {
    auto key = first_secret(secrets);
    if (!key) {
        return key.error();
    }
    key_ = std::move(*key);
    return {};
}

ice_server turn_rest::mint(std::string_view easyrtcid, std::string_view username,
                           std::int64_t wall_ms) const {
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::milliseconds{wall_ms});
    const auto user = format_ == user_format::username && !username.empty() ? username : easyrtcid;
    auto minted = make_turn_credential(key_, user, (now + ttl_).count());
    return {urls_, std::move(minted.username), std::move(minted.credential)};
}

} // namespace switchboard::ice
