#pragma once

#include "switchboard/core/signaling_core.hpp"
#include "switchboard/ice/provider.hpp"

#include <memory>
#include <mutex>

namespace switchboard::server {

// Hands the core ICE servers from the ice/ provider. The core calls it on the hub strand while a
// SIGHUP reload may replace secrets from another, hence the lock (held only to mint).
class provider_ice_source final : public core::ice_source {
public:
    explicit provider_ice_source(ice::provider p);

    boost::json::array servers_for(std::string_view application, std::string_view easyrtcid,
                                   std::string_view username, std::int64_t wall_ms) override;
    std::optional<std::chrono::seconds> credential_lifetime(std::string_view application) override;

    ice::config_result<void> replace_default_secrets(std::vector<ice::secret> secrets);
    ice::config_result<void> replace_app_secrets(std::string_view app,
                                                 std::vector<ice::secret> secrets);

private:
    std::mutex mutex_;
    ice::provider provider_;
};

} // namespace switchboard::server
