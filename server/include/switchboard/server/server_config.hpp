#pragma once

#include "switchboard/core/signaling_core.hpp"
#include "switchboard/ice/provider.hpp"
#include "switchboard/server/logging.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace switchboard::server {

struct listen_endpoint {
    std::string host;
    std::uint16_t port = 0;
};

// Every setting of the server in one place; defaults here are the documented defaults.
struct server_config {
    std::vector<listen_endpoint> listen{{"0.0.0.0", 8080}};
    std::string tls_cert_file;
    std::string tls_key_file;
    bool tls_only = false;
    unsigned threads = 1;

    // Engine.IO. The reference deployment's values (5 s / 10 s) detect a vanished peer in 15 s.
    std::chrono::milliseconds ping_interval{5000};
    std::chrono::milliseconds ping_timeout{10000};
    std::uint64_t max_payload_bytes = 1000000;
    std::chrono::milliseconds upgrade_timeout{10000};
    std::chrono::milliseconds connect_timeout{45000}; // engine open until socket.io CONNECT
    std::vector<std::string> cors_origins{"*"};

    // HTTP before a connection becomes a long-lived Engine.IO transport.
    std::chrono::milliseconds handshake_timeout{15000}; // TLS detection + handshake
    std::chrono::milliseconds header_timeout{15000};    // reading one request
    std::chrono::milliseconds keep_alive_timeout{60000};

    // Per-connection outbound bound; a peer that cannot keep up is closed, never buffered without
    // limit.
    std::size_t write_queue_max_messages = 1024;
    std::size_t write_queue_max_bytes = 4 * 1024 * 1024;

    std::chrono::milliseconds drain_timeout{5000};
    std::string log_level = "info";
    log_format log_style = log_format::text;

    // The core's defaults, except that room deltas wait 5 ms to be merged: invisible to people,
    // and a room filling up costs each member one push per burst instead of one per join.
    core::config signaling = [] {
        core::config c;
        c.room_delta_delay = std::chrono::milliseconds(5);
        return c;
    }();

    ice::ice_settings ice{ice::default_ice_servers(), std::nullopt};
    std::string turn_secret_file;                                   // re-read on SIGHUP
    std::map<std::string, ice::ice_settings, std::less<>> ice_apps; // [app.NAME] overrides
    std::map<std::string, std::string> app_turn_secret_files;       // re-read on SIGHUP

    // Static files; empty = not served. Kept canonical (absolute, symlinks resolved), the form
    // the per-request containment check compares against.
    std::filesystem::path client_assets_dir; // /socket.io/<bundle> and /easyrtc/*
    std::filesystem::path static_dir;        // a user's own pages at /
};

// Parses flags, then SWITCHBOARD_* environment variables for anything not given as a flag.
// Returns nullopt after printing --help. Throws std::invalid_argument naming the bad setting.
std::optional<server_config> parse_server_config(int argc, const char* const argv[],
                                                 char** environ_vars);

} // namespace switchboard::server
