#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/websocket/rfc6455.hpp>
#include <boost/system/error_code.hpp>

#include <memory>
#include <string>
#include <tuple>

namespace switchboard::bench {

namespace net = boost::asio;
namespace beast = boost::beast;
using tcp = net::ip::tcp;
using error_code = boost::system::error_code;

// One generator connection's websocket, plain or over TLS: the scenarios do not care which,
// so the stream type is chosen at run time behind this interface.
class client_stream {
public:
    virtual ~client_stream() = default;

    // TCP connect (with TCP_NODELAY), the TLS handshake when there is one, and the websocket
    // handshake on `target`, all within `deadline_s`. Errors name the step that failed.
    virtual net::awaitable<std::string> open(const tcp::endpoint& server, const std::string& target,
                                             int deadline_s) = 0;
    // After the handshake: no TCP deadline, the websocket's own handshake timeout only.
    virtual void settle_timeouts() = 0;
    virtual net::awaitable<std::tuple<error_code, std::size_t>> read(beast::flat_buffer& in) = 0;
    virtual net::awaitable<std::tuple<error_code, std::size_t>> write(net::const_buffer b) = 0;
    virtual beast::websocket::close_reason reason() const = 0;
    // Abrupt: the TCP socket is shut down and closed; pending operations end with errors.
    virtual void kill() = 0;
};

// `tls` null: plain TCP. Otherwise the client context the TLS streams are made from (the
// generator does not verify the server's certificate: it measures, it does not authenticate).
std::unique_ptr<client_stream> make_client_stream(net::io_context& ioc, net::ssl::context* tls);

} // namespace switchboard::bench
