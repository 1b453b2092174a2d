#include "switchboard/protocol/easyrtc_validation.hpp"

#include <gtest/gtest.h>

#include <string>

namespace switchboard::protocol::easyrtc {
namespace {

TEST(easyrtc_validation, names_allow_letters_of_both_cases_digits_and_dot_dash_underscore) {
    for (auto check : {is_app_name, is_easyrtcid, is_group_name, is_room_name}) {
        EXPECT_TRUE(check("easyrtc.audioVideoSimple"));
        EXPECT_TRUE(check("A-b_C.9"));
        EXPECT_TRUE(check("x"));
        EXPECT_TRUE(check(std::string(32, 'z')));
        EXPECT_FALSE(check(""));
        EXPECT_FALSE(check(std::string(33, 'z')));
        EXPECT_FALSE(check("a b"));
        EXPECT_FALSE(check("a+b"));
        EXPECT_FALSE(check("a%b"));
        EXPECT_FALSE(check("a/b"));
        EXPECT_FALSE(check("caf\xC3\xA9")); // no letters outside ASCII, even with the i flag
        EXPECT_FALSE(check(std::string("a\0b", 3)));
    }
}

TEST(easyrtc_validation, api_version_also_allows_plus) {
    EXPECT_TRUE(is_api_version("1.1.1-beta"));
    EXPECT_TRUE(is_api_version("2.0+build_7"));
    EXPECT_TRUE(is_api_version(std::string(32, '1')));
    EXPECT_FALSE(is_api_version(std::string(33, '1')));
    EXPECT_FALSE(is_api_version(""));
    EXPECT_FALSE(is_api_version("bad version!"));
}

TEST(easyrtc_validation, easyrtcsid_also_allows_percent_and_is_longer) {
    EXPECT_TRUE(is_easyrtcsid("s%3AabC.d-e_f"));
    EXPECT_TRUE(is_easyrtcsid(std::string(100, 's')));
    EXPECT_FALSE(is_easyrtcsid(std::string(101, 's')));
    EXPECT_FALSE(is_easyrtcsid(""));
    EXPECT_FALSE(is_easyrtcsid("a+b"));
}

TEST(easyrtc_validation, field_names_also_allow_space) {
    EXPECT_TRUE(is_field_name("max speakers"));
    EXPECT_TRUE(is_field_name(" "));
    EXPECT_FALSE(is_field_name("a\tb"));
    EXPECT_FALSE(is_field_name(std::string(33, 'f')));
    EXPECT_FALSE(is_field_name(""));
}

TEST(easyrtc_validation, presence_show_is_exact_and_lower_case) {
    for (const char* ok : {"away", "chat", "dnd", "xa"}) {
        EXPECT_TRUE(is_presence_show(ok)) << ok;
    }
    for (const char* bad : {"", "Away", "CHAT", "online", "chat ", "xaa"}) {
        EXPECT_FALSE(is_presence_show(bad)) << bad;
    }
}

TEST(easyrtc_validation, status_is_up_to_255_utf16_units_on_one_line) {
    EXPECT_TRUE(is_presence_status(""));
    EXPECT_TRUE(is_presence_status(std::string(255, 's')));
    EXPECT_FALSE(is_presence_status(std::string(256, 's')));
    // Two-byte and three-byte UTF-8 sequences are one unit, four-byte ones are two.
    std::string two_byte, three_byte, four_byte;
    for (int i = 0; i < 255; ++i) {
        two_byte += "\xC3\xA9";
        three_byte += "\xE2\x82\xAC";
    }
    EXPECT_TRUE(is_presence_status(two_byte));
    EXPECT_TRUE(is_presence_status(three_byte));
    EXPECT_FALSE(is_presence_status(two_byte + "e"));
    for (int i = 0; i < 127; ++i) {
        four_byte += "\xF0\x9F\x98\x80";
    }
    EXPECT_TRUE(is_presence_status(four_byte + "x"));                 // 255 units
    EXPECT_FALSE(is_presence_status(four_byte + "\xF0\x9F\x98\x80")); // 256 units
    // "." matches anything but a line terminator.
    EXPECT_TRUE(is_presence_status(std::string("tab\there\0nul\x7F", 13)));
    EXPECT_TRUE(is_presence_status("\xE2\x80\xA7 and \xE2\x80\xAA")); // U+2027, U+202A
    for (const char* bad : {"a\nb", "a\rb", "a\xE2\x80\xA8", "\xE2\x80\xA9"}) {
        EXPECT_FALSE(is_presence_status(bad)) << bad;
    }
}

TEST(easyrtc_validation, username_is_1_to_64_units_on_one_line) {
    EXPECT_TRUE(is_username("a"));
    EXPECT_TRUE(is_username("Zoë O'Brien <zoe@example.org>"));
    EXPECT_TRUE(is_username(std::string(64, 'u')));
    EXPECT_FALSE(is_username(std::string(65, 'u')));
    EXPECT_FALSE(is_username(""));
    EXPECT_FALSE(is_username("two\nlines"));
}

} // namespace
} // namespace switchboard::protocol::easyrtc
