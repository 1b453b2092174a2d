#include "core_fixture.hpp"

#include <boost/json/serialize.hpp>

namespace switchboard::core::testing {
namespace {

namespace json = boost::json;

class relay : public core_test {
protected:
    void SetUp() override {
        sign_in(1); // id1
        sign_in(2); // id2
    }
};

TEST_F(relay, offer_reaches_the_target_before_the_sender_is_acked) {
    cmd(1, R"({"msgType":"offer","targetEasyrtcid":"id2","msgData":{"type":"offer","sdp":"v=0"}})");
    ASSERT_EQ(out.size(), 2u);
    const auto to_2 = pushes_to(2);
    ASSERT_EQ(to_2.size(), 1u);
    EXPECT_EQ(to_2[0].text,
              R"(["easyrtcCmd",{"senderEasyrtcid":"id1","msgData":{"type":"offer","sdp":"v=0"},)"
              R"("easyrtcid":"id2","msgType":"offer","serverTime":1800000000000}])");
    EXPECT_EQ(only_reply_text(1), R"({"msgType":"ack"})");
    EXPECT_LT(index_of_push(2), index_of_reply(1));
}

class relay_type : public relay, public ::testing::WithParamInterface<const char*> {};

TEST_P(relay_type, with_data_is_forwarded_untouched) {
    const std::string type = GetParam();
    cmd(2, R"({"msgType":")" + type +
               R"(","targetEasyrtcid":"id1","msgData":{"type":"candidate","label":0,)"
               R"("id":"0","candidate":"candidate:1 1 udp 2122260223 10.0.0.1 5000 typ host"}})");
    const auto to_1 = pushes_to(1);
    ASSERT_EQ(to_1.size(), 1u);
    EXPECT_EQ(to_1[0].event, "easyrtcCmd");
    EXPECT_EQ(to_1[0].body.size(), 5u); // senderEasyrtcid, msgData, easyrtcid, msgType, serverTime
    EXPECT_EQ(str(to_1[0].body, "senderEasyrtcid"), "id2");
    EXPECT_EQ(str(to_1[0].body, "msgType"), type);
    EXPECT_FALSE(to_1[0].body.contains("targetEasyrtcid"));
    EXPECT_EQ(json::serialize(to_1[0].body.at("msgData")),
              R"({"type":"candidate","label":0,"id":"0",)"
              R"("candidate":"candidate:1 1 udp 2122260223 10.0.0.1 5000 typ host"})");
    EXPECT_EQ(only_reply_text(2), R"({"msgType":"ack"})");
}

INSTANTIATE_TEST_SUITE_P(types, relay_type, ::testing::Values("offer", "answer", "candidate"));

class relay_without_data : public relay, public ::testing::WithParamInterface<const char*> {};

TEST_P(relay_without_data, carries_no_msg_data) {
    const std::string type = GetParam();
    cmd(1, R"({"msgType":")" + type + R"(","targetEasyrtcid":"id2"})");
    const auto to_2 = pushes_to(2);
    ASSERT_EQ(to_2.size(), 1u);
    EXPECT_EQ(to_2[0].text, R"(["easyrtcCmd",{"senderEasyrtcid":"id1","easyrtcid":"id2",)"
                            R"("msgType":")" +
                                type + R"(","serverTime":1800000000000}])");
    EXPECT_EQ(only_reply_text(1), R"({"msgType":"ack"})");
}

INSTANTIATE_TEST_SUITE_P(types, relay_without_data, ::testing::Values("reject", "hangup"));

struct bad_relay {
    const char* name;
    const char* body;
    const char* code;
};

class refused_relay : public relay, public ::testing::WithParamInterface<bad_relay> {};

TEST_P(refused_relay, is_answered_with_the_error_and_delivers_nothing) {
    sign_in(3, R"({"apiVersion":"1","applicationName":"other"})"); // id3, another app
    cmd(1, GetParam().body);
    expect_error(1, GetParam().code);
    EXPECT_TRUE(pushes().empty());
    EXPECT_TRUE(closes().empty());
}

