#pragma once

#include "switchboard/core/signaling_core.hpp"
#include "switchboard/protocol/easyrtc_requests.hpp"
#include "token_bucket.hpp"

#include <boost/json/object.hpp>

#include <map>
#include <set>
#include <tuple>
#include <unordered_map>
#include <unordered_set>

// The core's state, shared by the files that implement signaling_core. Ownership: impl owns
// applications (which own rooms) and connections; everything else points at them. Rooms and
// applications are never removed, and std::map / std::unordered_map nodes do not move, so those
// pointers stay valid for as long as the referring connection lives.
namespace switchboard::core::detail {

namespace easyrtc = protocol::easyrtc;
using steady_time = std::chrono::steady_clock::time_point;

struct string_hash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const noexcept {
        return std::hash<std::string_view>{}(s);
    }
};
template <class V>
using string_map = std::unordered_map<std::string, V, string_hash, std::equal_to<>>;

struct connection;

struct room {
    std::string name;
    std::vector<connection*> members; // any order: leaving swaps the last member into the hole
    std::string field;                // serialized shared fields; empty when there are none
    // easyrtcids with a join or leave waiting in members' delta outboxes (config
    // room_delta_delay): a second event for one of them sends what waits first, so an
    // updateClient and a removeClient of one client never share a push.
    std::unordered_set<std::string> waiting_ids;
};

struct application {
    std::string name;
    std::map<std::string, room, std::less<>> rooms; // sorted, so roomList is stable
};

// One connection in one room.
struct membership {
    room* where = nullptr;
    std::int64_t join_time_ms = 0;
    std::size_t slot = 0;  // index in where->members
    std::string api_field; // serialized JSON object from setRoomApiField; empty when none
};

// Connections that authenticated with the same easyrtcsid.
struct session {
    std::vector<connection*> members;
    std::string field; // serialized shared fields; empty when there are none
};

enum class conn_state : std::uint8_t {
    connected,     // socket.io-connected, not signed in
    authenticated, // has an easyrtcid, an application and rooms
    closing,       // the core asked for a close; state released, waiting for disconnect()
};

// Room deltas merged for one recipient while config.room_delta_delay runs: per room, the
// updateClient and removeClient entries, sent as one roomData push when the delay ends or just
// before anything else is sent to that connection, so it sees every event in order.
struct delta_outbox {
    struct room_part {
        std::string updates; // "<id>":{entry},...
        std::string removes; // "<id>":{"easyrtcid":"<id>"},...
    };
    std::map<std::string_view, room_part> rooms; // keys view room::name
    std::int64_t time_ms = 0;                    // serverTime of the latest entry
    bool listed = false;                         // in impl::outboxes until the next flush
};

struct connection {
    conn_id id = 0;
    conn_state state = conn_state::connected;
    std::string easyrtcid; // assigned at the first successful authenticate, then kept
    application* app = nullptr;
    std::optional<std::string> username;
    std::string show = "chat";
    std::optional<std::string> status; // JSON null until set
    std::optional<std::string> presence_type;
    boost::json::object credential;
    boost::json::object user_settings;
    boost::json::object p2p_list;
    std::string easyrtcsid;                       // empty when none was sent
    std::map<std::string_view, membership> rooms; // keys view room::name
    token_bucket bucket;
    steady_time last_seen{};
    std::optional<steady_time> alive_check; // this connection's entries in impl::timers
    std::optional<steady_time> ice_refresh;
    // Delivery state rather than signaling state: flushed from every path that sends to this
    // connection, const ones included.
    mutable delta_outbox outbox;
};

enum class timer_kind : std::uint8_t { still_alive, ice_refresh };

struct timer {
    steady_time at;
    conn_id who;
    timer_kind kind;
    friend bool operator<(const timer& a, const timer& b) noexcept {
        return std::tie(a.at, a.who, a.kind) < std::tie(b.at, b.who, b.kind);
    }
};

// Merged roomData frames of one flush by their blocks, with their serverTime, so recipients
// owed the same deltas share one frame.
using shared_frames =
    std::unordered_map<std::string,
                       std::pair<std::int64_t, std::shared_ptr<const protocol::push_frame>>>;
// Appends the push of c's waiting room deltas, if any; `shared` reuses identical frames.
void flush_outbox(const connection& c, actions& out, shared_frames* shared = nullptr);
// Appends a push of `frame` to `c` (after its waiting room deltas).
void push_to(const connection& c, std::shared_ptr<const protocol::push_frame> frame, actions& out);
// The shared plain ack reply {"msgType":"ack"}.
const std::shared_ptr<const std::string>& ack_payload();

} // namespace switchboard::core::detail

namespace switchboard::core {

struct signaling_core::impl {
    using connection = detail::connection;
    using room = detail::room;
    using application = detail::application;
    using ack_id = std::optional<std::uint64_t>;
    template <class T>
    using string_map = detail::string_map<T>;

    impl(config c, id_generator g, std::shared_ptr<ice_source> i);

