#include "switchboard/server/metrics.hpp"

#include <cstdio>
#include <map>
#include <utility>

namespace switchboard::server {

namespace {

constexpr auto relaxed = std::memory_order_relaxed;

std::size_t idx(core::channel ch) noexcept {
    return static_cast<std::size_t>(ch);
}

void line(std::string& out, std::string_view name, std::string_view labels, double value) {
    out.append(name);
    if (!labels.empty())
        out.append("{").append(labels).append("}");
    char buf[32];
    int n = std::snprintf(buf, sizeof buf, " %.17g\n", value);
    out.append(buf, static_cast<std::size_t>(n));
}

void header(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
    out.append("# HELP ").append(name).append(" ").append(help).append("\n");
    out.append("# TYPE ").append(name).append(" ").append(type).append("\n");
}

std::string label(std::string_view key, std::string_view value) {
    std::string s(key);
    s.append("=\"").append(value).append("\"");
    return s;
}

} // namespace

metrics& metrics::instance() noexcept {
    static metrics m;
    return m;
}

tcp_connection_count::tcp_connection_count(bool tls) noexcept
    : tls_(tls) {
    metrics::instance().tcp_opened(tls);
}

tcp_connection_count::tcp_connection_count(tcp_connection_count&& other) noexcept
    : tls_(other.tls_)
    , counted_(std::exchange(other.counted_, false)) {}

tcp_connection_count::~tcp_connection_count() {
    if (counted_)
        metrics::instance().tcp_closed(tls_);
}

void metrics::tcp_opened(bool tls) noexcept {
    tcp_total_[tls].fetch_add(1, relaxed);
    tcp_open_[tls].fetch_add(1, relaxed);
}

void metrics::tcp_closed(bool tls) noexcept {
    tcp_open_[tls].fetch_sub(1, relaxed);
}

void metrics::session_opened(transport t) noexcept {
    sessions_total_[static_cast<std::size_t>(t)].fetch_add(1, relaxed);
    sessions_open_[static_cast<std::size_t>(t)].fetch_add(1, relaxed);
}

void metrics::session_upgraded() noexcept {
    sessions_open_[static_cast<std::size_t>(transport::polling)].fetch_sub(1, relaxed);
    sessions_open_[static_cast<std::size_t>(transport::websocket)].fetch_add(1, relaxed);
}

void metrics::session_closed(transport t, std::size_t close_reason) noexcept {
    sessions_open_[static_cast<std::size_t>(t)].fetch_sub(1, relaxed);
    if (close_reason < closes_.size())
        closes_[close_reason].fetch_add(1, relaxed);
}

void metrics::message_in(core::channel ch, std::size_t type_index) noexcept {
    if (type_index < message_types.size())
        messages_in_[idx(ch)][type_index].fetch_add(1, relaxed);
}

void metrics::push_out(std::size_t count) noexcept {
    pushes_out_.fetch_add(count, relaxed);
}

void metrics::reply_out(core::channel ch,
                        const std::optional<protocol::easyrtc::error>& e) noexcept {
    replies_out_.fetch_add(1, relaxed);
    if (e) {
        errors_[static_cast<std::size_t>(*e)].fetch_add(1, relaxed);
    }
    if (ch == core::channel::auth)
        (e ? auth_refused_ : auth_ok_).fetch_add(1, relaxed);
}

void metrics::request_handled(std::chrono::steady_clock::duration d) noexcept {
    const double s = std::chrono::duration<double>(d).count();
    for (std::size_t i = 0; i < buckets_s.size(); ++i)
        if (s <= buckets_s[i]) {
            latency_buckets_[i].fetch_add(1, relaxed);
            break;
        }
    latency_count_.fetch_add(1, relaxed);
    latency_sum_ns_.fetch_add(
        static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(d).count()),
        relaxed);
}

void metrics::queued(std::int64_t bytes) noexcept {
    queued_bytes_.fetch_add(bytes, relaxed);
}

void metrics::turn_credentials_issued() noexcept {
    turn_credentials_.fetch_add(1, relaxed);
}

std::size_t metrics::type_index(core::channel ch, std::string_view msg_type) noexcept {
    if (ch == core::channel::msg)
        return message_types.size() - 2; // app_message
    for (std::size_t i = 0; i + 2 < message_types.size(); ++i)
        if (message_types[i] == msg_type)
            return i;
    return message_types.size() - 1; // other
}

