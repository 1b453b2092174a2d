#include "switchboard/server/ice_source.hpp"

#include "switchboard/server/metrics.hpp"

namespace switchboard::server {

provider_ice_source::provider_ice_source(ice::provider p)
    : provider_(std::move(p)) {}

boost::json::array provider_ice_source::servers_for(std::string_view application,
                                                    std::string_view easyrtcid,
                                                    std::string_view username,
                                                    std::int64_t wall_ms) {
    std::lock_guard lock(mutex_);
    if (provider_.credential_lifetime(application))
        metrics::instance().turn_credentials_issued();
    return provider_.servers_for(application, easyrtcid, username, wall_ms);
}

std::optional<std::chrono::seconds>
provider_ice_source::credential_lifetime(std::string_view application) {
    std::lock_guard lock(mutex_);
    return provider_.credential_lifetime(application);
}

ice::config_result<void>
provider_ice_source::replace_default_secrets(std::vector<ice::secret> secrets) {
    std::lock_guard lock(mutex_);
    return provider_.replace_default_secrets(std::move(secrets));
}

ice::config_result<void>
provider_ice_source::replace_app_secrets(std::string_view app, std::vector<ice::secret> secrets) {
    std::lock_guard lock(mutex_);
    return provider_.replace_app_secrets(app, std::move(secrets));
}

} // namespace switchboard::server
