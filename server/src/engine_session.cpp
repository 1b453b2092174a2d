#include "switchboard/server/engine_session.hpp"

#include "switchboard/auth/ids.hpp"
#include "switchboard/protocol/easyrtc_envelopes.hpp"
#include "switchboard/protocol/errc.hpp"
#include "switchboard/protocol/socketio.hpp"
#include "switchboard/server/engine_registry.hpp"
#include "switchboard/server/hub.hpp"
#include "switchboard/server/logging.hpp"
#include "switchboard/server/metrics.hpp"

#include <boost/json/monotonic_resource.hpp>

namespace switchboard::server {

namespace eio = protocol::engineio;
namespace sio = protocol::socketio;
using clock = std::chrono::steady_clock;

const char* to_string(close_cause c) noexcept {
    switch (c) {
    case close_cause::transport_closed:
        return "transport closed";
    case close_cause::ping_timeout:
        return "ping timeout";
    case close_cause::connect_timeout:
        return "no socket.io connect";
    case close_cause::client_close:
        return "client closed";
    case close_cause::client_disconnect:
        return "client disconnected";
    case close_cause::protocol_error:
        return "protocol error";
    case close_cause::queue_overflow:
        return "write queue full";
    case close_cause::poll_overlap:
        return "overlapping polls";
    case close_cause::signaling:
        return "closed by signaling";
    case close_cause::shutdown:
        return "server shutdown";
    }
    return "unknown";
}

engine_session::engine_session(strand s, hub& h, engine_registry& registry,
                               const engine_settings& settings, std::string sid, eio::version v,
                               eio::transport initial, client_address client)
    : strand_(std::move(s))
    , hub_(h)
    , registry_(registry)
    , settings_(settings)
    , sid_(std::move(sid))
    , client_(std::move(client))
    , id_(h.next_conn_id())
    , version_(v)
    , initial_(initial)
    , timer_(strand_) {}

engine_session::~engine_session() = default;

std::string engine_session::open_packet() const {
    eio::open_params p;
    p.sid = sid_;
    p.offer_websocket_upgrade = initial_ == eio::transport::polling;
    p.ping_interval_ms = static_cast<std::uint32_t>(settings_.ping_interval.count());
    p.ping_timeout_ms = static_cast<std::uint32_t>(settings_.ping_timeout.count());
    p.max_payload = settings_.max_payload;
    return eio::encode_open(p);
}

void engine_session::start(std::shared_ptr<transport_link> ws) {
    net::dispatch(strand_, [self = shared_from_this(), ws = std::move(ws)]() mutable {
        auto now = clock::now();
        self->created_at_ = now;
        self->next_ping_at_ = now + self->settings_.ping_interval;
        self->last_client_ping_ = now;
        self->ws_ = std::move(ws);
        metrics::instance().session_opened(self->ws_ ? metrics::transport::websocket
                                                     : metrics::transport::polling);
        log_event(spdlog::level::info, "connection opened",
                  {{"sid", self->sid_},
                   {"conn", static_cast<std::int64_t>(self->id_)},
                   {"transport", self->ws_ ? "websocket" : "polling"},
                   {"eio", static_cast<std::int64_t>(self->version_)},
                   {"remote", self->client_.remote},
                   {"forwarded_for", self->client_.forwarded_for}});
        if (self->ws_)
            self->ws_->send(outgoing_packet::control(self->open_packet()));
        if (self->version_ == eio::version::v3) {
            // socket.io v2 clients never send CONNECT for "/": the server connects them.
            self->socketio_connected_ = true;
            self->send(outgoing_packet::control("40"));
            self->hub_.connected(self->id_, self->weak_from_this());
        }
        self->arm_timer();
    });
}

void engine_session::do_poll(poll_handler h) {
    auto fail = [&h](protocol::errc e) { h->complete(make_error_code(e), {}); };
    if (state_ == state::closed || ws_) {
        fail(protocol::errc::unexpected_packet);
        return;
    }
    if (pending_poll_) {
        fail(protocol::errc::unexpected_packet);
        do_close(close_cause::poll_overlap);
        return;
    }
    pending_poll_ = std::move(h);
    if (upgrading_) {
        complete_poll({}, "6"); // release the client's poll so it can send "5" on the websocket
        return;
    }
    flush_poll();
}

boost::system::error_code engine_session::do_payload(std::string_view body) {
    if (state_ == state::closing) {
        finish(); // the client's own close after our DISCONNECT: nothing more to deliver
        return {};
    }
    if (state_ != state::open || ws_)
        return make_error_code(protocol::errc::unexpected_packet);
    auto packets = eio::decode_payload(body, version_);
    if (!packets) {
        do_close(close_cause::protocol_error);
        return packets.error();
    }
    for (const auto& p : *packets) {
        // Re-encode the view as the single packet on_packet expects: type digit + data.
        std::string text(1, static_cast<char>(p.type));
        text.append(p.data);
        on_packet(text);
        if (state_ != state::open)
            break;
    }
    return {};
}

void engine_session::upgrade_probed() {
    net::dispatch(strand_, [self = shared_from_this()] {
        if (self->state_ != state::open)
            return;
        self->upgrading_ = true;
        if (self->pending_poll_)
            self->complete_poll({}, "6");
    });
}

void engine_session::upgrade_complete(std::shared_ptr<transport_link> ws) {
    net::dispatch(strand_, [self = shared_from_this(), ws = std::move(ws)]() mutable {
        if (self->state_ == state::closed) {
            ws->close();
            return;
        }
        self->upgrading_ = false;
        if (self->pending_poll_)
            self->complete_poll({}, "6");
        self->ws_ = std::move(ws);
        metrics::instance().session_upgraded();
        // Whatever polling had not delivered yet goes first, in order.
        for (auto& p : self->queue_)
            self->ws_->send(std::move(p));
        self->queue_.clear();
        release_if_drained(self->queue_);
        self->account_queued(-static_cast<std::int64_t>(self->queued_bytes_));
        // Closed while the upgrade was in flight: the client stopped polling, so what was left
        // for it (an error reply, the DISCONNECT, the close) goes over the new websocket.
        if (self->state_ == state::closing) {
            self->ws_->close();
            self->finish();
        }
    });
}

void engine_session::receive_frame(std::string text) {
    net::dispatch(strand_, [self = shared_from_this(), text = std::move(text)] {
        if (self->state_ == state::open)
            self->on_packet(text);
    });
}

void engine_session::transport_closed(const transport_link* link) {
    net::dispatch(strand_, [self = shared_from_this(), link] {
        if (self->ws_.get() == link)
            self->do_close(close_cause::transport_closed);
        else
            self->upgrading_ = false; // a failed upgrade: polling goes on
    });
}

void engine_session::deliver_reply(std::uint64_t ack_id,
                                   std::shared_ptr<const std::string> payload) {
    net::dispatch(strand_, [self = shared_from_this(), ack_id, payload = std::move(payload)] {
        self->send(outgoing_packet::ack(ack_id, payload));
    });
}

void engine_session::deliver_push(std::shared_ptr<const protocol::push_frame> frame,
                                  const core::recipient_id& recipient) {
    net::dispatch(strand_, [self = shared_from_this(), frame = std::move(frame), recipient] {
        // EasyRTC's client acks every push that carries an id; ids are per socket.
        self->send(outgoing_packet::event(self->next_push_id_++, frame, recipient));
    });
}

void engine_session::disconnect(close_cause why) {
    net::dispatch(strand_, [self = shared_from_this(), why] {
        if (self->state_ != state::open)
            return;
        self->send(outgoing_packet::control("41"));
        self->do_close(why);
    });
}

void engine_session::close(close_cause why) {
    net::dispatch(strand_, [self = shared_from_this(), why] { self->do_close(why); });
}

void engine_session::close_unless_connected() {
    net::dispatch(strand_, [self = shared_from_this()] {
        if (!self->socketio_connected_)
            self->do_close(close_cause::shutdown);
    });
}

void engine_session::on_packet(std::string_view text) {
    auto p = eio::decode_packet(text);
    if (!p) {
        log_event(spdlog::level::debug, "bad engine.io packet",
                  {{"sid", sid_}, {"error", p.error().message()}});
        do_close(close_cause::protocol_error);
        return;
    }
    switch (p->type) {
    case eio::packet_type::message:
        on_socketio(p->data);
        break;
    case eio::packet_type::pong:
        if (version_ == eio::version::v4 && awaiting_pong_) {
            awaiting_pong_ = false;
            next_ping_at_ = clock::now() + settings_.ping_interval;
        }
        if (socketio_connected_)
            hub_.activity(id_);
        break;
    case eio::packet_type::ping:
        if (version_ == eio::version::v3) {
            last_client_ping_ = clock::now();
            std::string pong = "3";
            pong.append(p->data);
            send(outgoing_packet::control(std::move(pong)));
            if (socketio_connected_)
                hub_.activity(id_);
        }
        break;
    case eio::packet_type::close:
        do_close(close_cause::client_close);
        break;
    case eio::packet_type::upgrade:
    case eio::packet_type::noop:
        break;
    case eio::packet_type::open:
        do_close(close_cause::protocol_error);
        break;
    }
}

void engine_session::on_socketio(std::string_view text) {
    auto p = sio::decode_packet(text);
    if (!p) {
        log_event(spdlog::level::debug, "bad socket.io packet",
                  {{"sid", sid_}, {"error", p.error().message()}});
        do_close(close_cause::protocol_error);
        return;
    }
    if (p->nsp != "/") {
        std::string err = "4";
        sio::append_connect_error(err, p->nsp, "Invalid namespace");
        send(outgoing_packet::control(std::move(err)));
        return;
    }
    switch (p->type) {
    case sio::packet_type::connect: {
        if (socketio_connected_)
            return;
        socketio_connected_ = true;
        std::string ok = "4";
        sio::append_connect_ok(ok, auth::new_session_id());
        send(outgoing_packet::control(std::move(ok)));
        hub_.connected(id_, weak_from_this());
        return;
    }
    case sio::packet_type::disconnect:
        do_close(close_cause::client_disconnect);
        return;
    case sio::packet_type::event: {
        if (!socketio_connected_) {
            do_close(close_cause::protocol_error);
            return;
        }
        // One arena per request instead of an allocation per JSON node; it lives as long as
        // the request's value, which the hub reads on its strand and then drops.
        auto ev = sio::decode_event(
            p->data, boost::json::make_shared_resource<boost::json::monotonic_resource>());
        if (!ev) {
            log_event(spdlog::level::debug, "bad socket.io event",
                      {{"sid", sid_}, {"error", ev.error().message()}});
            do_close(close_cause::protocol_error);
            return;
        }
        core::channel ch;
        if (ev->name == "easyrtcCmd")
            ch = core::channel::cmd;
        else if (ev->name == "easyrtcMsg")
            ch = core::channel::msg;
        else if (ev->name == "easyrtcAuth")
            ch = core::channel::auth;
        else {
            log_event(spdlog::level::debug, "event without handler", {{"sid", sid_}});
            if (p->ack_id) {
                // One reply per request, in EasyRTC's error form, even for events it never sends.
                using namespace std::chrono;
                auto wall = duration_cast<milliseconds>(system_clock::now().time_since_epoch());
                send(outgoing_packet::ack(
                    *p->ack_id, std::make_shared<const std::string>(protocol::easyrtc::error_reply(
                                    protocol::easyrtc::error::msg_reject_bad_type, wall.count()))));
            }
            return;
        }
        hub_.request(id_, ch, p->ack_id, std::move(ev->arg), clock::now());
        return;
    }
    case sio::packet_type::ack:
        hub_.activity(id_); // the client acknowledged one of our pushes
        return;
    case sio::packet_type::binary_event:
    case sio::packet_type::binary_ack: {
        std::string err = "4";
        sio::append_connect_error(err, "/", "binary packets are not supported");
        send(outgoing_packet::control(std::move(err)));
        do_close(close_cause::protocol_error);
        return;
    }
    case sio::packet_type::connect_error:
        do_close(close_cause::protocol_error);
        return;
    }
}

void engine_session::send(outgoing_packet p) {
    if (state_ != state::open)
        return; // the close packet, queued last, must stay last

    if (ws_) {
        ws_->send(std::move(p));
        return;
    }
    if (queue_.size() >= settings_.queue_max_messages ||
        queued_bytes_ + p.size() > settings_.queue_max_bytes) {
        log_event(spdlog::level::warn, "write queue limit hit",
                  {{"sid", sid_},
                   {"transport", "polling"},
                   {"messages", static_cast<std::int64_t>(queue_.size())},
                   {"bytes", static_cast<std::int64_t>(queued_bytes_)}});
        queue_.clear();
        release_if_drained(queue_);
        account_queued(-static_cast<std::int64_t>(queued_bytes_));
        do_close(close_cause::queue_overflow);
        return;
    }
    account_queued(static_cast<std::int64_t>(p.size()));
    queue_.push_back(std::move(p));
    flush_poll();
}

void engine_session::account_queued(std::int64_t delta) {
    queued_bytes_ = static_cast<std::size_t>(static_cast<std::int64_t>(queued_bytes_) + delta);
    metrics::instance().queued(delta);
}

void engine_session::flush_poll() {
    if (!pending_poll_ || queue_.empty())
        return;
    std::string body;
    std::string one;
    // Always at least one packet, then as many as fit in maxPayload, which the client honours.
    while (!queue_.empty()) {
        auto& p = queue_.front();
        if (!body.empty() && body.size() + p.size() + 8 > settings_.max_payload)
            break;
        // The close packet travels alone: socket.io-client decodes a payload's messages after
        // the engine has handled it, so a close batched behind a DISCONNECT would win the race
        // and the client would report "transport close" instead of the server's disconnect.
        if (!body.empty() && state_ == state::closing && queue_.size() == 1)
            break;
        one.clear();
        p.append_to(one);
        eio::append_to_payload(body, one, version_);
        account_queued(-static_cast<std::int64_t>(p.size()));
        queue_.pop_front();
    }
    release_if_drained(queue_);
    complete_poll({}, std::move(body));
    if (state_ == state::closing && queue_.empty())
        finish();
}

void engine_session::complete_poll(boost::system::error_code ec, std::string body) {
    if (!pending_poll_)
        return;
    if (!ec && version_ == eio::version::v3 && (body == "6" || body == "1")) {
        std::string framed;
        eio::append_to_payload(framed, body, version_);
        body = std::move(framed);
    }
    auto waiter = std::move(pending_poll_);
    waiter->complete(ec, std::move(body));
}

void engine_session::do_close(close_cause why) {
    if (state_ != state::open)
        return;
    log_event(spdlog::level::info, "connection closed",
              {{"sid", sid_},
               {"conn", static_cast<std::int64_t>(id_)},
               {"reason", to_string(why)},
               {"remote", client_.remote}});
    metrics::instance().session_closed(ws_ ? metrics::transport::websocket
                                           : metrics::transport::polling,
                                       static_cast<std::size_t>(why));
    if (socketio_connected_)
        hub_.disconnected(id_);
    if (ws_) {
        ws_->close();
        finish();
        return;
    }
    // Polling: the client learns of the close from its next poll, which also carries what was
    // still queued (e.g. the error reply before a DISCONNECT).
    send(outgoing_packet::control("1"));
    state_ = state::closing;
    closing_deadline_ = clock::now() + settings_.ping_timeout;
    timer_.cancel();
    flush_poll();
}

void engine_session::finish() {
    if (state_ == state::closed)
        return;
    state_ = state::closed;
    timer_.cancel();
    queue_.clear();
    release_if_drained(queue_);
    account_queued(-static_cast<std::int64_t>(queued_bytes_));
    if (pending_poll_)
        complete_poll(make_error_code(protocol::errc::unexpected_packet), {});
    ws_.reset();
    registry_.remove(sid_);
}

clock::time_point engine_session::check_deadlines(clock::time_point now) {
    if (state_ == state::closed)
        return clock::time_point::max();
    if (state_ == state::closing) {
        if (now >= closing_deadline_) {
            finish();
            return clock::time_point::max();
        }
        return closing_deadline_;
    }
    if (!socketio_connected_ && now >= created_at_ + settings_.connect_timeout) {
        do_close(close_cause::connect_timeout);
        return check_deadlines(now);
    }
    clock::time_point due;
    if (version_ == eio::version::v4) {
        if (awaiting_pong_ && now >= ping_sent_at_ + settings_.ping_timeout) {
            do_close(close_cause::ping_timeout);
            return check_deadlines(now);
        }
        if (!awaiting_pong_ && now >= next_ping_at_) {
            awaiting_pong_ = true;
            ping_sent_at_ = now;
            send(outgoing_packet::control("2"));
        }
        due = awaiting_pong_ ? ping_sent_at_ + settings_.ping_timeout : next_ping_at_;
    } else {
        due = last_client_ping_ + settings_.ping_interval + settings_.ping_timeout;
        if (now >= due) {
            do_close(close_cause::ping_timeout);
            return check_deadlines(now);
        }
    }
    if (!socketio_connected_)
        due = std::min(due, created_at_ + settings_.connect_timeout);
    return due;
}

// A completion handler, not a coroutine, so an idle session keeps no frame for its timer.
// Cancelling timer_ makes the deadlines be looked at again now.
void engine_session::arm_timer() {
    if (state_ == state::closed)
        return;
    auto due = check_deadlines(clock::now());
    if (state_ == state::closed)
        return;
    timer_.expires_at(due);
    timer_.async_wait(
        [self = shared_from_this()](boost::system::error_code) { self->arm_timer(); });
}

} // namespace switchboard::server
