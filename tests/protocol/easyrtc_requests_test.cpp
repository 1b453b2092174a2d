#include "switchboard/protocol/easyrtc_requests.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

#include <string>

namespace switchboard::protocol::easyrtc {
namespace {

namespace json = boost::json;

// Parsed results point into the body, so each test keeps its body alive.
struct fixture {
    json::value body;
    explicit fixture(std::string_view text)
        : body(json::parse(text)) {}
};

// JSON text of an optional member, "absent" for null: no pointer is dereferenced unchecked.
template <class Json>
std::string text_of(const Json* j) {
    return j != nullptr ? json::serialize(*j) : "absent";
}

TEST(easyrtc_parse_auth, full_request) {
    const fixture f(R"({"msgType":"authenticate","msgData":{"apiVersion":"1.1.1-beta",)"
                    R"("applicationName":"easyrtc.audioVideoSimple","easyrtcsid":"s%41",)"
                    R"("username":"alice","credential":{"pw":"x"},)"
                    R"("roomJoin":{"lobby":{"roomName":"lobby"},"b":{"roomName":"b"}},)"
                    R"("setPresence":{"show":"dnd","status":"","type":"t"},)"
                    R"("setUserCfg":{"userSettings":{"a":1},"p2pList":{"x":{}}}}})");
    const auto r = parse_auth(f.body);
    ASSERT_TRUE(r.has_value());
    EXPECT_EQ(r.value().api_version, "1.1.1-beta");
    EXPECT_EQ(r.value().application, "easyrtc.audioVideoSimple");
    EXPECT_EQ(r.value().easyrtcsid, "s%41");
    EXPECT_EQ(r.value().username, "alice");
    EXPECT_EQ(text_of(r.value().credential), R"({"pw":"x"})");
    EXPECT_EQ(r.value().rooms, (std::vector<std::string_view>{"lobby", "b"}));
    const presence_update presence = r.value().presence.value_or(presence_update{});
    EXPECT_EQ(presence.show, "dnd");
    EXPECT_EQ(presence.status, "");
    EXPECT_EQ(presence.type, "t");
    const user_config cfg = r.value().user_cfg.value_or(user_config{});
    EXPECT_EQ(text_of(cfg.user_settings), R"({"a":1})");
    EXPECT_EQ(text_of(cfg.p2p_list), R"({"x":{}})");
}

TEST(easyrtc_parse_auth, minimal_request) {
    const fixture f(R"({"msgType":"authenticate","msgData":{"apiVersion":"1"}})");
    const auto r = parse_auth(f.body);
    ASSERT_TRUE(r.has_value());
    EXPECT_FALSE(r.value().application.has_value());
    EXPECT_FALSE(r.value().username.has_value());
    EXPECT_FALSE(r.value().easyrtcsid.has_value());
    EXPECT_EQ(r.value().credential, nullptr);
    EXPECT_TRUE(r.value().rooms.empty());
    EXPECT_FALSE(r.value().presence.has_value());
    EXPECT_FALSE(r.value().user_cfg.has_value());
}

TEST(easyrtc_parse_auth, errors) {
    const std::pair<const char*, error> cases[] = {
        {"[]", error::login_bad_auth},
        {R"({"msgType":"Authenticate","msgData":{"apiVersion":"1"}})", error::login_bad_auth},
        {R"({"msgType":"authenticate","msgData":null})", error::login_bad_structure},
        {R"({"msgType":"authenticate","msgData":{"apiVersion":null}})", error::login_bad_structure},
        {R"({"msgType":"authenticate","msgData":{"apiVersion":"1","roomJoin":5}})",
         error::login_bad_structure},
        {R"({"msgType":"authenticate","msgData":{"apiVersion":"1 2"}})",
         error::msg_reject_bad_structure},
        {R"({"msgType":"authenticate","msgData":{"apiVersion":"1","credential":[1]}})",
         error::msg_reject_bad_structure},
        {R"({"msgType":"authenticate","msgData":{"apiVersion":"1","setUserCfg":[]}})",
         error::login_bad_user_cfg},
    };
    for (const auto& [text, code] : cases) {
        const fixture f(text);
        const auto r = parse_auth(f.body);
        ASSERT_FALSE(r.has_value()) << text;
        EXPECT_EQ(r.error(), code) << text;
    }
}

// The command of type T (a test failure, by exception, when it is anything else).
template <class T>
const T& as(const parsed<command>& r) {
    return std::get<T>(r.value());
}

TEST(easyrtc_parse_cmd, relays) {
    const fixture offer(R"({"msgType":"offer","targetEasyrtcid":"b","msgData":{"sdp":"x"}})");
    const auto r = parse_cmd(offer.body);
    const relay& rel = as<relay>(r);
    EXPECT_EQ(rel.type, relay_type::offer);
    EXPECT_EQ(rel.target, "b");
    EXPECT_EQ(text_of(rel.msg_data), R"({"sdp":"x"})");

    const fixture hangup(R"({"msgType":"hangup","targetEasyrtcid":"b"})");
    const auto h = parse_cmd(hangup.body);
    EXPECT_EQ(as<relay>(h).type, relay_type::hangup);
    EXPECT_EQ(text_of(as<relay>(h).msg_data), "absent");
    EXPECT_EQ(msg_type_name(relay_type::candidate), "candidate");
    EXPECT_EQ(msg_type_name(relay_type::reject), "reject");
}

TEST(easyrtc_parse_cmd, every_other_type) {
    EXPECT_TRUE(std::holds_alternative<get_ice_config>(
        parse_cmd(json::parse(R"({"msgType":"getIceConfig"})")).value()));
    EXPECT_TRUE(std::holds_alternative<get_room_list>(
        parse_cmd(json::parse(R"({"msgType":"getRoomList"})")).value()));
    EXPECT_TRUE(std::holds_alternative<still_alive>(
        parse_cmd(json::parse(R"({"msgType":"stillAlive","msgData":7})")).value()));

    const fixture join(R"({"msgType":"roomJoin","msgData":{"roomJoin":{"a":{"roomName":"a"}}}})");
    EXPECT_EQ(as<room_join>(parse_cmd(join.body)).rooms, (std::vector<std::string_view>{"a"}));

    const fixture leave(
        R"({"msgType":"roomLeave","msgData":{"roomLeave":{"a":{"roomName":"a"}}}})");
    EXPECT_EQ(as<room_leave>(parse_cmd(leave.body)).rooms, (std::vector<std::string_view>{"a"}));

    const fixture presence(
        R"({"msgType":"setPresence","msgData":{"setPresence":{"status":"s","extra":1}}})");
    const auto p = parse_cmd(presence.body);
    EXPECT_FALSE(as<set_presence>(p).presence.show.has_value());
    EXPECT_EQ(as<set_presence>(p).presence.status, "s");

    const fixture field(R"({"msgType":"setRoomApiField","msgData":{"setRoomApiField":)"
                        R"({"roomName":"r","field":{"k":{"fieldName":"k","fieldValue":[1]}}}}})");
    const auto a = parse_cmd(field.body);
    EXPECT_EQ(as<set_room_api_field>(a).room, "r");
    EXPECT_EQ(as<set_room_api_field>(a).field, R"({"k":{"fieldName":"k","fieldValue":[1]}})");

    const fixture cfg(R"({"msgType":"setUserCfg","msgData":{"setUserCfg":{"p2pList":{"x":1}}}})");
    const auto c = parse_cmd(cfg.body);
    EXPECT_EQ(text_of(as<set_user_cfg>(c).cfg.user_settings), "absent");
    EXPECT_EQ(text_of(as<set_user_cfg>(c).cfg.p2p_list), R"({"x":1})");
}

TEST(easyrtc_parse_cmd, errors) {
    const std::pair<std::string, error> cases[] = {
        {"7", error::msg_reject_bad_structure},
        {"{}", error::msg_reject_bad_type},
        {R"({"msgType":null})", error::msg_reject_bad_type},
        {R"({"msgType":"OFFER"})", error::msg_reject_bad_type},
        {R"({"msgType":"offer","targetEasyrtcid":"b","msgData":null})", error::msg_reject_bad_data},
        {R"({"msgType":"candidate","targetEasyrtcid":")" + std::string(33, 'b') +
             R"(","msgData":{"c":1}})",
         error::msg_reject_bad_structure},
        {R"({"msgType":"roomJoin","msgData":{"roomJoin":{}}})", error::msg_reject_bad_structure},
        {R"({"msgType":"roomJoin","msgData":{"roomJoin":{"a":{"roomName":"a",)"
         R"("roomParameter":1}}}})",
         error::msg_reject_bad_structure},
        {R"({"msgType":"getIceConfig","msgData":[1]})", error::msg_reject_bad_data},
        {R"({"msgType":"getRoomList","msgData":{}})", error::msg_reject_bad_data},
        {R"({"msgType":"setRoomApiField","msgData":{"setRoomApiField":{"roomName":7}}})",
         error::msg_reject_bad_room},
        {R"({"msgType":"setRoomApiField","msgData":{"setRoomApiField":{"roomName":"r",)"
         R"("field":[]}}})",
         error::msg_reject_bad_structure},
        {R"({"msgType":"setRoomApiField","msgData":{"setRoomApiField":{"roomName":"r",)"
         R"("field":{"k":")" +
             std::string(4088, 'x') + R"("}}}})",
         error::msg_reject_bad_size},
        {R"({"msgType":"setUserCfg","msgData":{"setUserCfg":{"userSettings":[1]}}})",
         error::msg_reject_bad_structure},
    };
    for (const auto& [text, code] : cases) {
        const fixture f(text);
        const auto r = parse_cmd(f.body);
        ASSERT_FALSE(r.has_value()) << text;
        EXPECT_EQ(r.error(), code) << text;
    }
}

