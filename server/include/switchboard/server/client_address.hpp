#pragma once

#include "switchboard/server/http_responses.hpp"
#include "switchboard/server/net.hpp"

#include <boost/asio/ip/tcp.hpp>

#include <string>

namespace switchboard::server {

// Who a connection came from, for the logs. Behind a TLS proxy the socket's peer is the proxy,
// so the X-Forwarded-For chain it adds is kept too. That header is whatever the client and
// proxies wrote, so it is logged as given (bounded, printable), never used for decisions.
struct client_address {
    std::string remote;        // the TCP peer, "ip:port" ("[v6]:port")
    std::string forwarded_for; // empty when the request had none
};

client_address describe_client(const net::ip::tcp::endpoint& peer, const request& req);

} // namespace switchboard::server
