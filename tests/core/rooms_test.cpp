#include "core_fixture.hpp"

#include <boost/json/serialize.hpp>

namespace switchboard::core::testing {
namespace {

namespace json = boost::json;

using rooms = core_test;

TEST_F(rooms, room_join_acks_the_full_list_and_tells_members_once) {
    sign_in(1);
    sign_in(2);
    cmd(1, R"({"msgType":"roomJoin","msgData":{"roomJoin":{"lobby":{"roomName":"lobby"}}}})");
    EXPECT_TRUE(pushes().empty()); // nobody else in lobby yet
    EXPECT_EQ(only_reply_text(1),
              R"({"msgType":"roomData","msgData":{"roomData":{"lobby":{"roomName":"lobby",)"
              R"("roomStatus":"join","clientList":{"id1":{"easyrtcid":"id1",)"
              R"("roomJoinTime":1800000000000,"presence":{"show":"chat","status":null}}}}}}})");

    advance(std::chrono::milliseconds(10));
    cmd(2, R"({"msgType":"roomJoin","msgData":{"roomJoin":{"lobby":{"roomName":"lobby",)"
           R"("roomParameter":{"pin":1}}}}})");
    const auto to_1 = pushes_to(1);
    ASSERT_EQ(to_1.size(), 1u);
    EXPECT_EQ(pushes().size(), 1u);
    EXPECT_EQ(json::serialize(obj(obj(to_1[0].body, "msgData"), "roomData")),
              R"({"lobby":{"roomName":"lobby","roomStatus":"update","clientListDelta":)"
              R"({"updateClient":{"id2":{"easyrtcid":"id2","roomJoinTime":1800000000010,)"
              R"("presence":{"show":"chat","status":null}}}}}})");
    EXPECT_LT(index_of_push(1), index_of_reply(2));
    const json::object lobby = obj(obj(obj(only_reply(2), "msgData"), "roomData"), "lobby");
    EXPECT_EQ(str(lobby, "roomStatus"), "join");
    EXPECT_EQ(obj(lobby, "clientList").size(), 2u);
}

TEST_F(rooms, joining_again_changes_nothing) {
    sign_in(1);
    sign_in(2);
    cmd(2, R"({"msgType":"roomJoin","msgData":{"roomJoin":{"default":{"roomName":"default"}}}})");
    EXPECT_TRUE(pushes().empty());
    EXPECT_EQ(
        obj(obj(obj(obj(only_reply(2), "msgData"), "roomData"), "default"), "clientList").size(),
        2u);
    EXPECT_EQ(core().stats().occupants, 2u);
}

TEST_F(rooms, several_rooms_in_one_request) {
    sign_in(1, R"({"apiVersion":"1","roomJoin":{"a":{"roomName":"a"}}})");
    sign_in(2, R"({"apiVersion":"1","roomJoin":{"b":{"roomName":"b"}}})");
    sign_in(3);
    cmd(3, R"({"msgType":"roomJoin","msgData":{"roomJoin":{"a":{"roomName":"a"},)"
           R"("b":{"roomName":"b"}}}})");
    ASSERT_EQ(pushes_to(1).size(), 1u);
    EXPECT_TRUE(delta(pushes_to(1)[0], "a").contains("updateClient"));
    ASSERT_EQ(pushes_to(2).size(), 1u);
    EXPECT_TRUE(delta(pushes_to(2)[0], "b").contains("updateClient"));
    EXPECT_EQ(obj(obj(only_reply(3), "msgData"), "roomData").size(), 2u); // only those asked
}

TEST_F(rooms, stats_count_rooms_and_occupants_as_they_change) {
    sign_in(1, R"({"apiVersion":"1","roomJoin":{"a":{"roomName":"a"}}})");
    sign_in(2, R"({"apiVersion":"1","roomJoin":{"a":{"roomName":"a"},"b":{"roomName":"b"}}})");
    // The application's default room exists from its creation, whether anyone is in it or not.
    EXPECT_EQ(core().stats().rooms, 3u);
    EXPECT_EQ(core().stats().occupants, 3u);
    cmd(2, R"({"msgType":"roomLeave","msgData":{"roomLeave":{"b":{"roomName":"b"}}}})");
    EXPECT_EQ(core().stats().rooms, 3u); // rooms are kept, as in the reference
    EXPECT_EQ(core().stats().occupants, 2u);
    drop(1);
    EXPECT_EQ(core().stats().occupants, 1u);
}

TEST_F(rooms, an_empty_room_join_map_is_a_structure_error) {
    sign_in(1);
    cmd(1, R"({"msgType":"roomJoin","msgData":{"roomJoin":{}}})"); // crashes the reference
    expect_error(1, "MSG_REJECT_BAD_STRUCTURE");
}

struct bad_room_change {
    const char* name;
    const char* body;
    const char* code;
};

class refused_room_change : public core_test,
                            public ::testing::WithParamInterface<bad_room_change> {};

TEST_P(refused_room_change, answers_the_error) {
    sign_in(1);
    sign_in(2);
    cmd(1, GetParam().body);
    expect_error(1, GetParam().code);
    EXPECT_TRUE(pushes().empty());
    EXPECT_EQ(core().stats().occupants, 2u);
}

INSTANTIATE_TEST_SUITE_P(
    cases, refused_room_change,
    ::testing::Values(
        bad_room_change{"join_no_msg_data", R"({"msgType":"roomJoin"})", "MSG_REJECT_BAD_DATA"},
        bad_room_change{"join_msg_data_string", R"({"msgType":"roomJoin","msgData":"lobby"})",
                        "MSG_REJECT_BAD_DATA"},
        bad_room_change{"join_no_map", R"({"msgType":"roomJoin","msgData":{}})",
                        "MSG_REJECT_BAD_STRUCTURE"},
        bad_room_change{"join_map_array",
                        R"({"msgType":"roomJoin","msgData":{"roomJoin":["lobby"]}})",
                        "MSG_REJECT_BAD_STRUCTURE"},
        bad_room_change{"join_bad_name",
                        R"({"msgType":"roomJoin","msgData":{"roomJoin":{"lob by":)"
                        R"({"roomName":"lob by"}}}})",
                        "MSG_REJECT_BAD_STRUCTURE"},
        bad_room_change{"join_name_mismatch",
                        R"({"msgType":"roomJoin","msgData":{"roomJoin":{"a":{"roomName":"b"}}}})",
                        "MSG_REJECT_BAD_STRUCTURE"},
        bad_room_change{"join_entry_not_object",
                        R"({"msgType":"roomJoin","msgData":{"roomJoin":{"a":true}}})",
                        "MSG_REJECT_BAD_STRUCTURE"},
        bad_room_change{"join_second_entry_bad",
                        R"({"msgType":"roomJoin","msgData":{"roomJoin":{"a":{"roomName":"a"},)"
                        R"("b":{"roomName":"c"}}}})",
                        "MSG_REJECT_BAD_STRUCTURE"},
        bad_room_change{"leave_no_msg_data", R"({"msgType":"roomLeave"})", "MSG_REJECT_BAD_DATA"},
        bad_room_change{"leave_empty_map", R"({"msgType":"roomLeave","msgData":{"roomLeave":{}}})",
                        "MSG_REJECT_BAD_STRUCTURE"},
        bad_room_change{"leave_map_string",
                        R"({"msgType":"roomLeave","msgData":{"roomLeave":"default"}})",
                        "MSG_REJECT_BAD_STRUCTURE"},
        bad_room_change{"leave_name_mismatch",
                        R"({"msgType":"roomLeave","msgData":{"roomLeave":{"default":)"
                        R"({"roomName":"x"}}}})",
                        "MSG_REJECT_BAD_STRUCTURE"}),
    [](const ::testing::TestParamInfo<bad_room_change>& p) { return p.param.name; });

TEST_F(rooms, missing_room_with_auto_create_off) {
    cfg.room_auto_create = false;
    sign_in(1);
    cmd(1, R"({"msgType":"roomJoin","msgData":{"roomJoin":{"default":{"roomName":"default"},)"
           R"("nowhere":{"roomName":"nowhere"}}}})");
    expect_error(1, "MSG_REJECT_BAD_ROOM");
    cmd(1, R"({"msgType":"getRoomList"})");
    EXPECT_EQ(obj(obj(only_reply(1), "msgData"), "roomList").size(), 1u);
}

TEST_F(rooms, full_room_refuses_the_join_and_joins_nothing) {
    cfg.room_max_connections = 1;
    sign_in(1, R"({"apiVersion":"1","roomJoin":{"full":{"roomName":"full"}}})");
    sign_in(2);
    cmd(2, R"({"msgType":"roomJoin","msgData":{"roomJoin":{"a":{"roomName":"a"},)"
           R"("full":{"roomName":"full"}}}})");
    const std::string text = expect_error(2, "MSG_REJECT_BAD_ROOM");
    EXPECT_NE(text.find("full"), std::string::npos);
    EXPECT_TRUE(pushes().empty());
    EXPECT_EQ(core().describe(2)->rooms, 1u);
}

TEST_F(rooms, room_leave_tells_the_others_then_acks) {
    sign_in(1);
    sign_in(2);
    sign_in(3);
    cmd(2, R"({"msgType":"roomLeave","msgData":{"roomLeave":{"default":{"roomName":"default"}}}})");
    for (conn_id other : {conn_id{1}, conn_id{3}}) {
        const auto seen = pushes_to(other);
        ASSERT_EQ(seen.size(), 1u);
        EXPECT_EQ(json::serialize(obj(obj(seen[0].body, "msgData"), "roomData")),
                  R"({"default":{"roomName":"default","roomStatus":"update",)"
                  R"("clientListDelta":{"removeClient":{"id2":{"easyrtcid":"id2"}}}}})");
        EXPECT_LT(index_of_push(other), index_of_reply(2));
    }
    EXPECT_EQ(only_reply_text(2), R"({"msgType":"roomData","msgData":{"roomData":{"default":)"
                                  R"({"roomName":"default","roomStatus":"leave"}}}})");
    EXPECT_EQ(core().stats().occupants, 2u);
}

TEST_F(rooms, leaving_a_room_not_joined_is_acked_quietly) {
    sign_in(1);
    sign_in(2);
    cmd(2, R"({"msgType":"roomLeave","msgData":{"roomLeave":{"ghost":{"roomName":"ghost"}}}})");
    EXPECT_TRUE(pushes().empty());
    EXPECT_EQ(only_reply_text(2), R"({"msgType":"roomData","msgData":{"roomData":{"ghost":)"
                                  R"({"roomName":"ghost","roomStatus":"leave"}}}})");
}

TEST_F(rooms, room_list_has_every_room_of_the_application) {
    sign_in(1);
    sign_in(2, R"({"apiVersion":"1","roomJoin":{"b":{"roomName":"b"},"a":{"roomName":"a"}}})");
    sign_in(3, R"({"apiVersion":"1","applicationName":"other",)"
               R"("roomJoin":{"secret":{"roomName":"secret"}}})");
    cmd(2, R"({"msgType":"roomLeave","msgData":{"roomLeave":{"b":{"roomName":"b"}}}})");
    cmd(1, R"({"msgType":"getRoomList"})");
    EXPECT_EQ(only_reply_text(1),
              R"({"msgType":"roomList","msgData":{"roomList":{"a":{"roomName":"a",)"
              R"("numberClients":1},"b":{"roomName":"b","numberClients":0},)"
              R"("default":{"roomName":"default","numberClients":1}}}})");
}

TEST_F(rooms, room_list_takes_no_msg_data) {
    sign_in(1);
    for (const char* body : {R"({"msgType":"getRoomList","msgData":{}})",
                             R"({"msgType":"getRoomList","msgData":null})"}) {
        cmd(1, body);
        expect_error(1, "MSG_REJECT_BAD_DATA");
    }
}

// Three clients, two rooms: 1, 2, 3 in r1; 1 and 2 also in r2.
class multi_room : public core_test {
protected:
    void SetUp() override {
        const char* both = R"({"apiVersion":"1","roomJoin":{"r1":{"roomName":"r1"},)"
                           R"("r2":{"roomName":"r2"}}})";
        sign_in(1, both);
        sign_in(2, both);
        sign_in(3, R"({"apiVersion":"1","roomJoin":{"r1":{"roomName":"r1"}}})");
    }
};

TEST_F(multi_room, joins_were_announced_per_room) {
    // Replay 3's sign-in from scratch and look at who heard what.
    drop(3);
    connect(4);
    auth(4, R"({"apiVersion":"1","roomJoin":{"r1":{"roomName":"r1"},"r2":{"roomName":"r2"}}})");
    for (conn_id member : {conn_id{1}, conn_id{2}}) {
        const auto seen = pushes_to(member);
        ASSERT_EQ(seen.size(), 2u) << member; // one delta per room joined
        EXPECT_TRUE(delta(seen[0], "r1").contains("updateClient"));
        EXPECT_TRUE(delta(seen[1], "r2").contains("updateClient"));
    }
}

TEST_F(multi_room, disconnect_sends_one_remove_per_room_to_those_left) {
    drop(1);
    const auto to_2 = pushes_to(2);
    ASSERT_EQ(to_2.size(), 2u);
    EXPECT_TRUE(delta(to_2[0], "r1").at("removeClient").as_object().contains("id1"));
    EXPECT_TRUE(delta(to_2[1], "r2").at("removeClient").as_object().contains("id1"));
    const auto to_3 = pushes_to(3);
    ASSERT_EQ(to_3.size(), 1u);
    EXPECT_EQ(obj(obj(to_3[0].body, "msgData"), "roomData").size(), 1u);
    EXPECT_TRUE(delta(to_3[0], "r1").contains("removeClient"));
    EXPECT_TRUE(pushes_to(1).empty());
    EXPECT_TRUE(closes().empty());
    EXPECT_EQ(core().stats().authenticated, 2u);

    drop(1); // idempotent
    EXPECT_TRUE(out.empty());
    // The rooms outlive their members.
    drop(2);
    drop(3);
    connect(5);
    auth(5, R"({"apiVersion":"1","roomJoin":{"r9":{"roomName":"r9"}}})");
    cmd(5, R"({"msgType":"getRoomList"})");
    const json::object list = obj(obj(only_reply(5), "msgData"), "roomList");
    EXPECT_EQ(json::serialize(list.at("r1")), R"({"roomName":"r1","numberClients":0})");
    EXPECT_EQ(json::serialize(list.at("r2")), R"({"roomName":"r2","numberClients":0})");
}

TEST_F(multi_room, presence_goes_once_to_each_peer_covering_shared_rooms) {
    cmd(1, R"({"msgType":"setRoomApiField","msgData":{"setRoomApiField":{"roomName":"r1",)"
           R"("field":{"mediaIds":{"fieldName":"mediaIds","fieldValue":{"cam":"abc"}}}}}})");
    cmd(1, R"({"msgType":"setPresence","msgData":{"setPresence":{"show":"dnd","status":"busy"}}})");
    const auto to_2 = pushes_to(2);
    ASSERT_EQ(to_2.size(), 1u);
    const json::object rooms_2 = obj(obj(to_2[0].body, "msgData"), "roomData");
    EXPECT_EQ(rooms_2.size(), 2u);
    const json::object& in_r1 = obj(obj(delta(to_2[0], "r1"), "updateClient"), "id1");
    EXPECT_EQ(json::serialize(in_r1.at("presence")), R"({"show":"dnd","status":"busy"})");
    // The reference leaves apiField out of presence deltas; we do not.
    EXPECT_EQ(json::serialize(in_r1.at("apiField")),
              R"({"mediaIds":{"fieldName":"mediaIds","fieldValue":{"cam":"abc"}}})");
    EXPECT_FALSE(obj(obj(delta(to_2[0], "r2"), "updateClient"), "id1").contains("apiField"));
    const auto to_3 = pushes_to(3);
    ASSERT_EQ(to_3.size(), 1u);
    EXPECT_EQ(obj(obj(to_3[0].body, "msgData"), "roomData").size(), 1u);
    EXPECT_TRUE(obj(obj(to_3[0].body, "msgData"), "roomData").contains("r1"));
    EXPECT_TRUE(pushes_to(1).empty());
    EXPECT_LT(index_of_push(2), index_of_reply(1));
    EXPECT_LT(index_of_push(3), index_of_reply(1));
}

TEST_F(multi_room, leaving_one_room_only_tells_that_room) {
    cmd(1, R"({"msgType":"roomLeave","msgData":{"roomLeave":{"r1":{"roomName":"r1"}}}})");
    EXPECT_EQ(pushes_to(2).size(), 1u);
    EXPECT_EQ(pushes_to(3).size(), 1u);
    // 1 and 3 now share no room, 1 and 2 still share r2.
    cmd(1, R"({"msgType":"setPresence","msgData":{"setPresence":{"show":"away"}}})");
    EXPECT_EQ(pushes_to(2).size(), 1u);
    EXPECT_TRUE(pushes_to(3).empty());
}

TEST_F(rooms, unauthenticated_disconnect_is_silent) {
    sign_in(1);
    connect(2);
    drop(2);
    EXPECT_TRUE(out.empty());
    EXPECT_EQ(core().stats().connections, 1u);
}

TEST_F(rooms, one_frame_is_shared_by_every_recipient) {
    sign_in(1);
    sign_in(2);
    sign_in(3);
    sign_in(4);
    const auto seen = pushes();
    ASSERT_EQ(seen.size(), 3u);
    EXPECT_EQ(seen[0].frame, seen[1].frame);
    EXPECT_EQ(seen[1].frame, seen[2].frame);
}

} // namespace
} // namespace switchboard::core::testing