INSTANTIATE_TEST_SUITE_P(
    cases, refused_relay,
    ::testing::Values(
        bad_relay{"offer_without_data", R"({"msgType":"offer","targetEasyrtcid":"id2"})",
                  "MSG_REJECT_BAD_DATA"},
        bad_relay{"offer_empty_data", R"({"msgType":"offer","targetEasyrtcid":"id2","msgData":{}})",
                  "MSG_REJECT_BAD_DATA"},
        bad_relay{"answer_string_data",
                  R"({"msgType":"answer","targetEasyrtcid":"id2","msgData":"sdp"})",
                  "MSG_REJECT_BAD_DATA"},
        bad_relay{"candidate_array_data",
                  R"({"msgType":"candidate","targetEasyrtcid":"id2","msgData":[1]})",
                  "MSG_REJECT_BAD_DATA"},
        bad_relay{"hangup_with_empty_data",
                  R"({"msgType":"hangup","targetEasyrtcid":"id2","msgData":{}})",
                  "MSG_REJECT_BAD_DATA"},
        bad_relay{"reject_with_null_data",
                  R"({"msgType":"reject","targetEasyrtcid":"id2","msgData":null})",
                  "MSG_REJECT_BAD_DATA"},
        bad_relay{"data_checked_before_target", R"({"msgType":"offer","targetEasyrtcid":5})",
                  "MSG_REJECT_BAD_DATA"},
        bad_relay{"no_target", R"({"msgType":"offer","msgData":{"sdp":"x"}})",
                  "MSG_REJECT_BAD_STRUCTURE"},
        bad_relay{"target_number", R"({"msgType":"hangup","targetEasyrtcid":5})",
                  "MSG_REJECT_BAD_STRUCTURE"},
        bad_relay{"target_malformed", R"({"msgType":"hangup","targetEasyrtcid":"id 2"})",
                  "MSG_REJECT_BAD_STRUCTURE"},
        bad_relay{"target_unknown", R"({"msgType":"hangup","targetEasyrtcid":"nobody"})",
                  "MSG_REJECT_TARGET_EASYRTCID"},
        bad_relay{"target_in_other_app",
                  R"({"msgType":"offer","targetEasyrtcid":"id3","msgData":{"sdp":"x"}})",
                  "MSG_REJECT_TARGET_EASYRTCID"},
        bad_relay{"body_not_object", R"(["offer"])", "MSG_REJECT_BAD_STRUCTURE"},
        bad_relay{"no_msg_type", R"({"targetEasyrtcid":"id2"})", "MSG_REJECT_BAD_TYPE"},
        bad_relay{"msg_type_number", R"({"msgType":3})", "MSG_REJECT_BAD_TYPE"},
        bad_relay{"unknown_msg_type", R"({"msgType":"dance","targetEasyrtcid":"id2"})",
                  "MSG_REJECT_BAD_TYPE"}),
    [](const ::testing::TestParamInfo<bad_relay>& p) { return p.param.name; });

TEST_F(relay, target_gone_is_refused) {
    drop(2);
    cmd(1, R"({"msgType":"hangup","targetEasyrtcid":"id2"})");
    expect_error(1, "MSG_REJECT_TARGET_EASYRTCID");
}

TEST_F(relay, room_membership_is_not_required_by_default) {
    sign_in(3, R"({"apiVersion":"1","roomJoin":{"elsewhere":{"roomName":"elsewhere"}}})");
    cmd(1, R"({"msgType":"offer","targetEasyrtcid":"id3","msgData":{"sdp":"x"}})");
    EXPECT_EQ(pushes_to(3).size(), 1u);
    EXPECT_EQ(only_reply_text(1), R"({"msgType":"ack"})");
}

TEST_F(relay, without_a_callback_the_relay_still_happens) {
    send(1, channel::cmd, R"({"msgType":"hangup","targetEasyrtcid":"id2"})", std::nullopt);
    EXPECT_EQ(pushes_to(2).size(), 1u);
    EXPECT_TRUE(replies().empty());
}

using relay_room_scope = core_test;

TEST_F(relay_room_scope, needs_a_shared_room) {
    cfg.relay = relay_scope::room;
    sign_in(1, R"({"apiVersion":"1","roomJoin":{"a":{"roomName":"a"}}})");
    sign_in(2, R"({"apiVersion":"1","roomJoin":{"b":{"roomName":"b"}}})");
    cmd(1, R"({"msgType":"offer","targetEasyrtcid":"id2","msgData":{"sdp":"x"}})");
    expect_error(1, "MSG_REJECT_TARGET_EASYRTCID");
    EXPECT_TRUE(pushes().empty());
    cmd(2, R"({"msgType":"roomJoin","msgData":{"roomJoin":{"a":{"roomName":"a"}}}})");
    cmd(1, R"({"msgType":"offer","targetEasyrtcid":"id2","msgData":{"sdp":"x"}})");
    EXPECT_EQ(pushes_to(2).size(), 1u);
    EXPECT_EQ(only_reply_text(1), R"({"msgType":"ack"})");
}

TEST_F(relay, before_authentication_every_command_is_refused) {
    connect(9);
    for (const char* body : {R"({"msgType":"offer","targetEasyrtcid":"id2","msgData":{"a":1}})",
                             R"({"msgType":"getRoomList"})", R"({"msgType":"stillAlive"})",
                             R"({"msgType":"nonsense"})", R"("not even an object")"}) {
        cmd(9, body);
        expect_error(9, "MSG_REJECT_NO_AUTH");
        EXPECT_TRUE(pushes().empty());
    }
}

} // namespace
} // namespace switchboard::core::testing
