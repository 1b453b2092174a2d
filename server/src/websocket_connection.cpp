#include "switchboard/server/websocket_connection.hpp"

#include "switchboard/auth/ids.hpp"
#include "switchboard/server/logging.hpp"
#include "switchboard/server/metrics.hpp"
#include "switchboard/server/transport_link.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <deque>

namespace switchboard::server {

namespace eio = protocol::engineio;

namespace {

// The websocket side of an Engine.IO session: one bounded queue of packets and one writer,
// both confined to the connection's strand (Beast allows a single outstanding write).
template <class Stream>
class websocket_link final : public transport_link,
                             public std::enable_shared_from_this<websocket_link<Stream>> {
public:
    websocket_link(Stream&& s, strand st, const engine_settings& settings)
        : ws(std::move(s))
        , strand_(std::move(st))
        , settings_(settings)
        , wake_(strand_) {}

    websocket::stream<Stream> ws;

    void send(outgoing_packet p) override {
        net::dispatch(strand_, [self = this->shared_from_this(), p = std::move(p)]() mutable {
            self->enqueue(std::move(p));
        });
    }

    void close() override {
        net::dispatch(strand_, [self = this->shared_from_this()] {
            self->closing_ = true;
            self->wake_.cancel();
        });
    }

    // The reader is done: nothing more will be written either.
    void stop() {
        stopped_ = true;
        queue_.clear();
        account(-static_cast<std::int64_t>(queued_bytes_));
        wake_.cancel();
    }

    awaitable<void> write_loop() {
        auto self = this->shared_from_this();
        while (!stopped_) {
            if (!queue_.empty()) {
                auto p = std::move(queue_.front());
                queue_.pop_front();
                account(-static_cast<std::int64_t>(p.size()));
                auto [ec, n] =
                    co_await ws.async_write(p.buffers(), net::as_tuple(net::use_awaitable));
                if (ec) {
                    stop();
                    break;
                }
                continue;
            }
            if (closing_) {
                stopped_ = true;
                co_await ws.async_close(close_code_, net::as_tuple(net::use_awaitable));
                break;
            }
            wake_.expires_at(std::chrono::steady_clock::time_point::max());
            co_await wake_.async_wait(net::as_tuple(net::use_awaitable));
        }
    }

private:
    void account(std::int64_t delta) {
        queued_bytes_ = static_cast<std::size_t>(static_cast<std::int64_t>(queued_bytes_) + delta);
        metrics::instance().queued(delta);
    }

    void enqueue(outgoing_packet p) {
        if (stopped_ || closing_)
            return;
        if (queue_.size() >= settings_.queue_max_messages ||
            queued_bytes_ + p.size() > settings_.queue_max_bytes) {
            // A peer that cannot keep up is closed rather than buffered without limit: losing
            // one candidate silently would break its call with no visible error.
            log_event(spdlog::level::warn, "write queue limit hit",
                      {{"transport", "websocket"},
                       {"messages", static_cast<std::int64_t>(queue_.size())},
                       {"bytes", static_cast<std::int64_t>(queued_bytes_)}});
            queue_.clear();
            account(-static_cast<std::int64_t>(queued_bytes_));
            close_code_ = websocket::close_code::try_again_later;
            closing_ = true;
            wake_.cancel();
            return;
        }
        account(static_cast<std::int64_t>(p.size()));
        queue_.push_back(std::move(p));
        wake_.cancel();
    }

    strand strand_;
    const engine_settings& settings_;
    std::deque<outgoing_packet> queue_;
    std::size_t queued_bytes_ = 0;
    bool closing_ = false;
    bool stopped_ = false;
    websocket::close_code close_code_ = websocket::close_code::normal;
    net::steady_timer wake_;
};

template <class Link>
awaitable<std::string> read_text(Link& link, bool& ok) {
    std::string text;
    auto buf = net::dynamic_buffer(text);
    auto [ec, n] = co_await link.ws.async_read(buf, net::as_tuple(net::use_awaitable));
    ok = !ec && link.ws.got_text();
    co_return text;
}

} // namespace

template <class Stream>
awaitable<void> run_websocket(Stream stream, http::request<http::string_body> req,
                              std::shared_ptr<engine_session> existing, eio::version v,
                              strand conn_strand, server_context& ctx) {
    beast::error_code pec;
    const auto peer = beast::get_lowest_layer(stream).socket().remote_endpoint(pec);
    auto link =
        std::make_shared<websocket_link<Stream>>(std::move(stream), conn_strand, ctx.engine);
    auto& ws = link->ws;
    beast::get_lowest_layer(ws).expires_never();
    websocket::stream_base::timeout t{};
    t.handshake_timeout = ctx.config.handshake_timeout;
    // Liveness is Engine.IO's ping/pong; this only bounds the upgrade probe.
    t.idle_timeout = existing ? ctx.config.upgrade_timeout : websocket::stream_base::none();
    t.keep_alive_pings = false;
    ws.set_option(t);
    ws.read_message_max(ctx.config.max_payload_bytes);
    ws.auto_fragment(false);
    ws.set_option(websocket::stream_base::decorator(
        [](websocket::response_type& res) { res.set(http::field::server, "switchboard"); }));

    ++ctx.websockets;
    struct count_guard {
        std::atomic<std::size_t>& n;
        ~count_guard() { --n; }
    } guard{ctx.websockets};
    auto [ec] = co_await ws.async_accept(req, net::as_tuple(net::use_awaitable));
    if (ec) {
        log_event(spdlog::level::debug, "websocket handshake failed", {{"error", ec.message()}});
        co_return;
    }
    net::co_spawn(conn_strand, link->write_loop(), net::detached);

    std::shared_ptr<engine_session> engine = existing;
    bool ok = false;
    if (engine) {
        // Upgrade of a polling session: "2probe" -> "3probe", then "5".
        auto probe = co_await read_text(*link, ok);
        if (ok && probe == "2probe") {
            link->send(outgoing_packet::control("3probe"));
            engine->upgrade_probed();
            auto upgrade = co_await read_text(*link, ok);
            ok = ok && upgrade == "5";
        } else {
            ok = false;
        }
        if (!ok) {
            // The session carries on over polling.
            link->close();
            engine->transport_closed(link.get());
            co_return;
        }
        t.idle_timeout = websocket::stream_base::none();
        ws.set_option(t);
        engine->upgrade_complete(link);
    } else {
        engine = std::make_shared<engine_session>(
            conn_strand, ctx.signaling, ctx.engines, ctx.engine, auth::new_session_id(), v,
            eio::transport::websocket, describe_client(peer, req));
        ctx.engines.add(engine);
        engine->start(link);
    }

    for (;;) {
        auto text = co_await read_text(*link, ok);
        if (!ok)
            break;
        engine->receive_frame(std::move(text));
    }
    link->stop();
    engine->transport_closed(link.get());
}

template awaitable<void> run_websocket<beast::tcp_stream>(beast::tcp_stream,
                                                          http::request<http::string_body>,
                                                          std::shared_ptr<engine_session>,
                                                          eio::version, strand, server_context&);
template awaitable<void> run_websocket<beast::ssl_stream<beast::tcp_stream>>(
    beast::ssl_stream<beast::tcp_stream>, http::request<http::string_body>,
    std::shared_ptr<engine_session>, eio::version, strand, server_context&);

} // namespace switchboard::server
