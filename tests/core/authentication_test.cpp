#include "core_fixture.hpp"

#include <boost/json/serialize.hpp>

namespace switchboard::core::testing {
namespace {

namespace json = boost::json;

using authentication = core_test;

TEST_F(authentication, token_matches_the_reference_shape_exactly) {
    connect(1);
    auth(1, R"({"apiVersion":"1.1.1-beta","applicationName":"easyrtc.audioVideoSimple",)"
            R"("setUserCfg":{"userSettings":{"sharingAudio":true}},)"
            R"("setPresence":{"show":"chat","status":"hi"},"username":"alice"})");
    EXPECT_EQ(
        only_reply_text(1),
        R"({"msgType":"token","msgData":{"roomData":{"default":{"roomName":"default",)"
        R"("roomStatus":"join","clientList":{"id1":{"easyrtcid":"id1","roomJoinTime":1800000000000,)"
        R"("presence":{"show":"chat","status":"hi"},"username":"alice"}}}},)"
        R"("application":{"applicationName":"easyrtc.audioVideoSimple"},"easyrtcid":"id1",)"
        R"("iceConfig":{"iceServers":[{"urls":["stun:stun.example.org:3478"]},)"
        R"({"urls":["turn:turn.example.org"],"username":"u","credential":"c"}]},)"
        R"("serverTime":1800000000000}})");
    EXPECT_TRUE(pushes().empty());
    EXPECT_TRUE(closes().empty());
}

TEST_F(authentication, defaults_apply_when_nothing_is_named) {
    connect(1);
    auth(1, R"({"apiVersion":"1.1.1-beta"})");
    const json::object data = obj(only_reply(1), "msgData");
    EXPECT_EQ(json::serialize(data.at("application")), R"({"applicationName":"default"})");
    EXPECT_EQ(json::serialize(data.at("roomData")),
              R"({"default":{"roomName":"default","roomStatus":"join","clientList":{"id1":)"
              R"({"easyrtcid":"id1","roomJoinTime":1800000000000,)"
              R"("presence":{"show":"chat","status":null}}}}})");
    EXPECT_FALSE(data.contains("sessionData"));
    EXPECT_FALSE(data.contains("stillAliveInterval"));
}

TEST_F(authentication, ice_source_is_asked_for_this_connection) {
    advance(std::chrono::milliseconds(5));
    sign_in(1, R"({"apiVersion":"1","applicationName":"app","username":"bob"})");
    EXPECT_EQ(ice->calls, 1);
    EXPECT_EQ(ice->last_application, "app");
    EXPECT_EQ(ice->last_easyrtcid, "id1");
    EXPECT_EQ(ice->last_username, "bob");
    EXPECT_EQ(ice->last_wall_ms, 1'800'000'000'005);
}

TEST_F(authentication, session_data_when_easyrtcsid_is_sent) {
    connect(1);
    auth(1, R"({"apiVersion":"1","easyrtcsid":"sess%20123"})");
    const json::object data = obj(only_reply(1), "msgData");
    EXPECT_EQ(json::serialize(data.at("sessionData")), R"({"easyrtcsid":"sess%20123"})");
    // Field order: sessionData after serverTime.
    EXPECT_NE(only_reply_text(1).find(R"("serverTime":1800000000000,"sessionData":)"),
              std::string::npos);
}

TEST_F(authentication, two_connections_share_a_session) {
    sign_in(1, R"({"apiVersion":"1","easyrtcsid":"s1"})");
    connect(2);
    auth(2, R"({"apiVersion":"1","easyrtcsid":"s1"})");
    EXPECT_EQ(json::serialize(obj(only_reply(2), "msgData").at("sessionData")),
              R"({"easyrtcsid":"s1"})");
}

TEST_F(authentication, still_alive_interval_in_token_when_enabled) {
    cfg.still_alive_interval = std::chrono::milliseconds(20000);
    connect(1);
    auth(1, R"({"apiVersion":"1","easyrtcsid":"s"})");
    const std::string text = only_reply_text(1);
    EXPECT_NE(text.find(R"("sessionData":{"easyrtcsid":"s"},"stillAliveInterval":20000}})"),
              std::string::npos)
        << text;
}

TEST_F(authentication, joiner_gets_full_list_and_members_one_delta_before_the_token) {
    const std::string a = sign_in(1, R"({"apiVersion":"1","username":"alice"})");
    connect(2);
    auth(2, R"({"apiVersion":"1","username":"bob"})");
    const auto to_a = pushes_to(1);
    ASSERT_EQ(to_a.size(), 1u); // the reference sends two identical deltas; one is enough
    EXPECT_EQ(
        to_a[0].text,
        R"(["easyrtcCmd",{"msgData":{"roomData":{"default":{"roomName":"default",)"
        R"("roomStatus":"update","clientListDelta":{"updateClient":{"id2":{"easyrtcid":"id2",)"
        R"("roomJoinTime":1800000000000,"presence":{"show":"chat","status":null},)"
        R"("username":"bob"}}}}}},"easyrtcid":"id1","msgType":"roomData",)"
        R"("serverTime":1800000000000}])");
    EXPECT_LT(index_of_push(1), index_of_reply(2));
    const json::object list =
        obj(obj(obj(obj(only_reply(2), "msgData"), "roomData"), "default"), "clientList");
    EXPECT_EQ(list.size(), 2u);
    EXPECT_EQ(str(obj(list, a), "username"), "alice");
    EXPECT_EQ(str(obj(list, "id2"), "username"), "bob");
}

TEST_F(authentication, empty_room_join_means_the_default_room) {
    connect(1);
    auth(1, R"({"apiVersion":"1","roomJoin":{}})");
    EXPECT_TRUE(obj(obj(only_reply(1), "msgData"), "roomData").contains("default"));
}

TEST_F(authentication, named_rooms_replace_the_default_room) {
    connect(1);
    auth(1, R"({"apiVersion":"1","roomJoin":{"a":{"roomName":"a"},)"
            R"("b":{"roomName":"b","roomParameter":{"x":1}}}})");
    const json::object rooms = obj(obj(only_reply(1), "msgData"), "roomData");
    EXPECT_EQ(rooms.size(), 2u);
    EXPECT_TRUE(rooms.contains("a"));
    EXPECT_TRUE(rooms.contains("b"));
}

TEST_F(authentication, no_room_when_default_room_is_disabled) {
    cfg.room_default_enable = false;
    connect(1);
    auth(1, R"({"apiVersion":"1"})");
    EXPECT_TRUE(obj(obj(only_reply(1), "msgData"), "roomData").empty());
}

TEST_F(authentication, without_a_callback_the_connection_is_closed_silently) {
    connect(1);
    send(1, channel::auth, R"({"msgType":"authenticate","msgData":{"apiVersion":"1"}})",
         std::nullopt);
    EXPECT_TRUE(replies().empty());
    ASSERT_EQ(closes().size(), 1u);
    EXPECT_EQ(closes()[0].who, 1u);
    EXPECT_EQ(closes()[0].why, close_reason::auth_failed);
}

struct refused_case {
    const char* name;
    const char* body; // the whole easyrtcAuth argument
    const char* code;
};

class refused_sign_in : public core_test, public ::testing::WithParamInterface<refused_case> {};

TEST_P(refused_sign_in, answers_the_error_then_closes) {
    const std::string a = sign_in(1);
    connect(2);
    send(2, channel::auth, GetParam().body);
    expect_error(2, GetParam().code);
    EXPECT_EQ(index_of_reply(2), 0u);
    ASSERT_EQ(closes().size(), 1u);
    EXPECT_EQ(closes()[0].who, 2u);
    EXPECT_EQ(closes()[0].why, close_reason::auth_failed);
    EXPECT_TRUE(pushes().empty()); // the member already there heard nothing
    EXPECT_EQ(core().stats().occupants, 1u);
    // The core has let go of the connection: later requests are dropped.
    send(2, channel::cmd, R"({"msgType":"getRoomList"})");
    EXPECT_TRUE(out.empty());
}

std::string long_string(std::size_t n, char c = 'a') {
    return std::string(n, c);
}

const std::string bad_api_33 =
    R"({"msgType":"authenticate","msgData":{"apiVersion":")" + long_string(33) + R"("}})";
const std::string bad_app_33 =
    R"({"msgType":"authenticate","msgData":{"apiVersion":"1","applicationName":")" +
    long_string(33) + R"("}})";