TEST(easyrtc_parse_msg, targets_and_data) {
    const fixture f(R"({"msgType":"chat","msgData":null,"targetEasyrtcid":"b",)"
                    R"("targetRoom":"r","targetGroup":"g"})");
    const auto m = parse_msg(f.body);
    ASSERT_TRUE(m.has_value());
    EXPECT_EQ(m.value().msg_type, "chat");
    EXPECT_EQ(text_of(m.value().msg_data), "null");
    EXPECT_EQ(m.value().target_easyrtcid, "b");
    EXPECT_EQ(m.value().target_room, "r");
    EXPECT_EQ(m.value().target_group, "g");

    const fixture bare(R"({"msgType":""})");
    const auto b = parse_msg(bare.body);
    ASSERT_TRUE(b.has_value());
    EXPECT_EQ(text_of(b.value().msg_data), "absent");
    EXPECT_FALSE(b.value().target_easyrtcid || b.value().target_room || b.value().target_group);
}

TEST(easyrtc_parse_msg, errors_in_the_reference_order) {
    const std::pair<const char*, error> cases[] = {
        {"null", error::msg_reject_bad_structure},
        {R"({"msgType":5,"targetEasyrtcid":5})", error::msg_reject_bad_type},
        {R"({"msgType":"m","targetEasyrtcid":5,"targetGroup":5})",
         error::msg_reject_target_easyrtcid},
        {R"({"msgType":"m","targetGroup":"","targetRoom":5})", error::msg_reject_target_group},
        {R"({"msgType":"m","targetRoom":"a.b/c"})", error::msg_reject_target_room},
    };
    for (const auto& [text, code] : cases) {
        const fixture f(text);
        const auto r = parse_msg(f.body);
        ASSERT_FALSE(r.has_value()) << text;
        EXPECT_EQ(r.error(), code) << text;
    }
}

} // namespace
} // namespace switchboard::protocol::easyrtc
