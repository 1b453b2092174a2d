#include "core_fixture.hpp"

#include <boost/json/serialize.hpp>

namespace switchboard::core::testing {
namespace {

namespace json = boost::json;

class presence_and_fields : public core_test {
protected:
    void SetUp() override {
        sign_in(1);
        sign_in(2);
    }
};

TEST_F(presence_and_fields, set_presence_acks_the_deltas_and_tells_peers) {
    cmd(1, R"({"msgType":"setPresence","msgData":{"setPresence":{"show":"away","status":"brb"}}})");
    const std::string expected_data =
        R"({"roomData":{"default":{"roomName":"default","roomStatus":"update",)"
        R"("clientListDelta":{"updateClient":{"id1":{"easyrtcid":"id1",)"
        R"("roomJoinTime":1800000000000,"presence":{"show":"away","status":"brb"}}}}}}})";
    EXPECT_EQ(only_reply_text(1), R"({"msgType":"roomData","msgData":)" + expected_data + "}");
    const auto to_2 = pushes_to(2);
    ASSERT_EQ(to_2.size(), 1u);
    EXPECT_EQ(to_2[0].text, R"(["easyrtcCmd",{"msgData":)" + expected_data +
                                R"(,"easyrtcid":"id2","msgType":"roomData",)"
                                R"("serverTime":1800000000000}])");
}

TEST_F(presence_and_fields, set_presence_changes_only_the_keys_sent) {
    cmd(1, R"({"msgType":"setPresence","msgData":{"setPresence":{"show":"xa","status":"zzz"}}})");
    cmd(1, R"({"msgType":"setPresence","msgData":{"setPresence":{"status":"back","type":"x"}}})");
    const json::object reply = only_reply(1);
    const json::object& entry =
        obj(obj(obj(obj(obj(obj(reply, "msgData"), "roomData"), "default"), "clientListDelta"),
                "updateClient"),
            "id1");
    EXPECT_EQ(json::serialize(entry.at("presence")), R"({"show":"xa","status":"back","type":"x"})");
}

TEST_F(presence_and_fields, set_presence_in_no_room) {
    cmd(1, R"({"msgType":"roomLeave","msgData":{"roomLeave":{"default":{"roomName":"default"}}}})");
    cmd(1, R"({"msgType":"setPresence","msgData":{"setPresence":{"show":"dnd"}}})");
    EXPECT_EQ(only_reply_text(1), R"({"msgType":"roomData","msgData":{"roomData":{}}})");
    EXPECT_TRUE(pushes().empty());
}

TEST_F(presence_and_fields, status_limits_count_utf16_units) {
    // 127 emoji are 254 UTF-16 units (allowed), 128 are 256 (refused).
    std::string ok, too_long;
    for (int i = 0; i < 127; ++i) {
        ok += "\xF0\x9F\x98\x80";
    }
    too_long = ok + "\xF0\x9F\x98\x80";
    cmd(1, R"({"msgType":"setPresence","msgData":{"setPresence":{"status":")" + ok + R"("}}})");
    EXPECT_EQ(str(only_reply(1), "msgType"), "roomData");
    cmd(1,
        R"({"msgType":"setPresence","msgData":{"setPresence":{"status":")" + too_long + R"("}}})");
    expect_error(1, "MSG_REJECT_BAD_STRUCTURE");
    cmd(1, R"({"msgType":"setPresence","msgData":{"setPresence":{"status":")" +
               std::string(255, 's') + R"("}}})");
    EXPECT_EQ(str(only_reply(1), "msgType"), "roomData");
}

struct bad_request {
    const char* name;
    const char* body;
    const char* code;
};

class refused_update : public presence_and_fields,
                       public ::testing::WithParamInterface<bad_request> {};

TEST_P(refused_update, answers_the_error_and_tells_nobody) {
    cmd(1, GetParam().body);
    expect_error(1, GetParam().code);
    EXPECT_TRUE(pushes().empty());
}

#define PRESENCE(p) R"({"msgType":"setPresence","msgData":{"setPresence":)" p "}}"
#define API_FIELD(f) R"({"msgType":"setRoomApiField","msgData":{"setRoomApiField":)" f "}}"
#define USER_CFG(c) R"({"msgType":"setUserCfg","msgData":{"setUserCfg":)" c "}}"