const std::string bad_user_65 =
    R"({"msgType":"authenticate","msgData":{"apiVersion":"1","username":")" + long_string(65) +
    R"("}})";
const std::string bad_sid_101 =
    R"({"msgType":"authenticate","msgData":{"apiVersion":"1","easyrtcsid":")" + long_string(101) +
    R"("}})";
const std::string bad_status_256 =
    R"({"msgType":"authenticate","msgData":{"apiVersion":"1","setPresence":{"status":")" +
    long_string(256) + R"("}}})";

#define AUTH(data) R"({"msgType":"authenticate","msgData":)" data "}"

INSTANTIATE_TEST_SUITE_P(
    cases, refused_sign_in,
    ::testing::Values(
        refused_case{"body_not_object", R"("authenticate")", "LOGIN_BAD_AUTH"},
        refused_case{"body_null", "null", "LOGIN_BAD_AUTH"},
        refused_case{"no_msg_type", R"({"msgData":{"apiVersion":"1"}})", "LOGIN_BAD_AUTH"},
        refused_case{"wrong_msg_type", R"({"msgType":"hello","msgData":{"apiVersion":"1"}})",
                     "LOGIN_BAD_AUTH"},
        refused_case{"msg_type_not_string", R"({"msgType":1,"msgData":{"apiVersion":"1"}})",
                     "LOGIN_BAD_AUTH"},
        refused_case{"no_msg_data", R"({"msgType":"authenticate"})", "LOGIN_BAD_STRUCTURE"},
        refused_case{"msg_data_string", AUTH(R"("x")"), "LOGIN_BAD_STRUCTURE"},
        refused_case{"msg_data_array", AUTH("[]"), "LOGIN_BAD_STRUCTURE"},
        refused_case{"no_api_version", AUTH("{}"), "LOGIN_BAD_STRUCTURE"},
        refused_case{"api_version_number", AUTH(R"({"apiVersion":1})"), "LOGIN_BAD_STRUCTURE"},
        refused_case{"room_join_string", AUTH(R"({"apiVersion":"1","roomJoin":"lobby"})"),
                     "LOGIN_BAD_STRUCTURE"},
        refused_case{"room_join_array", AUTH(R"({"apiVersion":"1","roomJoin":["lobby"]})"),
                     "LOGIN_BAD_STRUCTURE"},
        refused_case{"bad_api_version", AUTH(R"({"apiVersion":"bad version!"})"),
                     "MSG_REJECT_BAD_STRUCTURE"},
        refused_case{"empty_api_version", AUTH(R"({"apiVersion":""})"), "MSG_REJECT_BAD_STRUCTURE"},
        refused_case{"long_api_version", bad_api_33.c_str(), "MSG_REJECT_BAD_STRUCTURE"},
        refused_case{"bad_app_name", AUTH(R"({"apiVersion":"1","applicationName":"my app"})"),
                     "MSG_REJECT_BAD_STRUCTURE"},
        refused_case{"app_name_number", AUTH(R"({"apiVersion":"1","applicationName":5})"),
                     "MSG_REJECT_BAD_STRUCTURE"},
        refused_case{"app_name_null", AUTH(R"({"apiVersion":"1","applicationName":null})"),
                     "MSG_REJECT_BAD_STRUCTURE"},
        refused_case{"long_app_name", bad_app_33.c_str(), "MSG_REJECT_BAD_STRUCTURE"},
        refused_case{"bad_easyrtcsid", AUTH(R"({"apiVersion":"1","easyrtcsid":"a b"})"),
                     "MSG_REJECT_BAD_STRUCTURE"},
        refused_case{"long_easyrtcsid", bad_sid_101.c_str(), "MSG_REJECT_BAD_STRUCTURE"},
        refused_case{"empty_username", AUTH(R"({"apiVersion":"1","username":""})"),
                     "MSG_REJECT_BAD_STRUCTURE"},
        refused_case{"long_username", bad_user_65.c_str(), "MSG_REJECT_BAD_STRUCTURE"},
        refused_case{"username_newline", AUTH(R"({"apiVersion":"1","username":"a\nb"})"),
                     "MSG_REJECT_BAD_STRUCTURE"},
        refused_case{"username_number", AUTH(R"({"apiVersion":"1","username":7})"),
                     "MSG_REJECT_BAD_STRUCTURE"},
        refused_case{"credential_string", AUTH(R"({"apiVersion":"1","credential":"secret"})"),
                     "MSG_REJECT_BAD_STRUCTURE"},
        refused_case{"credential_empty", AUTH(R"({"apiVersion":"1","credential":{}})"),
                     "MSG_REJECT_BAD_STRUCTURE"},
        refused_case{"room_key_invalid",
                     AUTH(R"({"apiVersion":"1","roomJoin":{"a b":{"roomName":"a b"}}})"),
                     "MSG_REJECT_BAD_STRUCTURE"},
        refused_case{"room_name_mismatch",
                     AUTH(R"({"apiVersion":"1","roomJoin":{"a":{"roomName":"b"}}})"),
                     "MSG_REJECT_BAD_STRUCTURE"},
        refused_case{"room_entry_not_object", AUTH(R"({"apiVersion":"1","roomJoin":{"a":"a"}})"),
                     "MSG_REJECT_BAD_STRUCTURE"},
        refused_case{"room_parameter_string",
                     AUTH(R"({"apiVersion":"1","roomJoin":{"a":{"roomName":"a",)"
                          R"("roomParameter":"x"}}})"),
                     "MSG_REJECT_BAD_STRUCTURE"},
        refused_case{"presence_empty", AUTH(R"({"apiVersion":"1","setPresence":{}})"),
                     "MSG_REJECT_BAD_STRUCTURE"},
        refused_case{"presence_string", AUTH(R"({"apiVersion":"1","setPresence":"chat"})"),
                     "MSG_REJECT_BAD_STRUCTURE"},
        refused_case{"presence_bad_show",
                     AUTH(R"({"apiVersion":"1","setPresence":{"show":"busy"}})"),
                     "MSG_REJECT_BAD_STRUCTURE"},
        refused_case{"presence_show_uppercase",
                     AUTH(R"({"apiVersion":"1","setPresence":{"show":"CHAT"}})"),
                     "MSG_REJECT_BAD_STRUCTURE"},
        refused_case{"presence_null_status",
                     AUTH(R"({"apiVersion":"1","setPresence":{"status":null}})"),
                     "MSG_REJECT_BAD_STRUCTURE"},
        refused_case{"presence_long_status", bad_status_256.c_str(), "MSG_REJECT_BAD_STRUCTURE"},
        refused_case{"user_cfg_string", AUTH(R"({"apiVersion":"1","setUserCfg":"x"})"),
                     "LOGIN_BAD_USER_CFG"},
        refused_case{"user_cfg_empty", AUTH(R"({"apiVersion":"1","setUserCfg":{}})"),
                     "LOGIN_BAD_USER_CFG"},
        refused_case{"user_settings_empty",
                     AUTH(R"({"apiVersion":"1","setUserCfg":{"userSettings":{}}})"),
                     "LOGIN_BAD_USER_CFG"},
        refused_case{"p2p_list_string", AUTH(R"({"apiVersion":"1","setUserCfg":{"p2pList":"x"}})"),
                     "LOGIN_BAD_USER_CFG"}),
    [](const ::testing::TestParamInfo<refused_case>& p) { return p.param.name; });

