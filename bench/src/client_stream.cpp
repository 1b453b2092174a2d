#include "client_stream.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>

#include <chrono>

namespace switchboard::bench {

namespace {

constexpr auto use_tuple = net::as_tuple(net::use_awaitable);
namespace websocket = beast::websocket;

template <class Next>
class stream_of final : public client_stream {
public:
    template <class... Args>
    explicit stream_of(Args&&... args)
        : ws_(std::forward<Args>(args)...) {}

    net::awaitable<std::string> open(const tcp::endpoint& server, const std::string& target,
                                     int deadline_s) override {
        auto& tcp_layer = beast::get_lowest_layer(ws_);
        tcp_layer.expires_after(std::chrono::seconds(deadline_s));
        auto [cec] = co_await tcp_layer.async_connect(server, use_tuple);
        if (cec)
            co_return "connect: " + cec.message();
        tcp_layer.socket().set_option(tcp::no_delay(true));
        if constexpr (!std::is_same_v<Next, beast::tcp_stream>) {
            auto [tec] =
                co_await ws_.next_layer().async_handshake(net::ssl::stream_base::client, use_tuple);
            if (tec)
                co_return "TLS handshake: " + tec.message();
        }
        const std::string host = server.address().to_string();
        auto [hec] = co_await ws_.async_handshake(host, target, use_tuple);
        if (hec)
            co_return "websocket handshake: " + hec.message();
        ws_.text(true);
        co_return std::string();
    }

    void settle_timeouts() override {
        // Beast wants only one of the two deadlines active.
        beast::get_lowest_layer(ws_).expires_never();
        ws_.set_option(websocket::stream_base::timeout{std::chrono::seconds(10),
                                                       websocket::stream_base::none(), false});
    }

    net::awaitable<std::tuple<error_code, std::size_t>> read(beast::flat_buffer& in) override {
        co_return co_await ws_.async_read(in, use_tuple);
    }

    net::awaitable<std::tuple<error_code, std::size_t>> write(net::const_buffer b) override {
        co_return co_await ws_.async_write(b, use_tuple);
    }

    websocket::close_reason reason() const override { return ws_.reason(); }

    void kill() override {
        error_code ec;
        auto& socket = beast::get_lowest_layer(ws_).socket();
        socket.shutdown(tcp::socket::shutdown_both, ec);
        socket.close(ec);
    }

private:
    websocket::stream<Next> ws_;
};

} // namespace

std::unique_ptr<client_stream> make_client_stream(net::io_context& ioc, net::ssl::context* tls) {
    if (tls)
        return std::make_unique<stream_of<beast::ssl_stream<beast::tcp_stream>>>(ioc, *tls);
    return std::make_unique<stream_of<beast::tcp_stream>>(ioc);
}

} // namespace switchboard::bench
