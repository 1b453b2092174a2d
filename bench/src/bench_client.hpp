#pragma once

#include "client_stream.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

// One EasyRTC client over Engine.IO v4 websocket, as lean as the load generator needs: it answers
// pings, acks server pushes, tracks its room views from roomData, and checks what it receives.
namespace switchboard::bench {

namespace json = boost::json;

// Whether `v` is a JSON string equal to `s` (null-safe, for if_contains results).
inline bool string_is(const json::value* v, std::string_view s) noexcept {
    return v && v->is_string() && v->get_string() == s;
}

// Failed correctness checks, counted across the run; the first few are kept for the report.
class check_log {
public:
    void fail(std::string what);
    std::uint64_t failures() const noexcept { return failures_; }
    const std::vector<std::string>& first_failures() const noexcept { return first_; }

private:
    std::uint64_t failures_ = 0;
    std::vector<std::string> first_;
};

struct traffic {
    std::uint64_t frames_sent = 0;
    std::uint64_t bytes_sent = 0;
    std::uint64_t frames_received = 0;
    std::uint64_t bytes_received = 0;
};

// State shared by every client of one run (the generator is single-threaded).
struct run_context {
    net::io_context& ioc;
    tcp::endpoint server;
    // The reference sends two identical updateClient deltas per authenticated join (spec §4);
    // with this set they are accepted, otherwise any duplicate delta is a failure.
    bool tolerate_reference = false;
    // Null for plain TCP; else the TLS client context every connection is made with.
    net::ssl::context* tls = nullptr;
    check_log checks;
    traffic wire;
    std::uint64_t update_deltas = 0;
    std::uint64_t duplicate_update_deltas = 0;
    std::uint64_t remove_deltas = 0;
};

class bench_client : public std::enable_shared_from_this<bench_client> {
public:
    using ack_handler = std::function<void(bench_client&, const json::object& reply)>;
    // event name ("easyrtcCmd"/"easyrtcMsg") and the pushed object. Room views are already
    // updated when this runs.
    using push_handler =
        std::function<void(bench_client&, std::string_view event, const json::object& body)>;
    using room_view = std::unordered_set<std::string>;

    bench_client(run_context& ctx, std::size_t index);

    // TCP connect, websocket handshake, Engine.IO open, socket.io CONNECT, then easyrtcAuth with
    // `auth_msg_data` (a JSON object) until the token arrives. Returns false after logging why.
    net::awaitable<bool> open(std::string auth_msg_data);

    // 42<id>["event",body] with a fresh ack id; `on_ack` gets the reply object.
    void emit(std::string_view event, std::string_view json_body, ack_handler on_ack);
    void close();
    // Applies an ack's or push's roomData object to this client's views.
    void apply_room_data(const json::object& room_data);
    // Records a failure for this client and drops its connection.
    void lost(std::string_view why);

    std::size_t index() const noexcept { return index_; }
    const std::string& easyrtcid() const noexcept { return easyrtcid_; }
    bool is_open() const noexcept { return authenticated_ && !closed_; }
    std::size_t pending_acks() const noexcept { return pending_.size(); }
    const std::unordered_map<std::string, room_view>& rooms() const noexcept { return rooms_; }
    // Ids this client saw removed from a room (by removeClient), for the leave check.
    const std::unordered_set<std::string>& removed_peers() const noexcept { return removed_; }

    push_handler on_push;
    // Runs after any roomData changed a view of this client.
    std::function<void(bench_client&, std::string_view room)> on_room_change;

private:
    net::awaitable<void> read_loop();
    net::awaitable<void> write_loop();
    void send(std::string frame);
    // Waits until `done()` holds, the client is closed or `deadline` passes; the read loop
    // cancels wake_ whenever it handles something a waiter may be waiting for.
    net::awaitable<bool> wait_until(const std::function<bool()>& done,
                                    std::chrono::steady_clock::time_point deadline);
    void handle_frame(std::string_view text);
    void handle_ack(std::uint64_t id, std::string_view data);
    void handle_event(std::optional<std::uint64_t> id, std::string_view data);

    run_context& ctx_;
    std::size_t index_;
    std::unique_ptr<client_stream> stream_;
    beast::flat_buffer in_;
    std::deque<std::string> out_;
    net::steady_timer wake_;
    bool writing_ = false;
    bool connected_ = false;
    bool closed_ = false;
    bool authenticated_ = false;
    std::uint64_t next_ack_id_ = 0;
    std::unordered_map<std::uint64_t, ack_handler> pending_;
    std::string easyrtcid_;
    std::unordered_map<std::string, room_view> rooms_;
    std::unordered_set<std::string> removed_;
};

using client_ptr = std::shared_ptr<bench_client>;

} // namespace switchboard::bench
