#pragma once

#include "switchboard/core/actions.hpp"
#include "switchboard/protocol/easyrtc_errors.hpp"

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// The EasyRTC signaling state machine: applications, rooms, connections and routing. Pure and
// single-threaded: no Asio, no sockets, no clocks. The I/O layer feeds it parsed events with the
// current time and carries out the actions it appends.
namespace switchboard::core {

// Both clocks, read once by the caller: wall time for EasyRTC's serverTime, steady time for
// deadlines that must not jump.
struct clock_reading {
    std::int64_t wall_ms = 0;
    std::chrono::steady_clock::time_point steady{};
};

enum class channel : std::uint8_t { auth, cmd, msg }; // easyrtcAuth, easyrtcCmd, easyrtcMsg

enum class relay_scope : std::uint8_t { application, room };

struct config {
    std::string default_app = "default";
    std::string default_room = "default";
    std::vector<std::string> applications; // created at start, besides default_app
    bool app_auto_create = true;
    bool room_auto_create = true;
    bool room_default_enable = true;        // auto-join default_room when auth names no room
    std::size_t room_max_connections = 100; // 0 = no limit
    std::chrono::milliseconds still_alive_interval{0}; // 0 = off
    std::chrono::milliseconds still_alive_grace{10000};
    relay_scope relay = relay_scope::application; // also limits easyrtcMsg to a peer
    // Inbound rate limit per connection (token bucket): requests at once, and refill per second.
    // Over the limit a request is answered with MSG_REJECT_GEN_FAIL. Either at 0 = no limit.
    std::uint32_t rate_limit_burst = 200;
    std::uint32_t rate_limit_per_second = 100;
    // How long room membership deltas (updateClient / removeClient for joins and leaves) may
    // wait to be merged: each connection then gets one roomData push per room burst instead of
    // one per join, which is what makes big rooms filling up cheap. 0 = sent at once.
    std::chrono::milliseconds room_delta_delay{0};
};

// Where ICE servers come from; the server wires the ice/ library in, tests use their own.
class ice_source {
public:
    virtual ~ice_source() = default;
    // The iceServers array for one connection, with fresh TURN credentials where configured.
    virtual boost::json::array servers_for(std::string_view application, std::string_view easyrtcid,
                                           std::string_view username, std::int64_t wall_ms) = 0;
    // How long credentials minted now stay valid, if they expire at all.
    virtual std::optional<std::chrono::seconds>
    credential_lifetime(std::string_view application) = 0;
};

// Produces candidate easyrtcids; the core retries on the (unlikely) collision.
using id_generator = std::function<std::string()>;

struct stats {
    std::size_t connections = 0; // socket.io-connected
    std::size_t authenticated = 0;
    std::size_t applications = 0;
    std::size_t rooms = 0;
    std::size_t occupants = 0; // sum of room sizes
};

// What the core holds about one connection, for logs and server features. Views are valid until
// the next call into the core.
struct connection_info {
    std::string_view easyrtcid;   // empty until authenticated
    std::string_view application; // empty until authenticated
    std::optional<std::string_view> username;
    std::size_t rooms = 0;
    const boost::json::object* credential = nullptr;    // null when none was sent
    const boost::json::object* user_settings = nullptr; // setUserCfg.userSettings, null if none
    const boost::json::object* p2p_list = nullptr;      // setUserCfg.p2pList, null if none
};

class signaling_core {
public:
    signaling_core(config cfg, id_generator ids, std::shared_ptr<ice_source> ice);
    ~signaling_core();
    signaling_core(const signaling_core&) = delete;
    signaling_core& operator=(const signaling_core&) = delete;

    // A socket.io connection to namespace "/" opened.
    void connect(conn_id c, clock_reading now);

    // One client EVENT on `ch`. `ack_id` is absent when the client sent no callback; `body` is
    // the event's single argument. Appends exactly one reply when ack_id is present, unless the
    // connection is unknown or the core already closed it (then nothing: the transport is
    // going away). Without ack_id: easyrtcAuth closes the connection (as the reference does);
    // easyrtcCmd / easyrtcMsg are carried out all the same, only unanswered.
    void request(conn_id c, channel ch, std::optional<std::uint64_t> ack_id,
                 const boost::json::value& body, clock_reading now, actions& out);

    // Anything at all arrived from the connection (a message, a pong, a client ack): it is alive.
    void activity(conn_id c, clock_reading now);

    // The connection is gone (closed, timed out, or socket.io DISCONNECT). Idempotent.
    void disconnect(conn_id c, clock_reading now, actions& out);

    // Runs deadlines due at `now`: stillAlive expiry, ICE credential refresh, merged room deltas.
    void tick(clock_reading now, actions& out);
    std::optional<std::chrono::steady_clock::time_point> next_deadline() const;

    // Tells every connection the server is going away (EasyRTC error SERVER_SHUTDOWN), then
    // closes them all without removeClient deltas. Later sign-ins are refused the same way.
    void announce_shutdown(clock_reading now, actions& out);

    // Server-originated pushes (spec §2.3). Each returns false, doing nothing, when `c` is not
    // an authenticated connection.
    bool push_ice_config(conn_id c, clock_reading now, actions& out); // fresh iceServers
    bool push_forward_to_url(conn_id c, std::string_view url, bool new_window, clock_reading now,
                             actions& out);
    bool push_error(conn_id c, protocol::easyrtc::error e, clock_reading now, actions& out);

    // Shared fields, given as {name: value}; names must match fieldNameRegExp. They replace the
    // previous set, are pushed to everyone concerned, and travel in later joins / tokens.
    // False when the room (or session) does not exist or a name is invalid.
    bool set_room_fields(std::string_view application, std::string_view room,
                         const boost::json::object& fields, clock_reading now, actions& out);
    bool set_session_fields(std::string_view easyrtcsid, const boost::json::object& fields,
                            clock_reading now, actions& out);

    std::optional<connection_info> describe(conn_id c) const;
    core::stats stats() const;

private:
    struct impl;
    std::unique_ptr<impl> impl_;
};

} // namespace switchboard::core
