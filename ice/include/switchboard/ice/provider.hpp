#pragma once

#include "switchboard/ice/config_error.hpp"
#include "switchboard/ice/ice_server.hpp"
#include "switchboard/ice/secret.hpp"
#include "switchboard/ice/turn_rest.hpp"

#include <boost/json/array.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::ice {

// The ICE servers one application hands to its clients.
struct ice_settings {
    std::vector<ice_server> servers; // STUN and static TURN entries, sent as they are
    std::optional<turn_rest> turn;   // TURN entry with credentials minted per connection
};

// Builds the iceServers list of token.iceConfig and of the getIceConfig answer. Not synchronised:
// the owner guards it if secrets are replaced from another thread.
class provider {
public:
    // An application found in `apps` uses those settings instead of the defaults, entirely:
    // nothing is merged.
    explicit provider(ice_settings defaults,
                      std::map<std::string, ice_settings, std::less<>> apps = {});

    // Static entries first, in configured order, then the TURN REST entry if any, as
    // `{"urls":[...]}` or `{"urls":[...],"username":"...","credential":"..."}`.
    boost::json::array servers_for(std::string_view app, std::string_view easyrtcid,
                                   std::string_view username, std::int64_t wall_ms) const;

    // How long the TURN credentials for `app` stay valid, or nullopt if it has none, so that the
    // caller can push fresh ones before they expire.
    std::optional<std::chrono::seconds> credential_lifetime(std::string_view app) const;

    // Secret rotation. Errors when that TURN REST configuration does not exist or the secrets are
    // bad; the current secret then stays in use.
    config_result<void> replace_default_secrets(std::vector<secret> secrets);
    config_result<void> replace_app_secrets(std::string_view app, std::vector<secret> secrets);

private:
    const ice_settings& settings_for(std::string_view app) const;

    ice_settings defaults_;
    std::map<std::string, ice_settings, std::less<>> apps_;
};

} // namespace switchboard::ice
