#include "switchboard/server/engineio_http.hpp"

#include "switchboard/auth/ids.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace switchboard::server {

namespace eio = protocol::engineio;

namespace {

std::string_view query_of(const request& req) {
    std::string_view target = req.target();
    auto q = target.find('?');
    return q == std::string_view::npos ? std::string_view{} : target.substr(q + 1);
}

response engine_error(const request& req, eio::http_error e, server_context& ctx,
                      http::status status = http::status::bad_request) {
    auto res = make_response(req, status, "application/json", eio::encode_http_error(e));
    apply_cors(req, res, ctx.config.cors_origins);
    return res;
}

response polling_ok(const request& req, std::string body, server_context& ctx) {
    auto res = make_response(req, http::status::ok, "text/plain; charset=UTF-8", std::move(body));
    res.set(http::field::cache_control, "no-store");
    apply_cors(req, res, ctx.config.cors_origins);
    return res;
}

struct checked_request {
    eio::request_query query;
    eio::transport transport;
};

// The checks every /socket.io/ request passes first: Origin, query, transport name.
std::variant<response, checked_request> check_request(const request& req, server_context& ctx) {
    if (!origin_allowed(req, ctx.config.cors_origins))
        return engine_error(req, eio::http_error::forbidden, ctx, http::status::forbidden);
    auto q = eio::parse_query(query_of(req));
    if (!q)
        return engine_error(req, eio::http_error::bad_request, ctx);
    auto t = eio::parse_transport(q->transport);
    if (!t)
        return engine_error(req, eio::http_error::unknown_transport, ctx);
    return checked_request{*q, *t};
}

} // namespace

std::variant<response, websocket_plan> plan_websocket(const request& req, server_context& ctx) {
    auto checked = check_request(req, ctx);
    if (auto* refusal = std::get_if<response>(&checked))
        return std::move(*refusal);
    const auto& [q, t] = std::get<checked_request>(checked);
    if (t != eio::transport::websocket)
        return engine_error(req, eio::http_error::unknown_transport, ctx);
    if (q.sid.empty()) {
        if (ctx.draining)
            return engine_error(req, eio::http_error::forbidden, ctx,
                                http::status::service_unavailable);
        return websocket_plan{nullptr, q.eio};
    }
    auto s = ctx.engines.find(q.sid);
    if (!s)
        return engine_error(req, eio::http_error::unknown_sid, ctx);
    if (s->initial_transport() != eio::transport::polling || s->version() != q.eio)
        return engine_error(req, eio::http_error::bad_request, ctx);
    return websocket_plan{std::move(s), q.eio};
}

awaitable<response> handle_polling(const request& req, const net::ip::tcp::endpoint& peer,
                                   server_context& ctx) {
    if (req.method() == http::verb::options) {
        auto res = make_response(req, http::status::no_content, "text/plain", {});
        apply_cors(req, res, ctx.config.cors_origins);
        res.set(http::field::access_control_allow_methods, "GET, POST, OPTIONS");
        res.set(http::field::access_control_allow_headers, "content-type");
        res.set(http::field::access_control_max_age, "86400");
        co_return res;
    }
    auto checked = check_request(req, ctx);
    if (auto* refusal = std::get_if<response>(&checked))
        co_return std::move(*refusal);
    const auto& [query, t] = std::get<checked_request>(checked);
    if (t != eio::transport::polling) // websocket transport without an upgrade
        co_return engine_error(req, eio::http_error::bad_request, ctx);

    if (query.sid.empty()) {
        if (req.method() != http::verb::get)
            co_return engine_error(req, eio::http_error::bad_handshake_method, ctx);
        if (ctx.draining)
            co_return engine_error(req, eio::http_error::forbidden, ctx,
                                   http::status::service_unavailable);
        auto s = std::make_shared<engine_session>(
            net::make_strand(ctx.ioc), ctx.signaling, ctx.engines, ctx.engine,
            auth::new_session_id(), query.eio, eio::transport::polling, describe_client(peer, req));
        ctx.engines.add(s);
        s->start(nullptr);
        std::string body;
        eio::append_to_payload(body, s->open_packet(), query.eio);
        co_return polling_ok(req, std::move(body), ctx);
    }

    auto s = ctx.engines.find(query.sid);
    if (!s)
        co_return engine_error(req, eio::http_error::unknown_sid, ctx);
    if (s->version() != query.eio)
        co_return engine_error(req, eio::http_error::bad_request, ctx);
    if (req.method() == http::verb::get) {
        auto [ec, body] = co_await s->async_poll(net::as_tuple(net::use_awaitable));
        if (ec)
            co_return engine_error(req, eio::http_error::bad_request, ctx);
        co_return polling_ok(req, std::move(body), ctx);
    }
    if (req.method() == http::verb::post) {
        auto [ec] = co_await s->async_post_payload(req.body(), net::as_tuple(net::use_awaitable));
        if (ec)
            co_return engine_error(req, eio::http_error::bad_request, ctx);
        co_return polling_ok(req, "ok", ctx);
    }
    co_return engine_error(req, eio::http_error::bad_request, ctx);
}

} // namespace switchboard::server
