#include "switchboard/ice/secret.hpp"

#include <gtest/gtest.h>

#include <sstream>
#include <string>
#include <utility>

namespace {

using switchboard::ice::secret;

TEST(secret, exposes_its_bytes) {
    const secret s{"hunter2"};
    EXPECT_EQ(s.expose(), "hunter2");
    EXPECT_FALSE(s.empty());
    EXPECT_TRUE(secret{""}.empty());
    const std::string with_nul{"a\0b", 3};
    EXPECT_EQ(secret{with_nul}.expose(), with_nul);
}

TEST(secret, never_prints_its_value) {
    std::ostringstream os;
    os << secret{"hunter2"};
    EXPECT_EQ(os.str(), "<secret>");
    EXPECT_EQ(::testing::PrintToString(secret{"hunter2"}), "<secret>");
}

TEST(secret, copies_and_moves) {
    const secret original{"hunter2"};
    secret copy{original};
    EXPECT_EQ(copy.expose(), "hunter2");
    EXPECT_EQ(original.expose(), "hunter2");

    secret moved{std::move(copy)};
    EXPECT_EQ(moved.expose(), "hunter2");
    EXPECT_TRUE(copy.empty()); // NOLINT(bugprone-use-after-move): moving must leave nothing

    secret assigned{"old"};
    assigned = original;
    EXPECT_EQ(assigned.expose(), "hunter2");
    assigned = secret{"newer"};
    EXPECT_EQ(assigned.expose(), "newer");
    assigned = std::move(moved);
    EXPECT_EQ(assigned.expose(), "hunter2");
    EXPECT_TRUE(moved.empty()); // NOLINT(bugprone-use-after-move)
}

} // namespace
