#pragma once

#include "switchboard/core/signaling_core.hpp"
#include "switchboard/server/engine_registry.hpp"
#include "switchboard/server/hub.hpp"
#include "switchboard/server/ice_source.hpp"
#include "switchboard/server/net.hpp"
#include "switchboard/server/server_config.hpp"
#include "switchboard/server/server_context.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/ssl/context.hpp>

#include <memory>
#include <vector>

namespace switchboard::server {

// The whole process: listeners, the hub and its core, and the shutdown sequence.
class server {
public:
    // Binds every listener; throws (startup only) when a certificate or an address is unusable.
    server(server_config cfg, std::shared_ptr<provider_ice_source> ice);
    ~server();

    // Serves until SIGTERM/SIGINT, then drains: stop accepting, tell every client, close them,
    // and return once they are gone or the drain deadline passes.
    void run();

private:
    awaitable<void> accept_loop(net::ip::tcp::acceptor& acceptor);
    awaitable<void> drain();
    void wait_for_reload();
    void reload();

    server_config config_;
    net::io_context ioc_;
    engine_registry engines_;
    hub hub_;
    server_context ctx_;
    std::vector<std::unique_ptr<net::ip::tcp::acceptor>> acceptors_;
    net::signal_set signals_;
    net::signal_set reload_signal_;
    std::shared_ptr<provider_ice_source> ice_;
};

} // namespace switchboard::server
