#include "core_fixture.hpp"

#include <boost/json/serialize.hpp>

namespace switchboard::core::testing {
namespace {

namespace json = boost::json;
using std::chrono::milliseconds;
using std::chrono::seconds;

class still_alive : public core_test {
protected:
    void SetUp() override {
        cfg.still_alive_interval = milliseconds(20000);
        cfg.still_alive_grace = milliseconds(10000);
    }
};

TEST_F(still_alive, off_means_no_deadline_and_no_timeout) {
    cfg.still_alive_interval = milliseconds(0);
    sign_in(1);
    EXPECT_FALSE(core().next_deadline().has_value());
    advance(std::chrono::hours(24));
    tick();
    EXPECT_TRUE(out.empty());
    EXPECT_EQ(core().stats().authenticated, 1u);
}

TEST_F(still_alive, a_silent_connection_is_dropped_like_a_disconnect) {
    const auto signed_in_at = now.steady;
    sign_in(1);
    sign_in(2);
    EXPECT_EQ(core().next_deadline(), signed_in_at + milliseconds(30000));
    advance(milliseconds(29999));
    tick();
    EXPECT_TRUE(out.empty());
    core().activity(2, now); // 2 is alive, 1 says nothing
    advance(milliseconds(1));
    tick();
    const auto to_2 = pushes_to(2);
    ASSERT_EQ(to_2.size(), 1u);
    EXPECT_NE(to_2[0].text.find(R"("removeClient":{"id1":{"easyrtcid":"id1"}})"),
              std::string::npos);
    ASSERT_EQ(closes().size(), 1u);
    EXPECT_EQ(closes()[0].who, 1u);
    EXPECT_EQ(closes()[0].why, close_reason::still_alive_timeout);
    EXPECT_TRUE(std::holds_alternative<close>(out.back()));
    EXPECT_EQ(core().stats().authenticated, 1u);
    EXPECT_EQ(core().next_deadline(), signed_in_at + milliseconds(59999));

    // A late message from 1 is dropped; its disconnect report changes nothing.
    cmd(1, R"({"msgType":"stillAlive"})");
    EXPECT_TRUE(out.empty());
    drop(1);
    EXPECT_TRUE(out.empty());
}

TEST_F(still_alive, any_activity_keeps_the_connection) {
    sign_in(1);
    advance(milliseconds(15000));
    cmd(1, R"({"msgType":"stillAlive","msgData":{}})");
    EXPECT_EQ(only_reply_text(1), R"({"msgType":"ack"})");
    advance(milliseconds(15000));
    tick(); // the first deadline finds recent activity and moves on
    EXPECT_TRUE(out.empty());
    EXPECT_EQ(core().next_deadline(), now.steady + milliseconds(15000));
    advance(milliseconds(10000));
    msg(1, R"({"msgType":"m"})"); // any request counts
    advance(milliseconds(10000));
    core().activity(1, now); // so does a pong
    advance(milliseconds(29999));
    tick();
    EXPECT_TRUE(out.empty());
    advance(milliseconds(1));
    tick();
    ASSERT_EQ(closes().size(), 1u);
    EXPECT_EQ(closes()[0].why, close_reason::still_alive_timeout);
}

TEST_F(still_alive, disconnect_cancels_the_deadline) {
    sign_in(1);
    drop(1);
    EXPECT_FALSE(core().next_deadline().has_value());
}

TEST_F(still_alive, unauthenticated_connections_have_no_deadline) {
    connect(1);
    EXPECT_FALSE(core().next_deadline().has_value());
}

TEST_F(still_alive, re_authentication_keeps_one_deadline) {
    sign_in(1);
    auth(1, R"({"apiVersion":"1"})");
    auth(1, R"({"apiVersion":"1"})");
    advance(milliseconds(30000));
    tick();
    EXPECT_EQ(closes().size(), 1u);
    EXPECT_FALSE(core().next_deadline().has_value());
}

class ice_refresh : public core_test {
protected:
    void SetUp() override { ice->lifetime = seconds(100); }
};

TEST_F(ice_refresh, pushes_fresh_servers_before_credentials_expire) {
    const auto start = now.steady;
    sign_in(1);
    const auto due = core().next_deadline();
    ASSERT_TRUE(due.has_value());
    EXPECT_GE(*due, start + seconds(80));
    EXPECT_LE(*due, start + seconds(90));
    advance(std::chrono::duration_cast<milliseconds>(*due - now.steady) - milliseconds(1));
    tick();
    EXPECT_TRUE(out.empty());
    advance(milliseconds(1));
    tick();
    const auto seen = pushes_to(1);
    ASSERT_EQ(seen.size(), 1u);
    EXPECT_EQ(seen[0].text,
              R"(["easyrtcCmd",{"msgData":{"iceConfig":{"iceServers":[{"urls":)"
              R"(["stun:stun.example.org:3478"]},{"urls":["turn:turn.example.org"],)"
              R"("username":"u","credential":"c"}]}},"easyrtcid":"id1","msgType":"iceConfig",)"
              R"("serverTime":)" +
                  std::to_string(now.wall_ms) + "}]");
    EXPECT_EQ(ice->calls, 2);
    // And again one period later.
    EXPECT_EQ(core().next_deadline(), now.steady + (*due - start));
}

TEST_F(ice_refresh, a_requested_config_restarts_the_period) {
    sign_in(1);
    const auto first = *core().next_deadline();
    advance(seconds(50));
    cmd(1, R"({"msgType":"getIceConfig","msgData":{}})");
    EXPECT_EQ(core().next_deadline(), first + seconds(50));
}

TEST_F(ice_refresh, none_without_a_lifetime) {
    ice->lifetime.reset();
    sign_in(1);
    EXPECT_FALSE(core().next_deadline().has_value());
}

TEST_F(ice_refresh, and_still_alive_share_one_timeline) {
    cfg.still_alive_interval = milliseconds(20000);
    cfg.still_alive_grace = milliseconds(10000);
    sign_in(1);
    EXPECT_EQ(core().next_deadline(), now.steady + milliseconds(30000));
    advance(seconds(30));
    tick();
    EXPECT_EQ(closes().size(), 1u);
    EXPECT_FALSE(core().next_deadline().has_value()); // the refresh went with the connection
}

class rate_limit : public core_test {
protected:
    void SetUp() override {
        cfg.rate_limit_burst = 3;
        cfg.rate_limit_per_second = 2;
    }
};

TEST_F(rate_limit, over_the_burst_requests_are_refused_not_dropped) {
    sign_in(1); // 1 token used
    cmd(1, R"({"msgType":"stillAlive"})");
    cmd(1, R"({"msgType":"stillAlive"})");
    EXPECT_EQ(only_reply_text(1), R"({"msgType":"ack"})");
    sign_in(2);
    msg(1, R"({"msgType":"m","targetEasyrtcid":"id2"})");
    const std::string text = expect_error(1, "MSG_REJECT_GEN_FAIL");
    EXPECT_NE(text.find("too many"), std::string::npos);
    EXPECT_TRUE(pushes().empty());
    advance(milliseconds(499));
    cmd(1, R"({"msgType":"stillAlive"})");
    expect_error(1, "MSG_REJECT_GEN_FAIL");
    advance(milliseconds(1)); // refilled one token at 2 per second
    cmd(1, R"({"msgType":"stillAlive"})");
    EXPECT_EQ(only_reply_text(1), R"({"msgType":"ack"})");
    // Other connections are not affected.
    cmd(2, R"({"msgType":"stillAlive"})");
    EXPECT_EQ(only_reply_text(2), R"({"msgType":"ack"})");
}

TEST_F(rate_limit, the_bucket_never_holds_more_than_the_burst) {
    sign_in(1);
    advance(std::chrono::hours(1));
    for (int i = 0; i < 3; ++i) {
        cmd(1, R"({"msgType":"stillAlive"})");
        EXPECT_EQ(only_reply_text(1), R"({"msgType":"ack"})");
    }
    cmd(1, R"({"msgType":"stillAlive"})");
    expect_error(1, "MSG_REJECT_GEN_FAIL");
}

TEST_F(rate_limit, zero_burst_turns_it_off) {
    cfg.rate_limit_burst = 0;
    sign_in(1);
    for (int i = 0; i < 1000; ++i) {
        cmd(1, R"({"msgType":"stillAlive"})");
        ASSERT_EQ(only_reply_text(1), R"({"msgType":"ack"})");
    }
}

} // namespace
} // namespace switchboard::core::testing
