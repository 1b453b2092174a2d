// bare_relay: the practical ceiling for the relay benchmark. A websocket server with the same
// Engine.IO/socket.io framing as Switchboard that does only what one relayed candidate needs:
// parse the event, find the target, write the push (with an ack id, as Switchboard does) and
// the sender's ack. No EasyRTC validation, rooms, pings or limits. Loopback only.
#include "switchboard/protocol/easyrtc_envelopes.hpp"
#include "switchboard/protocol/engineio.hpp"
#include "switchboard/protocol/socketio.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/stream.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/serialize.hpp>

#include <chrono>
#include <cstdio>
#include <deque>
#include <iostream>
#include <memory>
#include <string>
#include <unordered_map>

namespace {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace json = boost::json;
namespace engineio = switchboard::protocol::engineio;
namespace socketio = switchboard::protocol::socketio;
using tcp = net::ip::tcp;
constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

class session;
std::unordered_map<std::string, std::shared_ptr<session>> by_id;
std::uint64_t next_session = 0;

std::uint64_t now_ms() {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                          std::chrono::system_clock::now().time_since_epoch())
                                          .count());
}

class session : public std::enable_shared_from_this<session> {
public:
    explicit session(tcp::socket s)
        : ws_(std::move(s))
        , id_("bare" + std::to_string(next_session++)) {}

    net::awaitable<void> run() {
        auto self = shared_from_this();
        beast::get_lowest_layer(ws_).socket().set_option(tcp::no_delay(true));
        auto [aec] = co_await ws_.async_accept(use_tuple);
        if (aec)
            co_return;
        ws_.text(true);
        send(engineio::encode_open({id_, false, 3600000, 3600000, 1000000}));
        for (;;) {
            auto [ec, n] = co_await ws_.async_read(in_, use_tuple);
            if (ec)
                break;
            handle({static_cast<const char*>(in_.cdata().data()), in_.size()});
            in_.consume(in_.size());
        }
        closed_ = true;
        if (registered_)
            by_id.erase(easyrtcid_);
    }

    void push(std::string frame) { send(std::move(frame)); }
    std::uint64_t next_push_id() { return next_push_id_++; }

private:
    void handle(std::string_view text) {
        auto p = engineio::decode_packet(text);
        if (!p || p->type != engineio::packet_type::message)
            return; // pongs and anything else
        auto s = socketio::decode_packet(p->data);
        if (!s)
            return;
        if (s->type == socketio::packet_type::connect) {
            std::string out = "4";
            socketio::append_connect_ok(out, id_);
            send(std::move(out));
            return;
        }
        if (s->type != socketio::packet_type::event || !s->ack_id)
            return; // the client's acks of our pushes
        unsigned char scratch[4096];
        json::monotonic_resource mr(scratch, sizeof scratch);
        auto ev = socketio::decode_event(s->data, &mr);
        if (!ev || !ev->arg.is_object())
            return;
        const json::object& body = ev->arg.get_object();
        std::string out = "4";
        if (ev->name == "easyrtcAuth") {
            easyrtcid_ = id_;
            registered_ = true;
            by_id[easyrtcid_] = shared_from_this();
            socketio::append_ack(out, *s->ack_id,
                                 R"({"msgType":"token","msgData":{"easyrtcid":")" + easyrtcid_ +
                                     R"(","roomData":{},"application":{"applicationName":"bench"},)"
                                     R"("iceConfig":{"iceServers":[]},"serverTime":)" +
                                     std::to_string(now_ms()) + "}}");
            send(std::move(out));
            return;
        }
        const auto* target = body.if_contains("targetEasyrtcid");
        auto it = target && target->is_string() ? by_id.find(std::string(target->get_string()))
                                                : by_id.end();
        if (ev->name != "easyrtcCmd" || it == by_id.end()) {
            socketio::append_ack(
                out, *s->ack_id,
                R"({"msgType":"error","msgData":{"errorCode":"MSG_REJECT_TARGET_EASYRTCID"}})");
            send(std::move(out));
            return;
        }
        session& to = *it->second;
        const auto* type = body.if_contains("msgType");
        const auto* data = body.if_contains("msgData");
        std::string frame = "4";
        socketio::append_event(frame, to.next_push_id(), "easyrtcCmd",
                               R"({"senderEasyrtcid":")" + easyrtcid_ + R"(","msgData":)" +
                                   (data ? json::serialize(*data) : "{}") + R"(,"easyrtcid":")" +
                                   it->first + R"(","msgType":)" +
                                   (type ? json::serialize(*type) : "\"\"") + R"(,"serverTime":)" +
                                   std::to_string(now_ms()) + "}");
        to.push(std::move(frame));
        socketio::append_ack(out, *s->ack_id, switchboard::protocol::easyrtc::ack_reply);
        send(std::move(out));
    }

    void send(std::string frame) {
        if (closed_)
            return;
        out_.push_back(std::move(frame));
        if (!writing_) {
            writing_ = true;
            net::co_spawn(ws_.get_executor(), write_loop(), net::detached);
        }
    }

    net::awaitable<void> write_loop() {
        auto self = shared_from_this();
        while (!out_.empty() && !closed_) {
            auto [ec, n] = co_await ws_.async_write(net::buffer(out_.front()), use_tuple);
            if (ec)
                break;
            out_.pop_front();
        }
        writing_ = false;
    }

    beast::websocket::stream<beast::tcp_stream> ws_;
    beast::flat_buffer in_;
    std::deque<std::string> out_;
    bool writing_ = false;
    bool closed_ = false;
    bool registered_ = false;
    std::string id_;
    std::string easyrtcid_;
    std::uint64_t next_push_id_ = 0;
};

net::awaitable<void> accept_loop(tcp::acceptor& acceptor) {
    for (;;) {
        auto [ec, socket] = co_await acceptor.async_accept(use_tuple);
        if (ec)
            co_return;
        net::co_spawn(acceptor.get_executor(), std::make_shared<session>(std::move(socket))->run(),
                      net::detached);
    }
}

} // namespace

int main(int argc, char** argv) {
    // Loopback only, on purpose: this is a measuring tool, not a server.
    const unsigned port = argc > 1 ? static_cast<unsigned>(std::stoul(argv[1])) : 0;
    net::io_context ioc(1);
    tcp::acceptor acceptor(ioc,
                           {net::ip::make_address("127.0.0.1"), static_cast<std::uint16_t>(port)});
    std::cout << "listening on 127.0.0.1:" << acceptor.local_endpoint().port() << std::endl;
    net::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&](auto, auto) { ioc.stop(); });
    net::co_spawn(ioc, accept_loop(acceptor), net::detached);
    ioc.run();
    by_id.clear();
    return 0;
}
