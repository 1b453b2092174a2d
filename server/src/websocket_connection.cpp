#include "switchboard/server/websocket_connection.hpp"

#include "switchboard/auth/ids.hpp"
#include "switchboard/server/logging.hpp"
#include "switchboard/server/metrics.hpp"
#include "switchboard/server/transport_link.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <array>
#include <utility>

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
        , settings_(settings) {}

    websocket::stream<Stream> ws;
    // Each read lands here first: an idle connection then holds no message buffer while it
    // waits. Sized so a typical candidate or answer ack arrives in one piece.
    std::array<char, 512> piece;

    void send(outgoing_packet p) override {
        net::dispatch(strand_, [self = this->shared_from_this(), p = std::move(p)]() mutable {
            self->enqueue(std::move(p));
        });
    }

    void close() override {
        net::dispatch(strand_, [self = this->shared_from_this()] {
            self->closing_ = true;
            if (!self->writing_)
                self->write_next();
        });
    }

    // The reader is done: nothing more will be written either.
    void stop() {
        stopped_ = true;
        queue_.clear();
        release_if_drained(queue_);
        account(-static_cast<std::int64_t>(queued_bytes_));
    }

private:
    // The writer is a chain of completion handlers rather than a coroutine waiting on a timer:
    // a packet for an idle connection starts its write at once, and an idle connection keeps
    // no writer frame. Packets wait in queue_ only while a write is in flight.
    void write_next() {
        if (stopped_) {
            writing_ = false;
            return;
        }
        if (queue_.empty()) {
            writing_ = false;
            release_if_drained(queue_);
            if (closing_) {
                stopped_ = true;
                ws.async_close(close_code_, [self = this->shared_from_this()](auto) {});
            }
            return;
        }
        auto next = std::move(queue_.front());
        queue_.pop_front();
        account(-static_cast<std::int64_t>(next.size()));
        write(std::move(next));
    }

    void write(outgoing_packet p) {
        writing_ = true;
        current_ = std::move(p);
        ws.async_write(current_.buffers(), [self = this->shared_from_this()](
                                               boost::system::error_code ec, std::size_t) {
            self->current_ = {};
            if (ec) {
                self->writing_ = false;
                self->stop();
                return;
            }
            self->write_next();
        });
    }

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
            release_if_drained(queue_);
            account(-static_cast<std::int64_t>(queued_bytes_));
            close_code_ = websocket::close_code::try_again_later;
            closing_ = true;
            if (!writing_)
                write_next();
            return;
        }
        if (!writing_) {
            write(std::move(p)); // the queue is empty: no need to pass through it
            return;
        }
        account(static_cast<std::int64_t>(p.size()));
        queue_.push_back(std::move(p));
    }

    strand strand_;
    const engine_settings& settings_;
    packet_queue queue_;
    outgoing_packet current_; // the packet being written; its buffers must outlive the write
    std::size_t queued_bytes_ = 0;
    bool writing_ = false;
    bool closing_ = false;
    bool stopped_ = false;
    websocket::close_code close_code_ = websocket::close_code::normal;
};

} // namespace

template <class Stream>
awaitable<void> run_websocket(std::unique_ptr<Stream> stream, http::request<http::string_body> req,
                              std::shared_ptr<engine_session> existing, client_address client,
                              eio::version v, [[maybe_unused]] tcp_connection_count counted,
                              strand conn_strand, server_context& ctx) {
    auto link =
        std::make_shared<websocket_link<Stream>>(std::move(*stream), conn_strand, ctx.engine);
    // Moving a Beast stream leaves the old one allocated: drop it now, not at the close.
    stream.reset();
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
    req = {}; // its headers are not needed for the connection's life

    std::shared_ptr<engine_session> engine = existing;
    // An upgrade of a polling session first sees "2probe" (answered "3probe"), then "5".
    enum class expecting : std::uint8_t { probe, upgrade, packets };
    auto next = expecting::packets;
    if (engine) {
        next = expecting::probe;
    } else {
        engine = std::make_shared<engine_session>(conn_strand, ctx.signaling, ctx.engines,
                                                  ctx.engine, auth::new_session_id(), v,
                                                  eio::transport::websocket, std::move(client));
        ctx.engines.add(engine);
        engine->start(link);
    }

    // Messages are read piece by piece through link->piece, inline rather than in a helper
    // coroutine: an idle connection then holds neither a message buffer nor a second frame.
    std::string text;
    for (;;) {
        auto [rec, n] = co_await ws.async_read_some(net::buffer(link->piece),
                                                    net::as_tuple(net::use_awaitable));
        if (rec)
            break;
        text.append(link->piece.data(), n);
        if (!ws.is_message_done())
            continue;
        if (!ws.got_text())
            break;
        if (next == expecting::packets) {
            engine->receive_frame(std::exchange(text, {}));
        } else if (next == expecting::probe && text == "2probe") {
            link->send(outgoing_packet::control("3probe"));
            engine->upgrade_probed();
            next = expecting::upgrade;
            text.clear();
        } else if (next == expecting::upgrade && text == "5") {
            t.idle_timeout = websocket::stream_base::none();
            ws.set_option(t);
            engine->upgrade_complete(link);
            next = expecting::packets;
            text.clear();
        } else {
            break;
        }
    }
    if (next != expecting::packets) {
        // A failed upgrade: the session carries on over polling.
        link->close();
        engine->transport_closed(link.get());
        co_return;
    }
    link->stop();
    engine->transport_closed(link.get());
}

template awaitable<void> run_websocket<beast::tcp_stream>(std::unique_ptr<beast::tcp_stream>,
                                                          http::request<http::string_body>,
                                                          std::shared_ptr<engine_session>,
                                                          client_address, eio::version,
                                                          tcp_connection_count, strand,
                                                          server_context&);
template awaitable<void> run_websocket<beast::ssl_stream<beast::tcp_stream>>(
    std::unique_ptr<beast::ssl_stream<beast::tcp_stream>>, http::request<http::string_body>,
    std::shared_ptr<engine_session>, client_address, eio::version, tcp_connection_count, strand,
    server_context&);

} // namespace switchboard::server
