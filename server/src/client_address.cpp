#include "switchboard/server/client_address.hpp"

#include <algorithm>

namespace switchboard::server {

namespace {

// Long enough for a chain of several proxies; a longer header is cut, not rejected.
constexpr std::size_t forwarded_for_max = 256;

std::string printable(std::string_view s) {
    std::string out;
    out.reserve(std::min(s.size(), forwarded_for_max));
    for (char c : s.substr(0, forwarded_for_max))
        out += (c >= 0x20 && c < 0x7f) ? c : '?';
    return out;
}

} // namespace

client_address describe_client(const net::ip::tcp::endpoint& peer, const request& req) {
    client_address a;
    const auto ip = peer.address();
    a.remote = ip.is_v6() ? "[" + ip.to_string() + "]" : ip.to_string();
    a.remote += ':';
    a.remote += std::to_string(peer.port());
    if (auto it = req.find("X-Forwarded-For"); it != req.end())
        a.forwarded_for = printable(it->value());
    return a;
}

} // namespace switchboard::server
