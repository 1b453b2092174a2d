#include "core_fixture.hpp"

#include <boost/json/serialize.hpp>

namespace switchboard::core::testing {
namespace {

namespace json = boost::json;

// 1, 2, 3 in "default"; 1 and 2 in "team"; 4 in application "other".
class app_messages : public core_test {
protected:
    void SetUp() override {
        const char* both = R"({"apiVersion":"1","roomJoin":{"default":{"roomName":"default"},)"
                           R"("team":{"roomName":"team"}}})";
        sign_in(1, both);
        sign_in(2, both);
        sign_in(3);
        sign_in(4, R"({"apiVersion":"1","applicationName":"other"})");
    }
};

TEST_F(app_messages, direct_message_matches_the_captured_shape) {
    msg(1, R"({"msgType":"chat","msgData":"hello","targetEasyrtcid":"id3"})");
    const auto to_3 = pushes_to(3);
    ASSERT_EQ(to_3.size(), 1u);
    EXPECT_EQ(pushes().size(), 1u);
    // msgType appears once, among the payload fields.
    EXPECT_EQ(to_3[0].text,
              R"(["easyrtcMsg",{"senderEasyrtcid":"id1","targetEasyrtcid":"id3","msgType":"chat",)"
              R"("msgData":"hello","easyrtcid":"id3","serverTime":1800000000000}])");
    EXPECT_EQ(only_reply_text(1), R"({"msgType":"ack"})");
    EXPECT_LT(index_of_push(3), index_of_reply(1));
}

TEST_F(app_messages, no_room_is_needed_for_a_direct_message) {
    cmd(3, R"({"msgType":"roomLeave","msgData":{"roomLeave":{"default":{"roomName":"default"}}}})");
    msg(1, R"({"msgType":"iceGatheringDone","msgData":{},"targetEasyrtcid":"id3"})");
    EXPECT_EQ(pushes_to(3).size(), 1u);
    EXPECT_EQ(only_reply_text(1), R"({"msgType":"ack"})");
}

TEST_F(app_messages, msg_data_is_optional_and_null_is_kept) {
    msg(1, R"({"msgType":"dataChannelPrimed","targetEasyrtcid":"id2"})");
    EXPECT_FALSE(pushes_to(2).at(0).body.contains("msgData"));
    msg(1, R"({"msgType":"x","msgData":null,"targetEasyrtcid":"id2"})");
    EXPECT_TRUE(pushes_to(2).at(0).body.at("msgData").is_null());
    msg(1, R"({"msgType":"x","msgData":{"n":[1,2.5,"\u0001"]},"targetEasyrtcid":"id2"})");
    EXPECT_EQ(json::serialize(pushes_to(2).at(0).body.at("msgData")),
              R"({"n":[1,2.5E0,"\u0001"]})");
}

TEST_F(app_messages, room_message_reaches_every_other_member) {
    msg(1, R"({"msgType":"message","msgData":{"text":"hi"},"targetRoom":"default"})");
    EXPECT_TRUE(pushes_to(1).empty());
    const auto to_2 = pushes_to(2);
    const auto to_3 = pushes_to(3);
    ASSERT_EQ(to_2.size(), 1u);
    ASSERT_EQ(to_3.size(), 1u);
    EXPECT_EQ(to_2[0].frame, to_3[0].frame);
    EXPECT_EQ(to_3[0].text, R"(["easyrtcMsg",{"senderEasyrtcid":"id1","targetRoom":"default",)"
                            R"("msgType":"message","msgData":{"text":"hi"},"easyrtcid":"id3",)"
                            R"("serverTime":1800000000000}])");
    EXPECT_TRUE(pushes_to(4).empty());
    EXPECT_EQ(index_of_reply(1), out.size() - 1);
    EXPECT_EQ(only_reply_text(1), R"({"msgType":"ack"})");
}

TEST_F(app_messages, room_message_to_an_empty_room_is_acked) {
    cmd(2, R"({"msgType":"roomLeave","msgData":{"roomLeave":{"team":{"roomName":"team"}}}})");
    msg(1, R"({"msgType":"m","targetRoom":"team"})");
    EXPECT_TRUE(pushes().empty());
    EXPECT_EQ(only_reply_text(1), R"({"msgType":"ack"})");
}

TEST_F(app_messages, direct_message_within_a_room) {
    msg(1, R"({"msgType":"m","msgData":1,"targetEasyrtcid":"id2","targetRoom":"team"})");
    ASSERT_EQ(pushes_to(2).size(), 1u);
    EXPECT_EQ(pushes_to(2)[0].text,
              R"(["easyrtcMsg",{"senderEasyrtcid":"id1","targetEasyrtcid":"id2",)"
              R"("targetRoom":"team","msgType":"m","msgData":1,"easyrtcid":"id2",)"
              R"("serverTime":1800000000000}])");
    msg(1, R"({"msgType":"m","targetEasyrtcid":"id3","targetRoom":"team"})"); // 3 not in team
    expect_error(1, "MSG_REJECT_TARGET_ROOM");
    msg(3, R"({"msgType":"m","targetEasyrtcid":"id1","targetRoom":"team"})"); // sender not in it
    expect_error(3, "MSG_REJECT_TARGET_ROOM");
    EXPECT_TRUE(pushes().empty());
}

TEST_F(app_messages, without_a_callback_delivery_still_happens) {
    send(1, channel::msg, R"({"msgType":"m","targetEasyrtcid":"id2"})", std::nullopt);
    EXPECT_EQ(pushes_to(2).size(), 1u);
    EXPECT_TRUE(replies().empty());
}

struct bad_message {
    const char* name;
    const char* body;
    const char* code;
};

class refused_message : public app_messages, public ::testing::WithParamInterface<bad_message> {};

TEST_P(refused_message, answers_the_error_and_delivers_nothing) {
    msg(1, GetParam().body);
    expect_error(1, GetParam().code);
    EXPECT_TRUE(pushes().empty());
}

INSTANTIATE_TEST_SUITE_P(
    cases, refused_message,
    ::testing::Values(
        bad_message{"body_not_object", R"("chat")", "MSG_REJECT_BAD_STRUCTURE"},
        bad_message{"no_msg_type", R"({"msgData":1,"targetEasyrtcid":"id2"})",
                    "MSG_REJECT_BAD_TYPE"},
        bad_message{"msg_type_object", R"({"msgType":{},"targetEasyrtcid":"id2"})",
                    "MSG_REJECT_BAD_TYPE"},
        bad_message{"type_checked_before_target", R"({"msgType":1,"targetEasyrtcid":"x y"})",
                    "MSG_REJECT_BAD_TYPE"},
        bad_message{"target_malformed", R"({"msgType":"m","targetEasyrtcid":"x y"})",
                    "MSG_REJECT_TARGET_EASYRTCID"},
        bad_message{"target_number", R"({"msgType":"m","targetEasyrtcid":2})",
                    "MSG_REJECT_TARGET_EASYRTCID"},
        bad_message{"target_checked_before_group",
                    R"({"msgType":"m","targetEasyrtcid":"","targetGroup":"a b"})",
                    "MSG_REJECT_TARGET_EASYRTCID"},
        bad_message{"group_malformed", R"({"msgType":"m","targetGroup":"a b"})",
                    "MSG_REJECT_TARGET_GROUP"},
        bad_message{"group_checked_before_room",
                    R"({"msgType":"m","targetGroup":[],"targetRoom":"a b"})",
                    "MSG_REJECT_TARGET_GROUP"},
        bad_message{"room_malformed", R"({"msgType":"m","targetRoom":"a b"})",
                    "MSG_REJECT_TARGET_ROOM"},
        bad_message{"room_null", R"({"msgType":"m","targetRoom":null})", "MSG_REJECT_TARGET_ROOM"},
        bad_message{"to_self", R"({"msgType":"m","targetEasyrtcid":"id1"})",
                    "MSG_REJECT_TARGET_EASYRTCID"},
        bad_message{"to_unknown", R"({"msgType":"m","targetEasyrtcid":"ghost"})",
                    "MSG_REJECT_TARGET_EASYRTCID"},
        bad_message{"to_other_app", R"({"msgType":"m","targetEasyrtcid":"id4"})",
                    "MSG_REJECT_TARGET_EASYRTCID"},
        bad_message{"to_group", R"({"msgType":"m","targetGroup":"admins"})",
                    "MSG_REJECT_TARGET_GROUP"},
        bad_message{"to_peer_in_group",
                    R"({"msgType":"m","targetEasyrtcid":"id2","targetGroup":"admins"})",
                    "MSG_REJECT_TARGET_GROUP"},
        bad_message{"to_room_and_group",
                    R"({"msgType":"m","targetRoom":"default","targetGroup":"admins"})",
                    "MSG_REJECT_TARGET_GROUP"},
        bad_message{"to_room_not_joined", R"({"msgType":"m","targetRoom":"elsewhere"})",
                    "MSG_REJECT_TARGET_ROOM"}),
    [](const ::testing::TestParamInfo<bad_message>& p) { return p.param.name; });

TEST_F(app_messages, a_message_without_target_is_answered) {
    msg(1, R"({"msgType":"getServerStats","msgData":{}})");
    const std::string text = expect_error(1, "MSG_REJECT_GEN_FAIL");
    EXPECT_NE(text.find("no handler"), std::string::npos) << text;
}

TEST_F(app_messages, before_authentication_is_refused) {
    connect(9);
    msg(9, R"({"msgType":"m","targetEasyrtcid":"id1"})");
    expect_error(9, "MSG_REJECT_NO_AUTH");
    EXPECT_TRUE(pushes().empty());
}

using app_messages_room_scope = core_test;

TEST_F(app_messages_room_scope, direct_messages_need_a_shared_room) {
    cfg.relay = relay_scope::room;
    sign_in(1, R"({"apiVersion":"1","roomJoin":{"a":{"roomName":"a"}}})");
    sign_in(2, R"({"apiVersion":"1","roomJoin":{"b":{"roomName":"b"}}})");
    msg(1, R"({"msgType":"m","targetEasyrtcid":"id2"})");
    expect_error(1, "MSG_REJECT_TARGET_EASYRTCID"); // the same answer as for an unknown id
    EXPECT_TRUE(pushes().empty());
}

} // namespace
} // namespace switchboard::core::testing