INSTANTIATE_TEST_SUITE_P(
    cases, refused_update,
    ::testing::Values(
        bad_request{"presence_no_msg_data", R"({"msgType":"setPresence"})", "MSG_REJECT_BAD_DATA"},
        bad_request{"presence_msg_data_array", R"({"msgType":"setPresence","msgData":[]})",
                    "MSG_REJECT_BAD_DATA"},
        bad_request{"presence_missing", R"({"msgType":"setPresence","msgData":{}})",
                    "MSG_REJECT_BAD_STRUCTURE"},
        bad_request{"presence_empty", PRESENCE("{}"), "MSG_REJECT_BAD_STRUCTURE"},
        bad_request{"presence_bad_show", PRESENCE(R"({"show":"online"})"),
                    "MSG_REJECT_BAD_STRUCTURE"},
        bad_request{"presence_show_number", PRESENCE(R"({"show":1})"), "MSG_REJECT_BAD_STRUCTURE"},
        bad_request{"presence_null_status", PRESENCE(R"({"status":null})"),
                    "MSG_REJECT_BAD_STRUCTURE"},
        bad_request{"presence_status_newline", PRESENCE(R"({"status":"a\rb"})"),
                    "MSG_REJECT_BAD_STRUCTURE"},
        bad_request{"presence_status_line_separator", PRESENCE("{\"status\":\"a\xE2\x80\xA8\"}"),
                    "MSG_REJECT_BAD_STRUCTURE"},
        bad_request{"presence_type_object", PRESENCE(R"({"type":{}})"), "MSG_REJECT_BAD_STRUCTURE"},
        bad_request{"api_field_no_msg_data", R"({"msgType":"setRoomApiField"})",
                    "MSG_REJECT_BAD_DATA"},
        bad_request{"api_field_empty", API_FIELD("{}"), "MSG_REJECT_BAD_STRUCTURE"},
        bad_request{"api_field_not_object", API_FIELD(R"("x")"), "MSG_REJECT_BAD_STRUCTURE"},
        bad_request{"api_field_no_room", API_FIELD(R"({"field":{}})"), "MSG_REJECT_BAD_ROOM"},
        bad_request{"api_field_bad_room", API_FIELD(R"({"roomName":"a b","field":{}})"),
                    "MSG_REJECT_BAD_ROOM"},
        bad_request{"api_field_room_not_joined", API_FIELD(R"({"roomName":"other","field":{}})"),
                    "MSG_REJECT_BAD_ROOM"},
        bad_request{"api_field_field_string", API_FIELD(R"({"roomName":"default","field":"x"})"),
                    "MSG_REJECT_BAD_STRUCTURE"},
        bad_request{"user_cfg_no_msg_data", R"({"msgType":"setUserCfg"})", "MSG_REJECT_BAD_DATA"},
        bad_request{"user_cfg_empty", USER_CFG("{}"), "MSG_REJECT_BAD_STRUCTURE"},
        bad_request{"user_cfg_string", USER_CFG(R"("x")"), "MSG_REJECT_BAD_STRUCTURE"},
        bad_request{"user_settings_empty", USER_CFG(R"({"userSettings":{}})"),
                    "MSG_REJECT_BAD_STRUCTURE"},
        bad_request{"p2p_list_number", USER_CFG(R"({"p2pList":3})"), "MSG_REJECT_BAD_STRUCTURE"},
        bad_request{"ice_config_with_data", R"({"msgType":"getIceConfig","msgData":{"a":1}})",
                    "MSG_REJECT_BAD_DATA"},
        bad_request{"ice_config_string_data", R"({"msgType":"getIceConfig","msgData":"x"})",
                    "MSG_REJECT_BAD_DATA"}),
    [](const ::testing::TestParamInfo<bad_request>& p) { return p.param.name; });

#undef PRESENCE
#undef API_FIELD
#undef USER_CFG

TEST_F(presence_and_fields, room_api_field_goes_to_the_room_and_back_in_the_ack) {
    cmd(1, R"({"msgType":"setRoomApiField","msgData":{"setRoomApiField":{"roomName":"default",)"
           R"("field":{"mediaIds":{"fieldName":"mediaIds","fieldValue":{"default":"m1"}}}}}})");
    const std::string data =
        R"({"roomData":{"default":{"roomName":"default","roomStatus":"update",)"
        R"("clientListDelta":{"updateClient":{"id1":{"easyrtcid":"id1",)"
        R"("roomJoinTime":1800000000000,"presence":{"show":"chat","status":null},)"
        R"("apiField":{"mediaIds":{"fieldName":"mediaIds","fieldValue":{"default":"m1"}}}}}}}}})";
    EXPECT_EQ(only_reply_text(1), R"({"msgType":"roomData","msgData":)" + data + "}");
    const auto to_2 = pushes_to(2);
    ASSERT_EQ(to_2.size(), 1u);
    EXPECT_EQ(to_2[0].text, R"(["easyrtcCmd",{"msgData":)" + data +
                                R"(,"easyrtcid":"id2","msgType":"roomData",)"
                                R"("serverTime":1800000000000}])");
    EXPECT_LT(index_of_push(2), index_of_reply(1));
    // A later joiner sees it in the full list.
    connect(3);
    auth(3, R"({"apiVersion":"1"})");
    const json::object list =
        obj(obj(obj(obj(only_reply(3), "msgData"), "roomData"), "default"), "clientList");
    EXPECT_TRUE(obj(list, "id1").contains("apiField"));
    EXPECT_FALSE(obj(list, "id2").contains("apiField"));
}

