#include "core_fixture.hpp"

#include <boost/json/serialize.hpp>

// Room deltas merged per recipient while config room_delta_delay runs.
namespace switchboard::core::testing {
namespace {

namespace json = boost::json;
using std::chrono::milliseconds;

class merged_deltas : public core_test {
protected:
    void SetUp() override { cfg.room_delta_delay = milliseconds(5); }

    static std::vector<std::string> keys(const json::object& o) {
        std::vector<std::string> k;
        for (const auto& kv : o)
            k.emplace_back(kv.key());
        return k;
    }
};

TEST_F(merged_deltas, joins_within_the_delay_reach_each_member_as_one_push) {
    sign_in(1);
    sign_in(2); // 1 is told nothing yet
    EXPECT_TRUE(pushes().empty());
    sign_in(3);
    EXPECT_TRUE(pushes().empty());
    EXPECT_EQ(core().next_deadline(), now.steady + milliseconds(5));
    advance(milliseconds(4));
    tick();
    EXPECT_TRUE(out.empty());
    advance(milliseconds(1));
    tick();
    ASSERT_EQ(pushes_to(1).size(), 1u);
    EXPECT_EQ(keys(obj(delta(pushes_to(1)[0], "default"), "updateClient")),
              (std::vector<std::string>{"id2", "id3"}));
    EXPECT_FALSE(delta(pushes_to(1)[0], "default").contains("removeClient"));
    // 2 knew 1 from its own join; it learns of 3 only.
    ASSERT_EQ(pushes_to(2).size(), 1u);
    EXPECT_EQ(keys(obj(delta(pushes_to(2)[0], "default"), "updateClient")),
              (std::vector<std::string>{"id3"}));
    EXPECT_TRUE(pushes_to(3).empty());
    EXPECT_FALSE(core().next_deadline().has_value());
}

TEST_F(merged_deltas, joins_and_leaves_of_different_clients_share_a_push) {
    sign_in(1);
    sign_in(2);
    advance(milliseconds(5));
    tick();
    sign_in(3);
    drop(2);
    EXPECT_TRUE(pushes().empty());
    advance(milliseconds(5));
    tick();
    const auto to_1 = pushes_to(1);
    ASSERT_EQ(to_1.size(), 1u);
    const json::object& d = delta(to_1[0], "default");
    EXPECT_EQ(keys(obj(d, "updateClient")), (std::vector<std::string>{"id3"}));
    EXPECT_EQ(keys(obj(d, "removeClient")), (std::vector<std::string>{"id2"}));
    EXPECT_EQ(json::serialize(obj(d, "removeClient")), R"({"id2":{"easyrtcid":"id2"}})");
    ASSERT_EQ(pushes_to(3).size(), 1u); // 3 saw 2 in its join list
    EXPECT_EQ(keys(obj(delta(pushes_to(3)[0], "default"), "removeClient")),
              (std::vector<std::string>{"id2"}));
}

TEST_F(merged_deltas, a_join_and_leave_of_one_client_never_share_a_push) {
    sign_in(1);
    sign_in(2);
    drop(2); // what waits about 2 goes out before its removal is queued
    ASSERT_EQ(pushes_to(1).size(), 1u);
    EXPECT_EQ(keys(obj(delta(pushes_to(1)[0], "default"), "updateClient")),
              (std::vector<std::string>{"id2"}));
    advance(milliseconds(5));
    tick();
    ASSERT_EQ(pushes_to(1).size(), 1u);
    EXPECT_EQ(keys(obj(delta(pushes_to(1)[0], "default"), "removeClient")),
              (std::vector<std::string>{"id2"}));
    EXPECT_FALSE(delta(pushes_to(1)[0], "default").contains("updateClient"));
}

TEST_F(merged_deltas, anything_else_sent_to_a_member_comes_after_what_waits_for_it) {
    sign_in(1);
    sign_in(2);
    // 2 signals 1 at once: 1 must learn of 2 before 2's offer arrives.
    cmd(2, R"({"msgType":"offer","targetEasyrtcid":"id1","msgData":{"type":"offer","sdp":"v=0"}})");
    ASSERT_EQ(pushes_to(1).size(), 2u);
    EXPECT_EQ(str(pushes_to(1)[0].body, "msgType"), "roomData");
    EXPECT_EQ(str(pushes_to(1)[1].body, "msgType"), "offer");
    // And a member's own reply comes after the deltas that waited for it.
    sign_in(3);
    cmd(1, R"({"msgType":"getRoomList"})");
    ASSERT_EQ(pushes_to(1).size(), 1u);
    EXPECT_LT(index_of_push(1), index_of_reply(1));
    advance(milliseconds(5));
    tick();
    EXPECT_TRUE(pushes_to(1).empty()); // nothing is sent twice
    ASSERT_EQ(pushes_to(2).size(), 1u);
}

TEST_F(merged_deltas, a_member_that_leaves_gets_nothing_more_of_the_room) {
    sign_in(1);
    sign_in(2); // waits for 1
    drop(1);    // what waited for 1 is dropped; 2 is to hear of 1's leave
    advance(milliseconds(5));
    tick();
    EXPECT_TRUE(pushes_to(1).empty());
    ASSERT_EQ(pushes_to(2).size(), 1u);
    EXPECT_EQ(keys(obj(delta(pushes_to(2)[0], "default"), "removeClient")),
              (std::vector<std::string>{"id1"}));
}

TEST_F(merged_deltas, zero_delay_sends_each_delta_at_once) {
    cfg.room_delta_delay = milliseconds(0);
    sign_in(1);
    sign_in(2);
    ASSERT_EQ(pushes_to(1).size(), 1u);
    EXPECT_FALSE(core().next_deadline().has_value());
}

} // namespace
} // namespace switchboard::core::testing
