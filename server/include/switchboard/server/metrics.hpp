#pragma once

#include "switchboard/core/signaling_core.hpp"
#include "switchboard/protocol/easyrtc_errors.hpp"

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>

namespace switchboard::server {

// Process-wide counters behind GET /metrics (Prometheus text format 0.0.4). Updated on the hot
// path with relaxed atomics, so recording costs an uncontended add; read only when scraped.
// One open TCP connection in the metrics, from the TLS detection until the last owner lets go.
// Moved along when an HTTP connection becomes a websocket.
class tcp_connection_count {
public:
    explicit tcp_connection_count(bool tls) noexcept;
    tcp_connection_count(tcp_connection_count&& other) noexcept;
    tcp_connection_count& operator=(tcp_connection_count&&) = delete;
    ~tcp_connection_count();

private:
    bool tls_;
    bool counted_ = true;
};

class metrics {
public:
    static metrics& instance() noexcept;

    enum class transport : std::uint8_t { polling, websocket };

    // Every label value comes from a fixed table: app-defined easyrtcMsg types are one label,
    // so a client cannot grow the exposition without bound.
    static constexpr std::array<std::string_view, 16> message_types{
        "authenticate", "offer",       "answer",      "candidate", "reject",      "hangup",
        "getIceConfig", "getRoomList", "roomJoin",    "roomLeave", "setPresence", "setRoomApiField",
        "setUserCfg",   "stillAlive",  "app_message", "other"};
    static constexpr std::array<std::string_view, 3> families{"easyrtcAuth", "easyrtcCmd",
                                                              "easyrtcMsg"};
    static constexpr std::array<std::string_view, 10> close_reasons{
        "transport_closed",  "ping_timeout",   "connect_timeout", "client_close",
        "client_disconnect", "protocol_error", "queue_overflow",  "poll_overlap",
        "signaling",         "shutdown"};

    void tcp_opened(bool tls) noexcept;
    void tcp_closed(bool tls) noexcept;
    void session_opened(transport t) noexcept;
    void session_upgraded() noexcept; // polling -> websocket
    void session_closed(transport t, std::size_t close_reason) noexcept;
    void message_in(core::channel ch, std::size_t type_index) noexcept;
    void push_out(std::size_t count) noexcept;
    void reply_out(core::channel ch, const std::optional<protocol::easyrtc::error>& e) noexcept;
    void request_handled(std::chrono::steady_clock::duration d) noexcept;
    void queued(std::int64_t bytes) noexcept; // +added / -written or dropped
    void turn_credentials_issued() noexcept;

    // Index into message_types for an incoming request's msgType.
    static std::size_t type_index(core::channel ch, std::string_view msg_type) noexcept;

    std::string render(const core::stats& s, std::size_t engine_sessions, bool draining) const;

private:
    using counter = std::atomic<std::uint64_t>;
    static constexpr std::array<double, 12> buckets_s{
        0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.5};
    static constexpr std::size_t error_count =
        static_cast<std::size_t>(protocol::easyrtc::error::server_shutdown) + 1;

    std::array<counter, 2> tcp_total_{};                       // [tls]
    std::array<std::atomic<std::int64_t>, 2> tcp_open_{};      // [tls]
    std::array<std::atomic<std::int64_t>, 2> sessions_open_{}; // [transport]
    std::array<counter, 2> sessions_total_{};
    std::array<counter, close_reasons.size()> closes_{};
    std::array<std::array<counter, message_types.size()>, 3> messages_in_{}; // [channel][type]
    counter replies_out_{};
    counter pushes_out_{};
    std::array<counter, error_count> errors_{};
    counter auth_ok_{};
    counter auth_refused_{};
    std::array<counter, buckets_s.size()> latency_buckets_{};
    counter latency_count_{};
    counter latency_sum_ns_{};
    std::atomic<std::int64_t> queued_bytes_{};
    counter turn_credentials_{};
};

} // namespace switchboard::server
