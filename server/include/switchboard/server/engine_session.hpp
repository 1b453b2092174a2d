#pragma once

#include "switchboard/core/actions.hpp"
#include "switchboard/core/signaling_core.hpp"
#include "switchboard/protocol/engineio.hpp"
#include "switchboard/server/client_address.hpp"
#include "switchboard/server/net.hpp"
#include "switchboard/server/outgoing_packet.hpp"
#include "switchboard/server/transport_link.hpp"

#include <boost/asio/append.hpp>
#include <boost/asio/associated_executor.hpp>
#include <boost/asio/async_result.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <memory>
#include <string>

namespace switchboard::server {

class hub;
class engine_registry;

struct engine_settings {
    std::chrono::milliseconds ping_interval{5000};
    std::chrono::milliseconds ping_timeout{10000};
    std::chrono::milliseconds connect_timeout{45000};
    std::uint64_t max_payload = 1000000;
    std::size_t queue_max_messages = 1024;
    std::size_t queue_max_bytes = 4 * 1024 * 1024;
};

enum class close_cause : std::uint8_t {
    transport_closed,
    ping_timeout,
    connect_timeout,
    client_close,      // Engine.IO close packet
    client_disconnect, // socket.io DISCONNECT
    protocol_error,
    queue_overflow,
    poll_overlap,
    signaling, // the core asked (auth failure, stillAlive timeout, shutdown)
    shutdown,
};
const char* to_string(close_cause c) noexcept;

// One Engine.IO connection (one `sid`), independent of which transport carries it at the
// moment: long-polling requests, a websocket, or polling while a websocket upgrade is probed.
// All state is confined to `strand_`; every public member function may be called from any
// thread and hops onto it.
class engine_session : public std::enable_shared_from_this<engine_session> {
public:
    engine_session(strand s, hub& h, engine_registry& registry, const engine_settings& settings,
                   std::string sid, protocol::engineio::version v,
                   protocol::engineio::transport initial, client_address client);
    ~engine_session();

    const std::string& sid() const noexcept { return sid_; }
    core::conn_id id() const noexcept { return id_; }
    protocol::engineio::version version() const noexcept { return version_; }
    protocol::engineio::transport initial_transport() const noexcept { return initial_; }

    // The open packet, type digit included.
    std::string open_packet() const;

    // Starts timers; a direct websocket passes its link, a polling handshake passes null.
    void start(std::shared_ptr<transport_link> ws);

    // Long-poll GET: completes with a payload when packets are queued, at the latest with the
    // next ping; with an error when the request is not acceptable (answer 400).
    template <class Token>
    auto async_poll(Token&& token) {
        return net::async_initiate<Token, void(boost::system::error_code, std::string)>(
            [self = shared_from_this()](auto handler) {
                auto waiter =
                    std::make_unique<poll_waiter_for<decltype(handler)>>(std::move(handler));
                net::post(self->strand_,
                          [self, w = std::move(waiter)]() mutable { self->do_poll(std::move(w)); });
            },
            token);
    }

    // Polling POST body: completes with an error when the body is malformed (answer 400).
    template <class Token>
    auto async_post_payload(std::string body, Token&& token) {
        return net::async_initiate<Token, void(boost::system::error_code)>(
            [self = shared_from_this()](auto handler, std::string b) {
                net::post(self->strand_,
                          [self, b = std::move(b), h = std::move(handler)]() mutable {
                              auto ec = self->do_payload(b);
                              net::post(net::append(std::move(h), ec));
                          });
            },
            token, std::move(body));
    }

    // A websocket with this sid answered the probe; the pending poll is released with a noop.
    void upgrade_probed();
    // The client sent "5" on the websocket: it carries everything from now on.
    void upgrade_complete(std::shared_ptr<transport_link> ws);
    // One text frame from the websocket that carries this session.
    void receive_frame(std::string text);
    // The websocket ended; `link` tells which one, since a failed probe must not close us.
    void transport_closed(const transport_link* link);

    // From the hub: answers and pushes produced by the core.
    void deliver_reply(std::uint64_t ack_id, std::shared_ptr<const std::string> payload);
    void deliver_push(std::shared_ptr<const protocol::push_frame> frame,
                      const core::recipient_id& recipient);
    // From the hub: socket.io DISCONNECT, then close.
    void disconnect(close_cause why);
    void close(close_cause why);
    // At shutdown: sessions the core knows are closed by it, after it told the client why.
    void close_unless_connected();

private:
    // The held GET's completion handler, type-erased. (Asio 1.81's any_completion_handler
    // recurses when moved into append(), hence this small interface.)
    struct poll_waiter {
        virtual ~poll_waiter() = default;
        virtual void complete(boost::system::error_code ec, std::string body) = 0;
    };
    template <class Handler>
    struct poll_waiter_for final : poll_waiter {
        explicit poll_waiter_for(Handler h)
            : handler(std::move(h)) {}
        void complete(boost::system::error_code ec, std::string body) override {
            // Always posted: the request's coroutine resumes on its own executor, never inline.
            auto ex = net::get_associated_executor(handler);
            net::post(ex, [h = std::move(handler), ec, b = std::move(body)]() mutable {
                std::move(h)(ec, std::move(b));
            });
        }
        Handler handler;
    };
    using poll_handler = std::unique_ptr<poll_waiter>;
    enum class state : std::uint8_t { open, closing, closed };

    void do_poll(poll_handler h);
    boost::system::error_code do_payload(std::string_view body);
    void on_packet(std::string_view text);
    void on_socketio(std::string_view text);
    void send(outgoing_packet p);
    void flush_poll();
    void account_queued(std::int64_t delta);
    void complete_poll(boost::system::error_code ec, std::string body);
    void do_close(close_cause why);
    void finish();
    void arm_timer();
    std::chrono::steady_clock::time_point
    check_deadlines(std::chrono::steady_clock::time_point now);

    strand strand_;
    hub& hub_;
    engine_registry& registry_;
    const engine_settings& settings_;
    const std::string sid_;
    const client_address client_;
    const core::conn_id id_;
    const protocol::engineio::version version_;
    const protocol::engineio::transport initial_;

    state state_ = state::open;
    bool socketio_connected_ = false;
    bool upgrading_ = false;
    std::uint64_t next_push_id_ = 0;

    std::shared_ptr<transport_link> ws_;
    packet_queue queue_; // polling only: a websocket keeps its own queue
    std::size_t queued_bytes_ = 0;
    poll_handler pending_poll_;

    net::steady_timer timer_;
    std::chrono::steady_clock::time_point created_at_;
    std::chrono::steady_clock::time_point next_ping_at_;
    std::chrono::steady_clock::time_point ping_sent_at_;
    std::chrono::steady_clock::time_point last_client_ping_; // EIO=3: the client pings
    std::chrono::steady_clock::time_point closing_deadline_;
    bool awaiting_pong_ = false;
};

} // namespace switchboard::server
