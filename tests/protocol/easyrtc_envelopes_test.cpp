#include "switchboard/protocol/easyrtc_envelopes.hpp"
#include "switchboard/protocol/easyrtc_json.hpp"

#include <boost/json/parse.hpp>

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace switchboard::protocol::easyrtc {
namespace {

namespace json = boost::json;

std::string whole(const push_frame& f, std::string_view id) {
    return f.head + std::string(id) + f.tail;
}

TEST(easyrtc_json, strings_are_escaped_like_json_stringify) {
    static constexpr char raw[] = "a\"b\\c/d\n\r\t\b\f\x01\x1f\x7f\0e\xC3\xA9";
    std::string out;
    append_json_string(out, std::string_view(raw, sizeof(raw) - 1));
    EXPECT_EQ(out,
              std::string("\"a\\\"b\\\\c/d\\n\\r\\t\\b\\f\\u0001\\u001f\x7f\\u0000e\xC3\xA9\""));
    out.clear();
    append_json_string(out, "");
    EXPECT_EQ(out, R"("")");
    boost::system::error_code ec;
    json::parse(R"("a\"b\\c/d\n\r\t\b\f\u0001\u001f")", ec);
    EXPECT_FALSE(ec);
}

TEST(easyrtc_json, values_and_numbers) {
    std::string out;
    append_json(out, json::value{{"a", 1}, {"b", json::array{true, nullptr}}});
    out += ' ';
    append_json(out, std::int64_t{-1800000000000});
    out += ' ';
    append_json(out, json::array{});
    EXPECT_EQ(out, R"({"a":1,"b":[true,null]} -1800000000000 [])");
}

TEST(easyrtc_errors, every_error_has_a_known_code_and_its_own_text) {
    const std::set<std::string_view> known = {
        "BANNED_IP_ADDR",          "LOGIN_APP_AUTH_FAIL",    "LOGIN_BAD_APP_NAME",
        "LOGIN_BAD_AUTH",          "LOGIN_BAD_ROOM",         "LOGIN_BAD_STRUCTURE",
        "LOGIN_BAD_USER_CFG",      "LOGIN_GEN_FAIL",         "LOGIN_NO_SOCKETS",
        "LOGIN_TIMEOUT",           "MSG_REJECT_BAD_DATA",    "MSG_REJECT_BAD_FIELD",
        "MSG_REJECT_BAD_ROOM",     "MSG_REJECT_BAD_SIZE",    "MSG_REJECT_BAD_STRUCTURE",
        "MSG_REJECT_BAD_TYPE",     "MSG_REJECT_GEN_FAIL",    "MSG_REJECT_NO_AUTH",
        "MSG_REJECT_NO_ROOM_LIST", "MSG_REJECT_PRESENCE",    "MSG_REJECT_TARGET_EASYRTCID",
        "MSG_REJECT_TARGET_GROUP", "MSG_REJECT_TARGET_ROOM", "SERVER_SHUTDOWN"};
    std::set<std::string_view> codes, texts;
    constexpr int count = static_cast<int>(error::server_shutdown) + 1;
    for (int i = 0; i < count; ++i) {
        const auto e = static_cast<error>(i);
        EXPECT_TRUE(known.contains(error_code(e))) << error_code(e);
        EXPECT_GT(error_text(e).size(), 20u);
        codes.insert(error_code(e));
        texts.insert(error_text(e));
    }
    EXPECT_EQ(codes, known); // all of the reference's codes, nothing else
    EXPECT_EQ(texts.size(), static_cast<std::size_t>(count));
}

TEST(easyrtc_errors, variants_keep_the_client_known_code) {
    EXPECT_EQ(error_code(error::login_room_full), "LOGIN_GEN_FAIL");
    EXPECT_EQ(error_code(error::msg_reject_room_full), "MSG_REJECT_BAD_ROOM");
    EXPECT_EQ(error_code(error::msg_reject_no_handler), "MSG_REJECT_GEN_FAIL");
    EXPECT_EQ(error_code(error::msg_reject_rate_limited), "MSG_REJECT_GEN_FAIL");
    EXPECT_EQ(error_code(error::msg_reject_target_self), "MSG_REJECT_TARGET_EASYRTCID");
}

TEST(easyrtc_envelopes, ack_and_error_replies) {
    EXPECT_EQ(ack_reply, R"({"msgType":"ack"})");
    EXPECT_EQ(error_reply(error::msg_reject_bad_type, 1795314468080),
              R"({"msgType":"error","serverTime":1795314468080,"msgData":{"errorCode":)"
              R"("MSG_REJECT_BAD_TYPE","errorText":")" +
                  std::string(error_text(error::msg_reject_bad_type)) + R"("}})");
}