    config cfg;
    id_generator ids;
    std::shared_ptr<ice_source> ice;
    std::unordered_map<conn_id, connection> conns;
    string_map<connection*> by_easyrtcid; // authenticated connections only
    std::map<std::string, application, std::less<>> apps;
    string_map<detail::session> sessions;
    std::set<detail::timer> timers; // ordered by due time: tick pops only what is due
    std::size_t open_count = 0;     // connections not closing
    std::size_t authenticated_count = 0;
    // Kept as they change, so stats() (read after every request) never walks the rooms.
    std::size_t room_count = 0;
    std::size_t occupant_count = 0;
    bool shutting_down = false;
    // Room deltas waiting (config room_delta_delay): who may have some, which rooms hold
    // waiting ids, and when they are all sent.
    std::vector<conn_id> outboxes;
    std::vector<room*> rooms_waiting;
    std::optional<detail::steady_time> deltas_due;

    // signaling_core.cpp: replies and lifecycle
    connection* live(conn_id c);
    void reply(const connection& c, ack_id ack, std::shared_ptr<const std::string> payload,
               actions& out, std::optional<protocol::easyrtc::error> error = std::nullopt);
    void reply_ack(const connection& c, ack_id ack, actions& out);
    void reply_error(const connection& c, ack_id ack, protocol::easyrtc::error e, clock_reading now,
                     actions& out);
    void release(connection& c, clock_reading now, actions& out, bool tell_peers);
    void close_connection(connection& c, close_reason why, clock_reading now, actions& out,
                          bool tell_peers);

    // authentication.cpp
    void authenticate(connection& c, ack_id ack, const boost::json::value& body, clock_reading now,
                      actions& out);
    void refuse(connection& c, std::uint64_t ack, protocol::easyrtc::error e, clock_reading now,
                actions& out);
    std::optional<std::string> new_easyrtcid();
    bool apply_presence(connection& c, const protocol::easyrtc::presence_update& p);
    void apply_user_cfg(connection& c, const protocol::easyrtc::user_config& cfg_in);
    void join_session(connection& c, std::string_view easyrtcsid);
    void leave_session(connection& c);
    std::string token(connection& c, clock_reading now);

    // commands.cpp: easyrtcCmd
    void command(connection& c, ack_id ack, const boost::json::value& body, clock_reading now,
                 actions& out);
    void on(connection& c, ack_id ack, const protocol::easyrtc::relay& r, clock_reading now,
            actions& out);
    void on(connection& c, ack_id ack, const protocol::easyrtc::get_ice_config& r,
            clock_reading now, actions& out);
    void on(connection& c, ack_id ack, const protocol::easyrtc::get_room_list& r, clock_reading now,
            actions& out);
    void on(connection& c, ack_id ack, const protocol::easyrtc::room_join& r, clock_reading now,
            actions& out);
    void on(connection& c, ack_id ack, const protocol::easyrtc::room_leave& r, clock_reading now,
            actions& out);
    void on(connection& c, ack_id ack, const protocol::easyrtc::set_presence& r, clock_reading now,
            actions& out);
    void on(connection& c, ack_id ack, protocol::easyrtc::set_room_api_field& r, clock_reading now,
            actions& out);
    void on(connection& c, ack_id ack, const protocol::easyrtc::set_user_cfg& r, clock_reading now,
            actions& out);
    void on(connection& c, ack_id ack, const protocol::easyrtc::still_alive& r, clock_reading now,
            actions& out);

    // app_messages.cpp: easyrtcMsg
    void app_message(connection& c, ack_id ack, const boost::json::value& body, clock_reading now,
                     actions& out);

    // rooms.cpp
    application* find_app(std::string_view name);
    application& create_app(std::string_view name);
    room& room_named(application& app, std::string_view name); // created when missing
    bool is_full(const room& r) const;
    void join(connection& c, room& r, clock_reading now, actions& out);
    void leave(connection& c, std::map<std::string_view, detail::membership>::iterator m,
               clock_reading now, actions& out, bool tell_peers);
    void leave_all(connection& c, clock_reading now, actions& out, bool tell_peers);
    connection* reachable_peer(const connection& c, std::string_view easyrtcid);
    // setPresence and changes on re-authentication: one push per peer, covering the rooms the
    // peer shares with `c`. Returns the update blocks of all of c's rooms, for the ack.
    std::string announce_self(const connection& c, clock_reading now, actions& out);

    // room_deltas.cpp
    // A join (update entry) or leave (empty entry) of `who` for the other members of r: pushed
    // now, or merged into their outboxes while room_delta_delay runs.
    void tell_members(room& r, std::string_view who, std::string_view update_entry,
                      clock_reading now, actions& out);
    void flush_deltas(actions& out);

    // timers.cpp
    void arm_still_alive(connection& c, detail::steady_time now);
    void schedule_ice_refresh(connection& c, detail::steady_time now);
    void cancel_timers(connection& c);
    void expire(const detail::timer& t, clock_reading now, actions& out);
    // The connection's iceServers, fresh from the ice_source; restarts the refresh timer.
    boost::json::array fresh_ice_servers(connection& c, clock_reading now);
};

} // namespace switchboard::core
