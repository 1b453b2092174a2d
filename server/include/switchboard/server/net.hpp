#pragma once

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/strand.hpp>

// Namespace aliases used throughout the I/O layer.
namespace boost::beast {}
namespace boost::beast::http {}
namespace boost::beast::websocket {}
namespace boost::asio::ssl {}

namespace switchboard::server {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace websocket = boost::beast::websocket;
namespace ssl = boost::asio::ssl;

using strand = net::strand<net::io_context::executor_type>;

template <class T>
using awaitable = net::awaitable<T>;

} // namespace switchboard::server