TEST(easyrtc_envelopes, typed_reply) {
    EXPECT_EQ(typed_reply("roomList", R"({"roomList":{}})"),
              R"({"msgType":"roomList","msgData":{"roomList":{}}})");
}

TEST(easyrtc_envelopes, cmd_frame_keeps_the_decoration_order) {
    const push_frame f = cmd_frame(R"("msgData":{"x":1})", "roomData", 42);
    EXPECT_EQ(f.head, R"(["easyrtcCmd",{"msgData":{"x":1},"easyrtcid":")");
    EXPECT_EQ(f.tail, R"(","msgType":"roomData","serverTime":42}])");
    const push_frame bare = cmd_frame("", "hangup", 1);
    EXPECT_EQ(whole(bare, "id"),
              R"(["easyrtcCmd",{"easyrtcid":"id","msgType":"hangup","serverTime":1}])");
}

TEST(easyrtc_envelopes, relay_frames) {
    const json::value data = json::parse(R"({"type":"answer","sdp":"v=0\r\n"})");
    EXPECT_EQ(whole(relay_frame("Vnqv", relay{relay_type::answer, "pcKI", &data}, 7), "pcKI"),
              R"(["easyrtcCmd",{"senderEasyrtcid":"Vnqv","msgData":{"type":"answer",)"
              R"("sdp":"v=0\r\n"},"easyrtcid":"pcKI","msgType":"answer","serverTime":7}])");
    EXPECT_EQ(whole(relay_frame("a", relay{relay_type::reject, "b", nullptr}, 7), "b"),
              R"(["easyrtcCmd",{"senderEasyrtcid":"a","easyrtcid":"b","msgType":"reject",)"
              R"("serverTime":7}])");
}

TEST(easyrtc_envelopes, app_message_frame_has_msg_type_once) {
    const json::value data = json::parse(R"("hello")");
    app_message m;
    m.msg_type = "chat";
    m.msg_data = &data;
    m.target_easyrtcid = "Vnqv";
    EXPECT_EQ(whole(app_message_frame("pcKI", m, 9), "Vnqv"),
              R"(["easyrtcMsg",{"senderEasyrtcid":"pcKI","targetEasyrtcid":"Vnqv",)"
              R"("msgType":"chat","msgData":"hello","easyrtcid":"Vnqv","serverTime":9}])");
    app_message room;
    room.msg_type = "say \"hi\"";
    room.target_room = "lobby";
    EXPECT_EQ(whole(app_message_frame("pcKI", room, 9), "x"),
              R"(["easyrtcMsg",{"senderEasyrtcid":"pcKI","targetRoom":"lobby",)"
              R"("msgType":"say \"hi\"","easyrtcid":"x","serverTime":9}])");
}

TEST(easyrtc_envelopes, server_originated_frames) {
    EXPECT_EQ(whole(error_frame(error::server_shutdown, 5), "me"),
              R"(["easyrtcCmd",{"msgData":{"errorCode":"SERVER_SHUTDOWN","errorText":")" +
                  std::string(error_text(error::server_shutdown)) +
                  R"("},"easyrtcid":"me","msgType":"error","serverTime":5}])");
    EXPECT_EQ(whole(ice_config_frame(json::array{json::object{{"urls", "stun:s"}}}, 5), "me"),
              R"(["easyrtcCmd",{"msgData":{"iceConfig":{"iceServers":[{"urls":"stun:s"}]}},)"
              R"("easyrtcid":"me","msgType":"iceConfig","serverTime":5}])");
    EXPECT_EQ(whole(forward_to_url_frame("https://e.org/", true, 5), "me"),
              R"(["easyrtcCmd",{"msgData":{"forwardToUrl":{"url":"https://e.org/"},)"
              R"("newWindow":true},"easyrtcid":"me","msgType":"forwardToUrl","serverTime":5}])");
}

TEST(easyrtc_envelopes, every_frame_is_json_once_completed) {
    const json::value data = json::parse(R"({"a":[1,{"b":null}]})");
    app_message m;
    m.msg_type = "t";
    m.msg_data = &data;
    m.target_room = "r";
    for (const push_frame& f :
         {cmd_frame("", "x", 0), relay_frame("s", relay{relay_type::offer, "t", &data}, 0),
          app_message_frame("s", m, 0), error_frame(error::login_timeout, 0),
          forward_to_url_frame("\"", false, 0)}) {
        boost::system::error_code ec;
        const json::value v = json::parse(whole(f, "abc"), ec);
        ASSERT_FALSE(ec) << whole(f, "abc");
        EXPECT_EQ(v.at(1).at("easyrtcid"), "abc");
    }
}

} // namespace
} // namespace switchboard::protocol::easyrtc
