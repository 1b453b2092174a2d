#include "switchboard/server/server.hpp"

#include "switchboard/auth/ids.hpp"
#include "switchboard/server/http_connection.hpp"
#include "switchboard/server/tls_context.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <spdlog/spdlog.h>

#include <exception>
#include <stdexcept>
#include <thread>

namespace switchboard::server {

namespace {

constexpr auto use = net::as_tuple(net::use_awaitable);

engine_settings engine_settings_from(const server_config& c) {
    engine_settings s;
    s.ping_interval = c.ping_interval;
    s.ping_timeout = c.ping_timeout;
    s.connect_timeout = c.connect_timeout;
    s.max_payload = c.max_payload_bytes;
    s.queue_max_messages = c.write_queue_max_messages;
    s.queue_max_bytes = c.write_queue_max_bytes;
    return s;
}

// One misbehaving connection must never take the process down: log what escaped and go on.
void log_escaped(std::exception_ptr e) {
    if (!e)
        return;
    try {
        std::rethrow_exception(e);
    } catch (const std::exception& ex) {
        spdlog::error("connection ended by an exception: {}", ex.what());
    }
}

} // namespace

server::server(server_config cfg, std::shared_ptr<core::ice_source> ice)
    : config_(std::move(cfg))
    , ioc_(static_cast<int>(config_.threads))
    , tls_(config_.tls_cert_file.empty()
               ? nullptr
               : make_tls_context(config_.tls_cert_file, config_.tls_key_file))
    , hub_(
          ioc_, config_.signaling, [] { return auth::new_easyrtcid(); }, std::move(ice))
    , ctx_{ioc_, config_, engine_settings_from(config_), hub_, engines_, tls_.get()}
    , signals_(ioc_, SIGINT, SIGTERM) {
    for (const auto& l : config_.listen) {
        boost::system::error_code ec;
        auto address = net::ip::make_address(l.host, ec);
        if (ec)
            throw std::runtime_error("--listen " + l.host + ": not an IP address");
        net::ip::tcp::endpoint ep(address, l.port);
        auto a = std::make_unique<net::ip::tcp::acceptor>(net::make_strand(ioc_));
        a->open(ep.protocol());
        a->set_option(net::socket_base::reuse_address(true));
        if (ep.protocol() == net::ip::tcp::v6())
            a->set_option(net::ip::v6_only(true));
        a->bind(ep, ec);
        if (ec)
            throw std::runtime_error("--listen " + l.host + ":" + std::to_string(l.port) + ": " +
                                     ec.message());
        a->listen(net::socket_base::max_listen_connections);
        auto bound = a->local_endpoint();
        spdlog::info("listening on {}:{} ({})", bound.address().to_string(), bound.port(),
                     tls_ ? (config_.tls_only ? "TLS only" : "TLS and plain") : "plain");
        acceptors_.push_back(std::move(a));
    }
}

server::~server() = default;

awaitable<void> server::accept_loop(net::ip::tcp::acceptor& acceptor) {
    net::steady_timer backoff(acceptor.get_executor());
    for (;;) {
        auto conn_strand = net::make_strand(ioc_);
        auto [ec, socket] = co_await acceptor.async_accept(conn_strand, use);
        if (ec == net::error::operation_aborted || !acceptor.is_open())
            co_return;
        if (ec) {
            // Out of descriptors or a transient network error: wait, never spin, never give up.
            spdlog::warn("accept failed: {}", ec.message());
            backoff.expires_after(
                std::chrono::milliseconds(ec == net::error::no_descriptors ? 500 : 50));
            co_await backoff.async_wait(use);
            continue;
        }
        boost::system::error_code ignored;
        socket.set_option(net::ip::tcp::no_delay(true), ignored);
        net::co_spawn(conn_strand, run_connection(std::move(socket), conn_strand, ctx_),
                      log_escaped);
    }
}

awaitable<void> server::drain() {
    ctx_.draining = true;
    for (auto& a : acceptors_)
        net::post(a->get_executor(), [&a] {
            boost::system::error_code ignored;
            a->close(ignored);
        });
    spdlog::info("draining {} connections", engines_.size());
    hub_.announce_shutdown();
    // Sessions that never reached socket.io CONNECT are unknown to the core: close them here.
    for (auto& s : engines_.snapshot())
        s->close_unless_connected();

    net::steady_timer t(ioc_);
    auto deadline = std::chrono::steady_clock::now() + config_.drain_timeout;
    // Websockets outlive their session by the close handshake: wait for those frames too.
    while ((engines_.size() > 0 || ctx_.websockets > 0) &&
           std::chrono::steady_clock::now() < deadline) {
        t.expires_after(std::chrono::milliseconds(20));
        co_await t.async_wait(use);
    }
    if (auto left = engines_.size())
        spdlog::warn("drain deadline passed with {} connections open", left);
    spdlog::info("stopped");
    ioc_.stop();
}

void server::run() {
    for (auto& a : acceptors_)
        net::co_spawn(a->get_executor(), accept_loop(*a), log_escaped);
    signals_.async_wait([this](boost::system::error_code ec, int sig) {
        if (ec)
            return;
        spdlog::info("signal {}: shutting down", sig);
        net::co_spawn(ioc_, drain(), log_escaped);
    });
    std::vector<std::thread> extra;
    for (unsigned i = 1; i < config_.threads; ++i)
        extra.emplace_back([this] { ioc_.run(); });
    ioc_.run();
    for (auto& t : extra)
        t.join();
}

} // namespace switchboard::server