std::string metrics::render(const core::stats& st, std::size_t engine_sessions,
                            bool draining) const {
    std::string out;
    out.reserve(8192);
    auto value = [](const auto& a) { return static_cast<double>(a.load(relaxed)); };

    header(out, "switchboard_up", "gauge", "1 while serving, 0 while draining");
    line(out, "switchboard_up", {}, draining ? 0 : 1);

    header(out, "switchboard_tcp_connections", "gauge", "Open TCP connections");
    header(out, "switchboard_tcp_connections_total", "counter", "Accepted TCP connections");
    for (int tls = 0; tls < 2; ++tls) {
        auto l = label("tls", tls ? "true" : "false");
        line(out, "switchboard_tcp_connections", l, value(tcp_open_[tls]));
        line(out, "switchboard_tcp_connections_total", l, value(tcp_total_[tls]));
    }

    header(out, "switchboard_sessions", "gauge", "Open Engine.IO sessions by current transport");
    header(out, "switchboard_sessions_total", "counter",
           "Engine.IO sessions opened, by first transport");
    for (std::size_t t = 0; t < 2; ++t) {
        auto l = label("transport", t == 0 ? "polling" : "websocket");
        line(out, "switchboard_sessions", l, value(sessions_open_[t]));
        line(out, "switchboard_sessions_total", l, value(sessions_total_[t]));
    }
    header(out, "switchboard_engine_sessions", "gauge", "Sessions registered, incl. closing ones");
    line(out, "switchboard_engine_sessions", {}, static_cast<double>(engine_sessions));

    header(out, "switchboard_session_closes_total", "counter", "Closed sessions by reason");
    for (std::size_t i = 0; i < close_reasons.size(); ++i)
        line(out, "switchboard_session_closes_total", label("reason", close_reasons[i]),
             value(closes_[i]));

    header(out, "switchboard_socketio_connections", "gauge", "socket.io-connected sessions");
    line(out, "switchboard_socketio_connections", {}, static_cast<double>(st.connections));
    header(out, "switchboard_authenticated_connections", "gauge",
           "Authenticated EasyRTC connections");
    line(out, "switchboard_authenticated_connections", {}, static_cast<double>(st.authenticated));
    header(out, "switchboard_applications", "gauge", "EasyRTC applications");
    line(out, "switchboard_applications", {}, static_cast<double>(st.applications));
    header(out, "switchboard_rooms", "gauge", "Rooms across applications");
    line(out, "switchboard_rooms", {}, static_cast<double>(st.rooms));
    header(out, "switchboard_room_occupants", "gauge", "Sum of room sizes");
    line(out, "switchboard_room_occupants", {}, static_cast<double>(st.occupants));

    header(out, "switchboard_messages_in_total", "counter", "EasyRTC requests received");
    for (std::size_t ch = 0; ch < families.size(); ++ch)
        for (std::size_t t = 0; t < message_types.size(); ++t) {
            auto n = messages_in_[ch][t].load(relaxed);
            if (n == 0)
                continue;
            line(out, "switchboard_messages_in_total",
                 label("family", families[ch]) + "," + label("type", message_types[t]),
                 static_cast<double>(n));
        }
    header(out, "switchboard_messages_out_total", "counter", "EasyRTC messages sent");
    line(out, "switchboard_messages_out_total", label("kind", "reply"), value(replies_out_));
    line(out, "switchboard_messages_out_total", label("kind", "push"), value(pushes_out_));

    header(out, "switchboard_errors_total", "counter", "EasyRTC error replies by errorCode");
    // Several internal causes share one wire code (e.g. rate limiting is MSG_REJECT_GEN_FAIL):
    // the exposition sums them under the code clients see.
    std::map<std::string_view, std::uint64_t> by_code;
    for (std::size_t i = 0; i < error_count; ++i)
        by_code[protocol::easyrtc::error_code(static_cast<protocol::easyrtc::error>(i))] +=
            errors_[i].load(relaxed);
    for (const auto& [code, n] : by_code)
        line(out, "switchboard_errors_total", label("code", code), static_cast<double>(n));
    header(out, "switchboard_auth_total", "counter", "authenticate requests by result");
    line(out, "switchboard_auth_total", label("result", "ok"), value(auth_ok_));
    line(out, "switchboard_auth_total", label("result", "refused"), value(auth_refused_));
    header(out, "switchboard_rate_limited_total", "counter", "Requests refused by the rate limit");
    line(out, "switchboard_rate_limited_total", {},
         value(
             errors_[static_cast<std::size_t>(protocol::easyrtc::error::msg_reject_rate_limited)]));

    header(out, "switchboard_request_duration_seconds", "histogram",
           "From a request's arrival on its connection to its replies and pushes being queued");
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i < buckets_s.size(); ++i) {
        cumulative += latency_buckets_[i].load(relaxed);
        char le[24];
        std::snprintf(le, sizeof le, "%g", buckets_s[i]);
        line(out, "switchboard_request_duration_seconds_bucket", label("le", le),
             static_cast<double>(cumulative));
    }
    line(out, "switchboard_request_duration_seconds_bucket", label("le", "+Inf"),
         value(latency_count_));
    line(out, "switchboard_request_duration_seconds_sum", {}, value(latency_sum_ns_) / 1e9);
    line(out, "switchboard_request_duration_seconds_count", {}, value(latency_count_));

    header(out, "switchboard_write_queue_bytes", "gauge",
           "Bytes queued for writing, all connections");
    line(out, "switchboard_write_queue_bytes", {}, value(queued_bytes_));
    header(out, "switchboard_turn_credentials_issued_total", "counter",
           "TURN REST credentials minted");
    line(out, "switchboard_turn_credentials_issued_total", {}, value(turn_credentials_));
    return out;
}

} // namespace switchboard::server
