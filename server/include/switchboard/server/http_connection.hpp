#pragma once

#include "switchboard/server/net.hpp"
#include "switchboard/server/server_context.hpp"

#include <boost/asio/ip/tcp.hpp>

namespace switchboard::server {

// One accepted TCP connection: detects TLS from the first bytes, then serves HTTP requests until
// the connection closes or becomes a websocket.
awaitable<void> run_connection(net::ip::tcp::socket socket, net::ip::tcp::endpoint peer,
                               strand conn_strand, server_context& ctx);

} // namespace switchboard::server
