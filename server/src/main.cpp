#include "switchboard/auth/init.hpp"
#include "switchboard/server/ice_source.hpp"
#include "switchboard/server/logging.hpp"
#include "switchboard/server/server.hpp"
#include "switchboard/server/server_config.hpp"

#include <spdlog/spdlog.h>

#include <exception>
#include <iostream>

extern char** environ;

int main(int argc, char* argv[]) {
    using namespace switchboard;
    std::optional<server::server_config> config;
    try {
        config = server::parse_server_config(argc, argv, environ);
    } catch (const std::exception& e) {
        std::cerr << "switchboard: " << e.what() << "\n(see switchboard --help)\n";
        return 2;
    }
    if (!config)
        return 0; // --help

    server::setup_logging(config->log_style, spdlog::level::from_str(config->log_level));
    try {
        auth::init();
        auto ice = std::make_shared<server::provider_ice_source>(
            ice::provider(config->ice, config->ice_apps));
        server::server s(std::move(*config), std::move(ice));
        s.run();
    } catch (const std::exception& e) {
        server::log_event(spdlog::level::critical, "cannot start", {{"error", e.what()}});
        return 1;
    }
    return 0;
}