#undef AUTH

TEST_F(authentication, validation_failures_are_reported_in_the_reference_order) {
    // apiVersion is checked before applicationName, which is checked before username.
    connect(1);
    auth(1, R"({"apiVersion":"x y","applicationName":"a b","username":""})");
    expect_error(1, "MSG_REJECT_BAD_STRUCTURE");
    // The LOGIN_BAD_STRUCTURE pre-check comes before the validator.
    connect(2);
    auth(2, R"({"apiVersion":"x y","roomJoin":"r"})");
    expect_error(2, "LOGIN_BAD_STRUCTURE");
}

TEST_F(authentication, unknown_application_is_refused_when_auto_create_is_off) {
    cfg.app_auto_create = false;
    cfg.applications = {"known"};
    sign_in(1, R"({"apiVersion":"1","applicationName":"known"})");
    sign_in(2, R"({"apiVersion":"1"})"); // the default application always exists
    connect(3);
    auth(3, R"({"apiVersion":"1","applicationName":"other"})");
    expect_error(3, "LOGIN_APP_AUTH_FAIL");
    ASSERT_EQ(closes().size(), 1u);
    EXPECT_EQ(core().stats().applications, 2u);
}

TEST_F(authentication, missing_room_is_refused_when_auto_create_is_off) {
    cfg.room_auto_create = false;
    sign_in(1); // the default room exists in every application
    sign_in(2, R"({"apiVersion":"1","applicationName":"fresh"})");
    connect(3);
    auth(3, R"({"apiVersion":"1","roomJoin":{"default":{"roomName":"default"},)"
            R"("nowhere":{"roomName":"nowhere"}}})");
    expect_error(3, "LOGIN_BAD_ROOM");
    EXPECT_EQ(closes().size(), 1u);
    EXPECT_TRUE(pushes().empty()); // no half-join: the member of "default" heard nothing
}

