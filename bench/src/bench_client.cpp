#include "bench_client.hpp"

#include "switchboard/protocol/easyrtc_envelopes.hpp"
#include "switchboard/protocol/engineio.hpp"
#include "switchboard/protocol/socketio.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/websocket/error.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>

#include <chrono>

namespace switchboard::bench {

namespace engineio = protocol::engineio;
namespace socketio = protocol::socketio;
namespace websocket = beast::websocket;
constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

void check_log::fail(std::string what) {
    ++failures_;
    if (first_.size() < 10)
        first_.push_back(std::move(what));
}

bench_client::bench_client(run_context& ctx, std::size_t index)
    : ctx_(ctx)
    , index_(index)
    , stream_(make_client_stream(ctx.ioc, ctx.tls))
    , wake_(ctx.ioc) {}

net::awaitable<bool> bench_client::open(std::string auth_msg_data) {
    using namespace std::chrono_literals;
    auto self = shared_from_this();
    // Named, not a temporary in the co_await: g++ 12 destroys such temporaries twice.
    std::string target = "/socket.io/?EIO=4&transport=websocket";
    if (auto error = co_await stream_->open(ctx_.server, target, 10); !error.empty()) {
        lost(error);
        co_return false;
    }
    auto [rec, n] = co_await stream_->read(in_);
    if (rec || n == 0 || static_cast<const char*>(in_.cdata().data())[0] != '0') {
        lost("no Engine.IO open packet");
        co_return false;
    }
    ctx_.wire.frames_received++;
    ctx_.wire.bytes_received += n;
    in_.consume(in_.size());
    stream_->settle_timeouts();
    net::co_spawn(ctx_.ioc, read_loop(), net::detached);
    // socket.io servers drop a client that emits before its CONNECT is answered (the reference
    // closes it as "invalid state"); socket.io-client buffers until then, and so does this.
    send("40");
    const auto deadline = std::chrono::steady_clock::now() + 10s;
    // Named, not temporaries in the co_await: g++ 12 destroys such temporaries twice.
    const std::function<bool()> is_connected = [this] { return connected_; };
    if (!co_await wait_until(is_connected, deadline)) {
        lost("no socket.io CONNECT answer within 10 s");
        co_return false;
    }
    // Shared: the handler stays in pending_ if this coroutine gives up first.
    auto answered = std::make_shared<bool>(false);
    emit("easyrtcAuth", R"({"msgType":"authenticate","msgData":)" + auth_msg_data + "}",
         [answered](bench_client& c, const json::object& reply) {
             *answered = true;
             c.wake_.cancel();
             const auto* type = reply.if_contains("msgType");
             const auto* data = reply.if_contains("msgData");
             const auto* id =
                 data && data->is_object() ? data->get_object().if_contains("easyrtcid") : nullptr;
             if (!string_is(type, "token") || !id || !id->is_string()) {
                 c.lost("authentication refused: " + json::serialize(reply));
                 return;
             }
             c.easyrtcid_ = std::string(id->get_string());
             if (const auto* rd = data->get_object().if_contains("roomData"); rd && rd->is_object())
                 c.apply_room_data(rd->get_object());
             c.authenticated_ = true;
         });
    const std::function<bool()> is_answered = [answered] { return *answered; };
    if (!co_await wait_until(is_answered, deadline))
        lost("no token within 10 s");
    co_return authenticated_ && !closed_;
}

net::awaitable<bool> bench_client::wait_until(const std::function<bool()>& done,
                                              std::chrono::steady_clock::time_point deadline) {
    while (!done() && !closed_ && std::chrono::steady_clock::now() < deadline) {
        wake_.expires_at(deadline);
        co_await wake_.async_wait(use_tuple);
    }
    co_return done() && !closed_;
}

void bench_client::emit(std::string_view event, std::string_view json_body, ack_handler on_ack) {
    const std::uint64_t id = next_ack_id_++;
    pending_.emplace(id, std::move(on_ack));
    std::string frame = "4";
    socketio::append_event(frame, id, event, json_body);
    send(std::move(frame));
}

void bench_client::close() {
    closed_ = true;
    wake_.cancel();
    stream_->kill();
}

void bench_client::lost(std::string_view why) {
    if (closed_)
        return;
    ctx_.checks.fail("client " + std::to_string(index_) + ": " + std::string(why));
    close();
}

void bench_client::send(std::string frame) {
    if (closed_)
        return;
    ctx_.wire.frames_sent++;
    ctx_.wire.bytes_sent += frame.size();
    out_.push_back(std::move(frame));
    if (!writing_) {
        writing_ = true;
        net::co_spawn(ctx_.ioc, write_loop(), net::detached);
    }
}

net::awaitable<void> bench_client::write_loop() {
    auto self = shared_from_this();
    // deque::push_back keeps references valid, so front() stays put while it is being written.
    while (!out_.empty() && !closed_) {
        auto [ec, n] = co_await stream_->write(net::buffer(out_.front()));
        if (ec) {
            lost("write: " + ec.message());
            break;
        }
        out_.pop_front();
    }
    writing_ = false;
}

net::awaitable<void> bench_client::read_loop() {
    auto self = shared_from_this();
    for (;;) {
        auto [ec, n] = co_await stream_->read(in_);
        if (ec) {
            if (ec == websocket::error::closed)
                lost("server closed the websocket: code " + std::to_string(stream_->reason().code) +
                     " " +
                     std::string(stream_->reason().reason.data(), stream_->reason().reason.size()));
            else
                lost("read: " + ec.message());
            co_return;
        }
        ctx_.wire.frames_received++;
        ctx_.wire.bytes_received += n;
        handle_frame({static_cast<const char*>(in_.cdata().data()), in_.size()});
        in_.consume(in_.size());
    }
}

void bench_client::handle_frame(std::string_view text) {
    auto p = engineio::decode_packet(text);
    if (!p) {
        ctx_.checks.fail("bad Engine.IO frame: " + std::string(text.substr(0, 80)));
        return;
    }
    switch (p->type) {
    case engineio::packet_type::ping:
        send("3");
        return;
    case engineio::packet_type::noop:
        return;
    case engineio::packet_type::close:
        lost("server sent Engine.IO close");
        return;
    case engineio::packet_type::message:
        break;
    default:
        ctx_.checks.fail("unexpected Engine.IO packet: " + std::string(text.substr(0, 80)));
        return;
    }
    auto s = socketio::decode_packet(p->data);
    if (!s) {
        ctx_.checks.fail("bad socket.io packet: " + std::string(text.substr(0, 80)));
        return;
    }
    switch (s->type) {
    case socketio::packet_type::connect:
        connected_ = true;
        wake_.cancel();
        return;
    case socketio::packet_type::ack:
        if (!s->ack_id) {
            ctx_.checks.fail("ack without id");
            return;
        }
        handle_ack(*s->ack_id, s->data);
        return;
    case socketio::packet_type::event:
        handle_event(s->ack_id, s->data);
        return;
    case socketio::packet_type::disconnect:
        lost("server sent socket.io DISCONNECT");
        return;
    default:
        ctx_.checks.fail("unexpected socket.io packet: " + std::string(text.substr(0, 80)));
        return;
    }
}

void bench_client::handle_ack(std::uint64_t id, std::string_view data) {
    auto it = pending_.find(id);
    if (it == pending_.end()) {
        ctx_.checks.fail("client " + std::to_string(index_) + ": ack " + std::to_string(id) +
                         " matches no request (or came twice)");
        return;
    }
    ack_handler handler = std::move(it->second);
    pending_.erase(it);
    unsigned char scratch[4096];
    json::monotonic_resource mr(scratch, sizeof scratch);
    boost::system::error_code ec;
    json::value v = json::parse(data, ec, &mr);
    const json::array* args = ec ? nullptr : v.if_array();
    if (!args || args->size() != 1 || !(*args)[0].is_object()) {
        ctx_.checks.fail("ack is not [object]: " + std::string(data.substr(0, 80)));
        return;
    }
    handler(*this, (*args)[0].get_object());
}

void bench_client::handle_event(std::optional<std::uint64_t> id, std::string_view data) {
    if (id) {
        std::string frame = "4";
        socketio::append_ack(frame, *id, protocol::easyrtc::ack_reply);
        send(std::move(frame));
    }
    unsigned char scratch[4096];
    json::monotonic_resource mr(scratch, sizeof scratch);
    auto ev = socketio::decode_event(data, &mr);
    if (!ev || !ev->arg.is_object()) {
        ctx_.checks.fail("push is not [name, object]: " + std::string(data.substr(0, 80)));
        return;
    }
    const json::object& body = ev->arg.get_object();
    if (const auto* to = body.if_contains("easyrtcid"); !string_is(to, easyrtcid_)) {
        ctx_.checks.fail("push not addressed to its recipient: " + std::string(data.substr(0, 80)));
        return;
    }
    if (const auto* type = body.if_contains("msgType"); string_is(type, "roomData")) {
        const auto* md = body.if_contains("msgData");
        const auto* rd = md && md->is_object() ? md->get_object().if_contains("roomData") : nullptr;
        if (!rd || !rd->is_object()) {
            ctx_.checks.fail("roomData push without msgData.roomData");
            return;
        }
        apply_room_data(rd->get_object());
    }
    if (on_push)
        on_push(*this, ev->name, body);
}

void bench_client::apply_room_data(const json::object& room_data) {
    auto fail = [&](std::string_view what, std::string_view room) {
        ctx_.checks.fail("client " + std::to_string(index_) + " room " + std::string(room) + ": " +
                         std::string(what));
    };
    for (const auto& [name, value] : room_data) {
        const json::object* room = value.if_object();
        const json::value* status = room ? room->if_contains("roomStatus") : nullptr;
        if (!status || !status->is_string()) {
            fail("roomData entry without roomStatus", name);
            continue;
        }
        if (status->get_string() == "join") {
            const json::value* list = room->if_contains("clientList");
            if (!list || !list->is_object()) {
                fail("join without clientList", name);
                continue;
            }
            room_view& view = rooms_[std::string(name)];
            view.clear();
            for (const auto& member : list->get_object())
                view.emplace(member.key());
        } else if (status->get_string() == "leave") {
            rooms_.erase(std::string(name));
        } else if (status->get_string() == "update") {
            auto it = rooms_.find(std::string(name));
            const json::value* delta = room->if_contains("clientListDelta");
            if (!delta)
                continue; // a room field update
            if (it == rooms_.end() || !delta->is_object()) {
                fail("delta for a room this client is not in", name);
                continue;
            }
            if (const auto* up = delta->get_object().if_contains("updateClient")) {
                for (const auto& member : up->is_object() ? up->get_object() : json::object{}) {
                    ++ctx_.update_deltas;
                    if (!it->second.emplace(member.key()).second) {
                        ++ctx_.duplicate_update_deltas;
                        if (!ctx_.tolerate_reference)
                            fail("duplicate updateClient for a known member", name);
                    }
                }
            }
            if (const auto* rm = delta->get_object().if_contains("removeClient")) {
                for (const auto& member : rm->is_object() ? rm->get_object() : json::object{}) {
                    ++ctx_.remove_deltas;
                    if (it->second.erase(std::string(member.key())) == 0)
                        fail("removeClient for an unknown member", name);
                    removed_.emplace(member.key());
                }
            }
        } else {
            fail("unknown roomStatus", name);
            continue;
        }
        if (on_room_change)
            on_room_change(*this, name);
    }
}

} // namespace switchboard::bench
