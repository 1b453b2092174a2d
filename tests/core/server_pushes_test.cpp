#include "core_fixture.hpp"

#include <boost/json/serialize.hpp>

namespace switchboard::core::testing {
namespace {

namespace json = boost::json;
using protocol::easyrtc::error;

class server_pushes : public core_test {
protected:
    void SetUp() override {
        sign_in(1);
        sign_in(2, R"({"apiVersion":"1","easyrtcsid":"sess"})");
        connect(3); // never signs in
    }
};

TEST_F(server_pushes, ice_config) {
    out.clear();
    ASSERT_TRUE(core().push_ice_config(1, now, out));
    ASSERT_EQ(pushes().size(), 1u);
    EXPECT_EQ(pushes()[0].text,
              R"(["easyrtcCmd",{"msgData":{"iceConfig":{"iceServers":[{"urls":)"
              R"(["stun:stun.example.org:3478"]},{"urls":["turn:turn.example.org"],)"
              R"("username":"u","credential":"c"}]}},"easyrtcid":"id1","msgType":"iceConfig",)"
              R"("serverTime":1800000000000}])");
    EXPECT_FALSE(core().push_ice_config(3, now, out));
    EXPECT_FALSE(core().push_ice_config(42, now, out));
    EXPECT_EQ(out.size(), 1u);
}

TEST_F(server_pushes, forward_to_url_puts_new_window_beside_the_url) {
    out.clear();
    ASSERT_TRUE(core().push_forward_to_url(1, "https://example.org/full?a=\"b\"", true, now, out));
    ASSERT_EQ(pushes().size(), 1u);
    EXPECT_EQ(
        pushes()[0].text,
        R"(["easyrtcCmd",{"msgData":{"forwardToUrl":{"url":"https://example.org/full?a=\"b\""},)"
        R"("newWindow":true},"easyrtcid":"id1","msgType":"forwardToUrl",)"
        R"("serverTime":1800000000000}])");
    out.clear();
    ASSERT_TRUE(core().push_forward_to_url(2, "/x", false, now, out));
    EXPECT_EQ(json::serialize(pushes()[0].body.at("msgData")),
              R"({"forwardToUrl":{"url":"/x"},"newWindow":false})");
    EXPECT_FALSE(core().push_forward_to_url(3, "/x", false, now, out));
}

TEST_F(server_pushes, error) {
    out.clear();
    ASSERT_TRUE(core().push_error(2, error::login_timeout, now, out));
    ASSERT_EQ(pushes().size(), 1u);
    const seen_push p = pushes()[0];
    EXPECT_EQ(str(p.body, "msgType"), "error");
    EXPECT_EQ(str(obj(p.body, "msgData"), "errorCode"), "LOGIN_TIMEOUT");
    EXPECT_FALSE(str(obj(p.body, "msgData"), "errorText").empty());
    EXPECT_TRUE(closes().empty());
    EXPECT_FALSE(core().push_error(3, error::login_timeout, now, out));
}

TEST_F(server_pushes, room_fields_reach_members_and_later_joiners) {
    json::object fields;
    fields["topic"] = "standup";
    fields["max speakers"] = 3;
    out.clear();
    ASSERT_TRUE(core().set_room_fields("default", "default", fields, now, out));
    ASSERT_EQ(pushes().size(), 2u);
    EXPECT_EQ(pushes_to(1).at(0).text,
              R"(["easyrtcCmd",{"msgData":{"roomData":{"default":{"roomName":"default",)"
              R"("roomStatus":"update","field":{"topic":{"fieldName":"topic",)"
              R"("fieldValue":"standup"},"max speakers":{"fieldName":"max speakers",)"
              R"("fieldValue":3}}}}},"easyrtcid":"id1","msgType":"roomData",)"
              R"("serverTime":1800000000000}])");
    EXPECT_EQ(pushes()[0].frame, pushes()[1].frame);

    auth(3, R"({"apiVersion":"1"})");
    const json::object reply = only_reply(3);
    const json::object& room = obj(obj(obj(reply, "msgData"), "roomData"), "default");
    EXPECT_EQ(json::serialize(room.at("field")),
              R"({"topic":{"fieldName":"topic","fieldValue":"standup"},)"
              R"("max speakers":{"fieldName":"max speakers","fieldValue":3}})");

    out.clear();
    ASSERT_TRUE(core().set_room_fields("default", "default", json::object{}, now, out));
    EXPECT_EQ(
        json::serialize(
            obj(obj(obj(pushes_to(1).at(0).body, "msgData"), "roomData"), "default").at("field")),
        "{}");
}

TEST_F(server_pushes, room_fields_need_a_room_and_valid_names) {
    json::object fields;
    fields["ok"] = 1;
    out.clear();
    EXPECT_FALSE(core().set_room_fields("nope", "default", fields, now, out));
    EXPECT_FALSE(core().set_room_fields("default", "nope", fields, now, out));
    fields["bad/name"] = 2;
    EXPECT_FALSE(core().set_room_fields("default", "default", fields, now, out));
    EXPECT_TRUE(out.empty());
}

TEST_F(server_pushes, session_fields_reach_every_connection_of_the_session) {
    sign_in(4, R"({"apiVersion":"1","easyrtcsid":"sess"})");
    json::object fields;
    fields["plan"] = "pro";
    out.clear();
    ASSERT_TRUE(core().set_session_fields("sess", fields, now, out));
    ASSERT_EQ(pushes().size(), 2u);
    EXPECT_EQ(pushes_to(2).at(0).text,
              R"(["easyrtcCmd",{"msgData":{"sessionData":{"easyrtcsid":"sess",)"
              R"("sessionStatus":"update","field":{"plan":{"fieldName":"plan",)"
              R"("fieldValue":"pro"}}}},"easyrtcid":"id2","msgType":"sessionData",)"
              R"("serverTime":1800000000000}])");
    EXPECT_EQ(pushes_to(4).size(), 1u);
    // A token for that session carries the fields.
    auth(4, R"({"apiVersion":"1","easyrtcsid":"sess"})");
    EXPECT_EQ(json::serialize(obj(only_reply(4), "msgData").at("sessionData")),
              R"({"easyrtcsid":"sess","field":{"plan":{"fieldName":"plan","fieldValue":"pro"}}})");
    // The session ends with its last connection.
    drop(2);
    drop(4);
    out.clear();
    EXPECT_FALSE(core().set_session_fields("sess", fields, now, out));
}

TEST_F(server_pushes, shutdown_warns_signed_in_clients_and_closes_everyone) {
    out.clear();
    core().announce_shutdown(now, out);
    const auto seen = pushes();
    ASSERT_EQ(seen.size(), 2u); // 1 and 2; 3 never signed in
    for (const seen_push& p : seen) {
        EXPECT_EQ(p.text,
                  R"(["easyrtcCmd",{"msgData":{"errorCode":"SERVER_SHUTDOWN","errorText":")" +
                      str(obj(p.body, "msgData"), "errorText") + R"("},"easyrtcid":")" +
                      p.recipient + R"(","msgType":"error","serverTime":1800000000000}])");
        EXPECT_LT(index_of_push(p.to), out.size());
    }
    const auto cs = closes();
    ASSERT_EQ(cs.size(), 3u);
    for (const close& c : cs) {
        EXPECT_EQ(c.why, close_reason::server_shutdown);
        if (c.who != 3) {
            EXPECT_LT(index_of_push(c.who),
                      static_cast<std::size_t>(std::find_if(out.begin(), out.end(),
                                                            [&](const action& a) {
                                                                const auto* x =
                                                                    std::get_if<close>(&a);
                                                                return x && x->who == c.who;
                                                            }) -
                                               out.begin()));
        }
    }
    EXPECT_EQ(out.size(), 5u); // no removeClient noise
    EXPECT_EQ(core().stats().connections, 0u);
    EXPECT_EQ(core().stats().occupants, 0u);

    // Nobody new gets in.
    connect(9);
    auth(9, R"({"apiVersion":"1"})");
    expect_error(9, "SERVER_SHUTDOWN");
    EXPECT_EQ(closes().size(), 1u);
}

TEST_F(server_pushes, stats_and_describe) {
    sign_in(4, R"({"apiVersion":"1","applicationName":"other","username":"dee",)"
               R"("roomJoin":{"x":{"roomName":"x"},"y":{"roomName":"y"}}})");
    const core::stats s = core().stats();
    EXPECT_EQ(s.connections, 4u);
    EXPECT_EQ(s.authenticated, 3u);
    EXPECT_EQ(s.applications, 2u);
    EXPECT_EQ(s.rooms, 4u); // default/default, other/default, other/x, other/y
    EXPECT_EQ(s.occupants, 4u);

    const auto d = core().describe(4);
    ASSERT_TRUE(d.has_value());
    EXPECT_EQ(d->easyrtcid, "id3");
    EXPECT_EQ(d->application, "other");
    EXPECT_EQ(d->username, "dee");
    EXPECT_EQ(d->rooms, 2u);
    EXPECT_EQ(d->credential, nullptr);
    const auto anonymous = core().describe(3);
    ASSERT_TRUE(anonymous.has_value());
    EXPECT_TRUE(anonymous->easyrtcid.empty());
    EXPECT_FALSE(core().describe(77).has_value());
}

} // namespace
} // namespace switchboard::core::testing
