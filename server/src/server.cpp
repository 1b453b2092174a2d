#include "switchboard/server/server.hpp"

#include "switchboard/auth/ids.hpp"
#include "switchboard/server/http_connection.hpp"
#include "switchboard/server/logging.hpp"
#include "switchboard/server/secret_file.hpp"
#include "switchboard/server/tls_context.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

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

} // namespace

server::server(server_config cfg, std::shared_ptr<provider_ice_source> ice)
    : config_(std::move(cfg))
    , ioc_(static_cast<int>(config_.threads))
    , hub_(
          ioc_, config_.signaling, [] { return auth::new_easyrtcid(); }, ice)
    , ctx_{ioc_, config_, engine_settings_from(config_), hub_, engines_, {}}
    , signals_(ioc_, SIGINT, SIGTERM)
    , reload_signal_(ioc_, SIGHUP)
    , ice_(std::move(ice)) {
    if (!config_.tls_cert_file.empty())
        ctx_.tls = make_tls_context(config_.tls_cert_file, config_.tls_key_file);
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
        const auto where = bound.address().to_string() + ":" + std::to_string(bound.port());
        log_event(spdlog::level::info, "listening on " + where,
                  {{"tls", ctx_.tls.load() ? (config_.tls_only ? "only" : "detected") : "off"}});
        acceptors_.push_back(std::move(a));
    }
}

server::~server() = default;

awaitable<void> server::accept_loop(net::ip::tcp::acceptor& acceptor) {
    net::steady_timer backoff(acceptor.get_executor());
    for (;;) {
        auto conn_strand = net::make_strand(ioc_);
        net::ip::tcp::endpoint peer; // for the logs, without a getpeername per connection
        auto [ec, socket] = co_await acceptor.async_accept(conn_strand, peer, use);
        if (ec == net::error::operation_aborted || !acceptor.is_open())
            co_return;
        if (ec) {
            // Out of descriptors or a transient network error: wait, never spin, never give up.
            log_event(spdlog::level::warn, "accept failed", {{"error", ec.message()}});
            backoff.expires_after(
                std::chrono::milliseconds(ec == net::error::no_descriptors ? 500 : 50));
            co_await backoff.async_wait(use);
            continue;
        }
        boost::system::error_code ignored;
        socket.set_option(net::ip::tcp::no_delay(true), ignored);
        net::co_spawn(conn_strand, run_connection(std::move(socket), peer, conn_strand, ctx_),
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
    log_event(spdlog::level::info, "draining",
              {{"connections", static_cast<std::int64_t>(engines_.size())}});
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
        log_event(spdlog::level::warn, "drain deadline passed",
                  {{"connections", static_cast<std::int64_t>(left)}});
    log_event(spdlog::level::info, "stopped");
    ioc_.stop();
}

void server::wait_for_reload() {
    reload_signal_.async_wait([this](boost::system::error_code ec, int) {
        if (ec)
            return;
        reload();
        wait_for_reload();
    });
}

// SIGHUP: certificates and TURN secrets are re-read without dropping anyone. Each is replaced
// only when the new one loads; otherwise the old stays in use and the log says why.
void server::reload() {
    if (!config_.tls_cert_file.empty()) {
        try {
            ctx_.tls = make_tls_context(config_.tls_cert_file, config_.tls_key_file);
            log_event(spdlog::level::info, "reload: TLS certificate loaded",
                      {{"file", config_.tls_cert_file}});
        } catch (const std::exception& e) {
            log_event(spdlog::level::err, "reload: keeping the old TLS certificate",
                      {{"error", e.what()}});
        }
    }
    for (const auto& [app, file] : config_.app_turn_secret_files) {
        try {
            auto r = ice_->replace_app_secrets(app, read_secret_file(file));
            if (r)
                log_event(spdlog::level::info, "reload: TURN secrets re-read",
                          {{"file", file}, {"application", app}});
            else
                log_event(spdlog::level::err, "reload: keeping the old TURN secret",
                          {{"application", app}, {"error", r.error().message}});
        } catch (const std::exception& e) {
            log_event(spdlog::level::err, "reload: keeping the old TURN secret",
                      {{"application", app}, {"error", e.what()}});
        }
    }
    if (!config_.turn_secret_file.empty()) {
        try {
            auto r = ice_->replace_default_secrets(read_secret_file(config_.turn_secret_file));
            if (r)
                log_event(spdlog::level::info, "reload: TURN secrets re-read",
                          {{"file", config_.turn_secret_file}});
            else
                log_event(spdlog::level::err, "reload: keeping the old TURN secret",
                          {{"error", r.error().message}});
        } catch (const std::exception& e) {
            log_event(spdlog::level::err, "reload: keeping the old TURN secret",
                      {{"error", e.what()}});
        }
    }
}

void server::run() {
    wait_for_reload();
    for (auto& a : acceptors_)
        net::co_spawn(a->get_executor(), accept_loop(*a), log_escaped);
    signals_.async_wait([this](boost::system::error_code ec, int sig) {
        if (ec)
            return;
        log_event(spdlog::level::info, "shutting down", {{"signal", sig}});
        reload_signal_.cancel();
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
