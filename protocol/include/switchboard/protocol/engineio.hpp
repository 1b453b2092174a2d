#pragma once

#include <boost/system/result.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

// Engine.IO framing (protocol revisions 3 and 4), pure: bytes in, views or strings out.
namespace switchboard::protocol::engineio {

enum class version : std::uint8_t { v3 = 3, v4 = 4 };

enum class packet_type : char {
    open = '0',
    close = '1',
    ping = '2',
    pong = '3',
    message = '4',
    upgrade = '5',
    noop = '6',
};

enum class transport : std::uint8_t { polling, websocket };

// One packet; `data` views into the decoded input and is only valid while it lives.
struct packet {
    packet_type type;
    std::string_view data;
};

// A single packet as carried by one websocket text frame or one polling record.
boost::system::result<packet> decode_packet(std::string_view text);

// Splits a polling POST body into packets: v4 joins them with 0x1E, v3 prefixes each with
// "<length>:" where length counts UTF-16 code units. Packets view into `body`.
boost::system::result<std::vector<packet>> decode_payload(std::string_view body, version v);

// Appends one encoded packet (type digit included) to a polling response body being built.
void append_to_payload(std::string& body, std::string_view encoded_packet, version v);

// Number of UTF-16 code units in UTF-8 text, as JavaScript's String.length counts them.
std::size_t utf16_length(std::string_view utf8) noexcept;

struct open_params {
    std::string_view sid;
    bool offer_websocket_upgrade = false;
    std::uint32_t ping_interval_ms = 25000;
    std::uint32_t ping_timeout_ms = 20000;
    std::uint64_t max_payload = 1000000;
};

// The open packet, type digit included: 0{"sid":..,"upgrades":[..],"pingInterval":..,..}
std::string encode_open(const open_params& p);

// The query of a /socket.io/ request: EIO, transport and sid. engine.io 6 treats any EIO other
// than "4" (including a missing one) as revision 3; we do the same.
struct request_query {
    version eio = version::v3;
    std::string_view transport; // as given; validate with parse_transport
    std::string_view sid;       // empty when absent
};
// `query` is the raw query string without '?'. Values view into it undecoded (ours never need
// decoding). errc::bad_query when it is not a valid query or repeats EIO, transport or sid.
boost::system::result<request_query> parse_query(std::string_view query);

boost::system::result<transport> parse_transport(std::string_view name);

// Engine.IO's HTTP error bodies: {"code":N,"message":"..."} with status 400.
enum class http_error : int {
    unknown_transport = 0,
    unknown_sid = 1,
    bad_handshake_method = 2,
    bad_request = 3,
    forbidden = 4,
    unsupported_protocol_version = 5,
};
std::string encode_http_error(http_error e);

} // namespace switchboard::protocol::engineio