TEST_F(presence_and_fields, room_api_field_replaces_and_clears) {
    cmd(1, R"({"msgType":"setRoomApiField","msgData":{"setRoomApiField":{"roomName":"default",)"
           R"("field":{"a":{"fieldName":"a","fieldValue":1}}}}})");
    cmd(1, R"({"msgType":"setRoomApiField","msgData":{"setRoomApiField":{"roomName":"default",)"
           R"("field":{"b":{"fieldName":"b","fieldValue":2}}}}})");
    auto entry = [this] {
        return obj(obj(obj(obj(obj(obj(only_reply(1), "msgData"), "roomData"), "default"),
                           "clientListDelta"),
                       "updateClient"),
                   "id1");
    };
    EXPECT_EQ(json::serialize(entry().at("apiField")), R"({"b":{"fieldName":"b","fieldValue":2}})");
    cmd(1, R"({"msgType":"setRoomApiField","msgData":{"setRoomApiField":{"roomName":"default"}}})");
    EXPECT_FALSE(entry().contains("apiField"));
    cmd(1, R"({"msgType":"setRoomApiField","msgData":{"setRoomApiField":{"roomName":"default",)"
           R"("field":{}}}})");
    EXPECT_FALSE(entry().contains("apiField"));
    EXPECT_EQ(pushes_to(2).size(), 1u);
}

TEST_F(presence_and_fields, room_api_field_size_limit) {
    // {"k":"<n chars>"} is n + 8 bytes of JSON: 4095 passes, 4096 does not.
    auto request = [](std::size_t n) {
        return R"({"msgType":"setRoomApiField","msgData":{"setRoomApiField":{"roomName":"default",)"
               R"("field":{"k":")" +
               std::string(n, 'x') + R"("}}}})";
    };
    cmd(1, request(4087));
    EXPECT_EQ(str(only_reply(1), "msgType"), "roomData");
    EXPECT_EQ(pushes_to(2).size(), 1u);
    cmd(1, request(4088));
    expect_error(1, "MSG_REJECT_BAD_SIZE");
    EXPECT_TRUE(pushes().empty());
}

TEST_F(presence_and_fields, user_cfg_is_stored_and_acked) {
    cmd(1, R"({"msgType":"setUserCfg","msgData":{"setUserCfg":{"userSettings":{"os":"linux"},)"
           R"("p2pList":{"id2":{"connectTime":5,"isInitiator":true}}}}})");
    EXPECT_EQ(only_reply_text(1), R"({"msgType":"ack"})");
    EXPECT_TRUE(pushes().empty());
    auto info = core().describe(1);
    ASSERT_TRUE(info && info->user_settings && info->p2p_list);
    EXPECT_EQ(json::serialize(*info->user_settings), R"({"os":"linux"})");
    EXPECT_EQ(json::serialize(*info->p2p_list), R"({"id2":{"connectTime":5,"isInitiator":true}})");
    // Parts replace what was stored; absent parts stay.
    cmd(1, R"({"msgType":"setUserCfg","msgData":{"setUserCfg":{"userSettings":{"lang":"en"}}}})");
    info = core().describe(1);
    EXPECT_EQ(json::serialize(*info->user_settings), R"({"lang":"en"})");
    EXPECT_NE(info->p2p_list, nullptr);
}

TEST_F(presence_and_fields, ice_config_on_request) {
    for (const char* body :
         {R"({"msgType":"getIceConfig","msgData":{}})", R"({"msgType":"getIceConfig"})",
          R"({"msgType":"getIceConfig","msgData":null})"}) {
        cmd(1, body);
        EXPECT_EQ(only_reply_text(1),
                  R"({"msgType":"iceConfig","msgData":{"iceConfig":{"iceServers":)"
                  R"([{"urls":["stun:stun.example.org:3478"]},{"urls":["turn:turn.example.org"],)"
                  R"("username":"u","credential":"c"}]}}})");
    }
    EXPECT_EQ(ice->calls, 5); // two tokens, three requests: credentials are always fresh
}

TEST_F(presence_and_fields, still_alive_is_acked_even_when_off) {
    cmd(1, R"({"msgType":"stillAlive","msgData":{}})");
    EXPECT_EQ(only_reply_text(1), R"({"msgType":"ack"})");
    cmd(1, R"({"msgType":"stillAlive"})");
    EXPECT_EQ(only_reply_text(1), R"({"msgType":"ack"})");
}

} // namespace
} // namespace switchboard::core::testing
