#pragma once

#include "switchboard/server/client_address.hpp"
#include "switchboard/server/metrics.hpp"
#include "switchboard/server/net.hpp"
#include "switchboard/server/server_context.hpp"

#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <memory>

namespace switchboard::server {

// Runs an accepted websocket upgrade on /socket.io/ until it closes: either a direct Engine.IO
// websocket (no sid: a new session) or the upgrade of an existing polling session (probe, then
// "5"). `existing` is the session named by the request's sid, or null.
// The stream comes by pointer so that the HTTP side's coroutine frames (parser, read buffer)
// are gone before the websocket's long life starts; `counted` keeps the connection in the
// metrics until it closes.
template <class Stream>
awaitable<void> run_websocket(std::unique_ptr<Stream> stream, http::request<http::string_body> req,
                              std::shared_ptr<engine_session> existing, client_address client,
                              protocol::engineio::version v, tcp_connection_count counted,
                              strand conn_strand, server_context& ctx);

extern template awaitable<void>
run_websocket<beast::tcp_stream>(std::unique_ptr<beast::tcp_stream>,
                                 http::request<http::string_body>, std::shared_ptr<engine_session>,
                                 client_address, protocol::engineio::version, tcp_connection_count,
                                 strand, server_context&);
extern template awaitable<void> run_websocket<beast::ssl_stream<beast::tcp_stream>>(
    std::unique_ptr<beast::ssl_stream<beast::tcp_stream>>, http::request<http::string_body>,
    std::shared_ptr<engine_session>, client_address, protocol::engineio::version,
    tcp_connection_count, strand, server_context&);

} // namespace switchboard::server