TEST_F(authentication, full_room_refuses_the_sign_in) {
    cfg.room_max_connections = 2;
    sign_in(1);
    sign_in(2);
    connect(3);
    auth(3, R"({"apiVersion":"1","roomJoin":{"other":{"roomName":"other"},)"
            R"("default":{"roomName":"default"}}})");
    expect_error(3, "LOGIN_GEN_FAIL");
    EXPECT_TRUE(pushes().empty());
    EXPECT_EQ(core().stats().occupants, 2u);
}

TEST_F(authentication, colliding_or_malformed_ids_are_drawn_again) {
    scripted_ids = {"same", "same", "not valid!", std::string(33, 'x'), "fresh"};
    EXPECT_EQ(sign_in(1, R"({"apiVersion":"1","applicationName":"one"})"), "same");
    // Unique across applications, not only within one.
    EXPECT_EQ(sign_in(2, R"({"apiVersion":"1","applicationName":"two"})"), "fresh");
}

TEST_F(authentication, a_broken_id_generator_fails_the_sign_in) {
    sign_in(1);
    scripted_ids.assign(16, "id1");
    connect(2);
    auth(2, R"({"apiVersion":"1"})");
    expect_error(2, "LOGIN_GEN_FAIL");
    EXPECT_EQ(closes().size(), 1u);
}

