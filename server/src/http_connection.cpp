#include "switchboard/server/http_connection.hpp"

#include "switchboard/server/engineio_http.hpp"
#include "switchboard/server/http_responses.hpp"
#include "switchboard/server/logging.hpp"
#include "switchboard/server/metrics.hpp"
#include "switchboard/server/static_files.hpp"
#include "switchboard/server/websocket_connection.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/detect_ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

#include <memory>
#include <optional>

namespace switchboard::server {

namespace {

constexpr auto use = net::as_tuple(net::use_awaitable);
constexpr std::size_t header_limit = 16 * 1024;

std::string health_body(server_context& ctx) {
    auto st = ctx.signaling.stats();
    boost::json::object o;
    o["status"] = ctx.draining ? "draining" : "ok";
    o["connections"] = ctx.engines.size();
    o["authenticated"] = st.authenticated;
    o["applications"] = st.applications;
    o["rooms"] = st.rooms;
    return boost::json::serialize(o);
}

bool is_engineio_path(std::string_view target) {
    auto path = target.substr(0, target.find('?'));
    return path == "/socket.io/" || path == "/socket.io";
}

awaitable<response> route(const request& req, const net::ip::tcp::endpoint& peer,
                          server_context& ctx) {
    std::string_view target = req.target();
    if (is_engineio_path(target))
        co_return co_await handle_polling(req, peer, ctx);
    auto path = target.substr(0, target.find('?'));
    if (req.method() == http::verb::get || req.method() == http::verb::head) {
        if (path == "/healthz")
            co_return make_response(req, http::status::ok, "application/json", health_body(ctx));
        if (path == "/metrics") {
            auto res =
                make_response(req, http::status::ok, "text/plain; version=0.0.4; charset=utf-8",
                              metrics::instance().render(ctx.signaling.stats(), ctx.engines.size(),
                                                         ctx.draining));
            res.set(http::field::cache_control, "no-store");
            co_return res;
        }
        if (path == "/readyz") {
            auto status = ctx.draining ? http::status::service_unavailable : http::status::ok;
            co_return make_response(req, status, "application/json", health_body(ctx));
        }
    }
    if (auto res = serve_static(req, ctx))
        co_return std::move(*res);
    co_return make_response(req, http::status::not_found, "text/plain; charset=utf-8",
                            "Not Found\n");
}

// A websocket upgrade on /socket.io/ that passed its checks, to be run once the HTTP side is done.
struct websocket_upgrade {
    request req;
    websocket_plan plan;
    client_address client;
};

// Serves requests until the connection closes (nullopt) or asks for a websocket upgrade.
template <class Stream>
awaitable<std::optional<websocket_upgrade>> serve_http(Stream& stream, beast::flat_buffer& buffer,
                                                       const net::ip::tcp::endpoint& peer,
                                                       server_context& ctx) {
    bool first = true;
    for (;;) {
        http::request_parser<http::string_body> parser;
        parser.header_limit(header_limit);
        parser.body_limit(ctx.config.max_payload_bytes);
        beast::get_lowest_layer(stream).expires_after(first ? ctx.config.header_timeout
                                                            : ctx.config.keep_alive_timeout);
        first = false;
        auto [ec, n] = co_await http::async_read(stream, buffer, parser, use);
        if (ec) {
            if (ec == http::error::body_limit || ec == http::error::header_limit) {
                request dummy;
                auto res = make_response(dummy, http::status::payload_too_large,
                                         "text/plain; charset=utf-8", "Payload Too Large\n");
                res.keep_alive(false);
                co_await http::async_write(stream, res, use);
            }
            break;
        }
        auto req = parser.release();

        if (websocket::is_upgrade(req) && is_engineio_path(req.target())) {
            auto plan = plan_websocket(req, ctx);
            if (auto* refusal = std::get_if<response>(&plan)) {
                refusal->keep_alive(false);
                co_await http::async_write(stream, *refusal, use);
                break;
            }
            auto client = describe_client(peer, req);
            co_return websocket_upgrade{std::move(req), std::move(std::get<websocket_plan>(plan)),
                                        std::move(client)};
        }

        // The long poll may be held for up to a ping interval: no read deadline meanwhile.
        beast::get_lowest_layer(stream).expires_never();
        auto res = co_await route(req, peer, ctx);
        beast::get_lowest_layer(stream).expires_after(ctx.config.header_timeout);
        auto [wec, wn] = co_await http::async_write(stream, res, use);
        if (wec || !res.keep_alive())
            break;
    }
    co_return std::nullopt;
}

// The websocket runs in a coroutine of its own so that this connection's HTTP frames (parser,
// read buffer, the stream it was moved from) are freed instead of held for hours.
template <class Stream>
void start_websocket(Stream& stream, websocket_upgrade up, tcp_connection_count counted,
                     strand conn_strand, server_context& ctx) {
    auto owned = std::make_unique<Stream>(std::move(stream));
    net::co_spawn(conn_strand,
                  run_websocket(std::move(owned), std::move(up.req), std::move(up.plan.existing),
                                std::move(up.client), up.plan.version, std::move(counted),
                                conn_strand, ctx),
                  log_escaped);
}

awaitable<void> close_plain(beast::tcp_stream& stream) {
    beast::error_code ec;
    stream.socket().shutdown(net::ip::tcp::socket::shutdown_send, ec);
    co_return;
}

awaitable<void> close_tls(beast::ssl_stream<beast::tcp_stream>& stream, server_context& ctx) {
    beast::get_lowest_layer(stream).expires_after(ctx.config.handshake_timeout);
    co_await stream.async_shutdown(use);
}

} // namespace

awaitable<void> run_connection(net::ip::tcp::socket socket, net::ip::tcp::endpoint peer,
                               strand conn_strand, server_context& ctx) {
    beast::tcp_stream stream(std::move(socket));
    beast::flat_buffer buffer;
    stream.expires_after(ctx.config.handshake_timeout);
    auto [ec, is_tls] = co_await beast::async_detect_ssl(stream, buffer, use);
    if (ec)
        co_return;
    tcp_connection_count counted(is_tls);
    if (is_tls) {
        auto tls_context = ctx.tls.load();
        if (!tls_context)
            co_return; // nothing configured to answer a TLS client with
        beast::ssl_stream<beast::tcp_stream> tls(std::move(stream), *tls_context);
        auto [hec, used] =
            co_await tls.async_handshake(ssl::stream_base::server, buffer.data(), use);
        if (hec) {
            log_event(spdlog::level::debug, "tls handshake failed", {{"error", hec.message()}});
            co_return;
        }
        buffer.consume(used);
        if (auto up = co_await serve_http(tls, buffer, peer, ctx))
            start_websocket(tls, std::move(*up), std::move(counted), conn_strand, ctx);
        else
            co_await close_tls(tls, ctx);
        co_return;
    }
    if (ctx.config.tls_only) {
        request dummy;
        auto res = make_response(dummy, http::status::bad_request, "text/plain; charset=utf-8",
                                 "This server accepts TLS only; use https:// or wss://\n");
        res.keep_alive(false);
        co_await http::async_write(stream, res, use);
        co_await close_plain(stream);
        co_return;
    }
    if (auto up = co_await serve_http(stream, buffer, peer, ctx))
        start_websocket(stream, std::move(*up), std::move(counted), conn_strand, ctx);
    else
        co_await close_plain(stream);
}

} // namespace switchboard::server
