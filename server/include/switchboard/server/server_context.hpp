#pragma once

#include "switchboard/server/engine_registry.hpp"
#include "switchboard/server/engine_session.hpp"
#include "switchboard/server/hub.hpp"
#include "switchboard/server/net.hpp"
#include "switchboard/server/server_config.hpp"

#include <boost/asio/ssl/context.hpp>

#include <atomic>
#include <memory>

namespace switchboard::server {

// What every connection needs to reach; owned by main for the life of the process.
struct server_context {
    net::io_context& ioc;
    const server_config& config;
    engine_settings engine;
    hub& signaling;
    engine_registry& engines;
    // Null: plain only. Replaced whole on SIGHUP; a handshake holds the one it started with
    // (OpenSSL's SSL objects keep their SSL_CTX alive after that).
    std::atomic<std::shared_ptr<ssl::context>> tls;
    std::atomic<bool> draining{false};
    std::atomic<std::size_t> websockets{0}; // open websocket connections, for the drain
};

} // namespace switchboard::server