TEST_F(authentication, re_sending_authenticate_doubles_nothing) {
    const std::string a = sign_in(1);
    const std::string b = sign_in(2);
    auth(2, R"({"apiVersion":"1"})");
    const json::object token = obj(only_reply(2), "msgData");
    EXPECT_EQ(str(token, "easyrtcid"), b);
    EXPECT_EQ(obj(obj(obj(token, "roomData"), "default"), "clientList").size(), 2u);
    EXPECT_TRUE(pushes().empty()); // nothing changed, so peers hear nothing
    EXPECT_EQ(core().stats().occupants, 2u);
    EXPECT_EQ(core().stats().authenticated, 2u);
    // The reference would now deliver every message twice.
    cmd(1, R"({"msgType":"offer","targetEasyrtcid":"id2","msgData":{"sdp":"x"}})");
    EXPECT_EQ(pushes_to(2).size(), 1u);
    EXPECT_EQ(replies().size(), 1u);
}

TEST_F(authentication, re_authentication_announces_real_changes_once) {
    sign_in(1, R"({"apiVersion":"1","roomJoin":{"a":{"roomName":"a"},"b":{"roomName":"b"}}})");
    sign_in(2, R"({"apiVersion":"1","roomJoin":{"a":{"roomName":"a"},"b":{"roomName":"b"}}})");
    sign_in(3, R"({"apiVersion":"1","roomJoin":{"c":{"roomName":"c"}}})");
    auth(2, R"({"apiVersion":"1","username":"bob","setPresence":{"show":"away"},)"
            R"("roomJoin":{"a":{"roomName":"a"},"c":{"roomName":"c"}}})");
    // 1 shares a and b with 2: one push covering both rooms.
    const auto to_1 = pushes_to(1);
    ASSERT_EQ(to_1.size(), 1u);
    const json::object rooms = obj(obj(to_1[0].body, "msgData"), "roomData");
    EXPECT_EQ(rooms.size(), 2u);
    for (const char* r : {"a", "b"}) {
        const json::object& entry =
            obj(obj(obj(obj(rooms, r), "clientListDelta"), "updateClient"), "id2");
        EXPECT_EQ(str(entry, "username"), "bob");
        EXPECT_EQ(str(obj(entry, "presence"), "show"), "away");
    }
    // 3 is in c, newly joined by 2: one join delta.
    const auto to_3 = pushes_to(3);
    ASSERT_EQ(to_3.size(), 1u);
    EXPECT_TRUE(obj(obj(to_3[0].body, "msgData"), "roomData").contains("c"));
    // The token lists every room 2 is in, old and new.
    EXPECT_EQ(obj(obj(only_reply(2), "msgData"), "roomData").size(), 3u);
    EXPECT_EQ(str(obj(only_reply(2), "msgData"), "easyrtcid"), "id2");
}

