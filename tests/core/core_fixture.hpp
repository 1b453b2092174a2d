#pragma once

#include "switchboard/core/signaling_core.hpp"

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

// Drives a signaling_core with no sockets: parsed requests in, actions out, and helpers that
// turn the actions back into JSON (push frames reassembled as head + easyrtcid + tail).
namespace switchboard::core::testing {

boost::json::value parse(std::string_view text); // fails the test on bad JSON

class fake_ice final : public ice_source {
public:
    boost::json::array servers_for(std::string_view application, std::string_view easyrtcid,
                                   std::string_view username, std::int64_t wall_ms) override;
    std::optional<std::chrono::seconds> credential_lifetime(std::string_view application) override;

    std::optional<std::chrono::seconds> lifetime;
    int calls = 0;
    std::string last_application, last_easyrtcid, last_username;
    std::int64_t last_wall_ms = 0;
};

// A push as a client sees it.
struct seen_push {
    conn_id to = 0;
    std::string recipient; // the easyrtcid put between head and tail
    std::string text;      // head + recipient + tail
    std::string event;     // "easyrtcCmd" / "easyrtcMsg"
    boost::json::object body;
    const protocol::push_frame* frame = nullptr;
};

class core_test : public ::testing::Test {
protected:
    // Builds the core from cfg; tests change cfg first when they need to.
    void start();
    signaling_core& core();

    void connect(conn_id c);
    // Sends one event; returns (and keeps in `out`) only the actions it produced.
    const actions& send(conn_id c, channel ch, std::string_view json,
                        std::optional<std::uint64_t> ack = 7);
    const actions& auth(conn_id c, std::string_view msg_data_json);
    const actions& cmd(conn_id c, std::string_view json) { return send(c, channel::cmd, json); }
    const actions& msg(conn_id c, std::string_view json) { return send(c, channel::msg, json); }
    // connect + authenticate; returns the easyrtcid from the token (asserting success).
    std::string sign_in(conn_id c,
                        std::string_view msg_data_json = R"({"apiVersion":"1.1.1-beta"})");
    const actions& drop(conn_id c); // disconnect()
    const actions& tick();
    void advance(std::chrono::milliseconds d);

    // Inspection of `out` (the last call's actions).
    std::vector<seen_push> pushes() const;
    std::vector<seen_push> pushes_to(conn_id c) const;
    std::vector<const reply*> replies() const;
    // The only reply, to `c`, parsed (fails when there is not exactly one reply overall).
    boost::json::object only_reply(conn_id c) const;
    std::string only_reply_text(conn_id c) const;
    // Asserts the only reply is an error with `code` and returns its errorText.
    std::string expect_error(conn_id c, std::string_view code) const;
    std::vector<close> closes() const;
    // Index in `out` of the first action of that kind to `c`, or npos.
    std::size_t index_of_reply(conn_id c) const;
    std::size_t index_of_push(conn_id c) const;

    static constexpr std::size_t npos = static_cast<std::size_t>(-1);

    config cfg;
    std::shared_ptr<fake_ice> ice = std::make_shared<fake_ice>();
    std::deque<std::string> scripted_ids; // handed out first; then "id1", "id2", ...
    int generated = 0;
    clock_reading now{1'800'000'000'000,
                      std::chrono::steady_clock::time_point{} + std::chrono::hours(1)};
    actions out;
    std::unique_ptr<signaling_core> core_;
};

// Helpers on parsed JSON.
const boost::json::object& obj(const boost::json::value& v, std::string_view key);
const boost::json::object& obj(const boost::json::object& o, std::string_view key);
std::string str(const boost::json::object& o, std::string_view key);
// The clientListDelta of `room` in a roomData push.
const boost::json::object& delta(const seen_push& p, std::string_view room);

} // namespace switchboard::core::testing
