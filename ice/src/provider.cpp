#include "switchboard/ice/provider.hpp"

#include <utility>

namespace switchboard::ice {

provider::provider(ice_settings defaults, std::map<std::string, ice_settings, std::less<>> apps)
    : defaults_(std::move(defaults))
    , apps_(std::move(apps)) {}

const ice_settings& provider::settings_for(std::string_view app) const {
    const auto found = apps_.find(app);
    return found == apps_.end() ? defaults_ : found->second;
}

boost::json::array provider::servers_for(std::string_view app, std::string_view easyrtcid,
                                         std::string_view username, std::int64_t wall_ms) const {
    const auto& settings = settings_for(app);
    boost::json::array servers;
    for (const auto& server : settings.servers) {
        servers.emplace_back(to_json(server));
    }
    if (settings.turn) {
        servers.emplace_back(to_json(settings.turn->mint(easyrtcid, username, wall_ms)));
    }
    return servers;
}

std::optional<std::chrono::seconds> provider::credential_lifetime(std::string_view app) const {
    const auto& settings = settings_for(app);
    if (!settings.turn) {
        return std::nullopt;
    }
    return settings.turn->ttl();
}

config_result<void> provider::replace_default_secrets(std::vector<secret> secrets) {
    if (!defaults_.turn) {
        return config_error{"TURN REST credentials are not configured"};
    }
    return defaults_.turn->replace_secrets(std::move(secrets));
}

config_result<void> provider::replace_app_secrets(std::string_view app,
                                                  std::vector<secret> secrets) {
    const auto found = apps_.find(app);
    if (found == apps_.end() || !found->second.turn) {
        return config_error{"application \"" + std::string{app} +
                            "\" has no TURN REST credentials of its own"};
    }
    return found->second.turn->replace_secrets(std::move(secrets));
}

} // namespace switchboard::ice