TEST_F(authentication, re_authentication_into_another_application_moves_the_connection) {
    sign_in(1);
    sign_in(2);
    auth(2, R"({"apiVersion":"1","applicationName":"elsewhere"})");
    const auto to_1 = pushes_to(1);
    ASSERT_EQ(to_1.size(), 1u);
    EXPECT_TRUE(
        obj(obj(obj(obj(obj(to_1[0].body, "msgData"), "roomData"), "default"), "clientListDelta"),
            "removeClient")
            .contains("id2"));
    const json::object token = obj(only_reply(2), "msgData");
    EXPECT_EQ(str(token, "easyrtcid"), "id2");
    EXPECT_EQ(str(obj(token, "application"), "applicationName"), "elsewhere");
    cmd(1, R"({"msgType":"hangup","targetEasyrtcid":"id2"})");
    expect_error(1, "MSG_REJECT_TARGET_EASYRTCID");
}

TEST_F(authentication, a_refused_re_authentication_drops_the_connection) {
    sign_in(1);
    sign_in(2);
    auth(2, R"({"apiVersion":"bad version!"})");
    expect_error(2, "MSG_REJECT_BAD_STRUCTURE");
    const auto to_1 = pushes_to(1);
    ASSERT_EQ(to_1.size(), 1u);
    EXPECT_NE(to_1[0].text.find(R"("removeClient":{"id2":{"easyrtcid":"id2"}})"),
              std::string::npos);
    ASSERT_EQ(closes().size(), 1u);
    EXPECT_EQ(closes()[0].why, close_reason::auth_failed);
    EXPECT_TRUE(std::holds_alternative<close>(out.back())); // the close comes last
}

TEST_F(authentication, the_credential_is_stored_not_echoed) {
    connect(1);
    auth(1, R"({"apiVersion":"1","credential":{"token":"secret"}})");
    EXPECT_EQ(only_reply_text(1).find("secret"), std::string::npos);
    const auto info = core().describe(1);
    ASSERT_TRUE(info.has_value());
    ASSERT_NE(info->credential, nullptr);
    EXPECT_EQ(json::serialize(*info->credential), R"({"token":"secret"})");
}

} // namespace
} // namespace switchboard::core::testing
