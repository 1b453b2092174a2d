#include "switchboard/auth/constant_time.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using switchboard::auth::equal_constant_time;

TEST(equal_constant_time, equal_contents_are_equal) {
    EXPECT_TRUE(equal_constant_time("secret", "secret"));
    const std::string a = "pcKIy6owr0poKePA";
    const std::string b = a; // different storage, same bytes
    EXPECT_TRUE(equal_constant_time(a, b));
}

TEST(equal_constant_time, empty_strings_are_equal) {
    EXPECT_TRUE(equal_constant_time("", ""));
    EXPECT_TRUE(equal_constant_time(std::string_view{}, std::string_view{}));
    EXPECT_TRUE(equal_constant_time(std::string_view{}, ""));
}

TEST(equal_constant_time, any_differing_byte_makes_them_unequal) {
    const std::string base = "0123456789abcdef";
    for (std::size_t i = 0; i < base.size(); ++i) {
        std::string other = base;
        other[i] = static_cast<char>(other[i] ^ 0x01);
        EXPECT_FALSE(equal_constant_time(base, other)) << "position " << i;
        EXPECT_FALSE(equal_constant_time(other, base)) << "position " << i;
    }
}

TEST(equal_constant_time, different_lengths_are_unequal) {
    EXPECT_FALSE(equal_constant_time("secret", "secret2"));
    EXPECT_FALSE(equal_constant_time("secret2", "secret"));
    EXPECT_FALSE(equal_constant_time("", "a"));
    EXPECT_FALSE(equal_constant_time("a", std::string_view{}));
}

TEST(equal_constant_time, compares_bytes_not_c_strings) {
    const std::string a{"ab\0cd", 5};
    const std::string b{"ab\0ce", 5};
    EXPECT_FALSE(equal_constant_time(a, b));
    EXPECT_TRUE(equal_constant_time(a, std::string{"ab\0cd", 5}));
    EXPECT_TRUE(equal_constant_time("\xff\x80", "\xff\x80"));
}

} // namespace
