#pragma once

#include <boost/json/storage_ptr.hpp>
#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

// socket.io packets (protocol v5 over EIO=4, v4 over EIO=3) as they sit inside an Engine.IO
// "message" packet. Pure: the engine.io '4' prefix is not part of these strings.
namespace switchboard::protocol::socketio {

enum class packet_type : char {
    connect = '0',
    disconnect = '1',
    event = '2',
    ack = '3',
    connect_error = '4',
    binary_event = '5',
    binary_ack = '6',
};

struct packet {
    packet_type type;
    std::string_view nsp = "/";
    std::optional<std::uint64_t> ack_id;
    std::string_view data; // raw JSON text after the id, may be empty
};

// Decodes the header; the JSON data is left as text for decode_event. Binary types decode but
// callers answer them with an error: EasyRTC never uses them.
boost::system::result<packet> decode_packet(std::string_view text);

// An EVENT's data: ["name", arg0, ...]. EasyRTC sends exactly one argument; a missing one is null.
struct event {
    std::string name;
    boost::json::value arg;
};
// Parses without exceptions, with a depth limit, so hostile JSON costs bounded work. `arg` lives in
// `sp`, so a caller that drops it after handling the message can pass a monotonic resource.
boost::system::result<event> decode_event(std::string_view json_array_text,
                                          boost::json::storage_ptr sp = {});

// Encoders append to `out` so a caller can build an engine.io frame ("4" + packet) in one buffer.
// Strings are JSON-escaped; json_arg is inserted as given and must already be JSON.

// 0{"sid":".."}
void append_connect_ok(std::string& out, std::string_view socket_sid);
// 4{"message":".."} for "/", else 4/nsp,{"message":".."}
void append_connect_error(std::string& out, std::string_view nsp, std::string_view message);
// 1
void append_disconnect(std::string& out);
// 3<id>[arg]
void append_ack(std::string& out, std::uint64_t id, std::string_view json_arg);
// 2[<id>]["name",arg], or 2[<id>]["name"] when json_arg is empty.
void append_event(std::string& out, std::optional<std::uint64_t> id, std::string_view name,
                  std::string_view json_arg);

} // namespace switchboard::protocol::socketio
