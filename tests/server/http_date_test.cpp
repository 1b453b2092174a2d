#include "switchboard/server/http_date.hpp"

#include <gtest/gtest.h>

namespace switchboard::server {
namespace {

using namespace std::chrono;

// RFC 9110's example instant, Sun, 06 Nov 1994 08:49:37 GMT.
const sys_seconds rfc_example = sys_days{year{1994} / November / 6} + 8h + 49min + 37s;

TEST(http_date, formats_imf_fixdate) {
    EXPECT_EQ(format_http_date(rfc_example), "Sun, 06 Nov 1994 08:49:37 GMT");
    EXPECT_EQ(format_http_date(sys_seconds{}), "Thu, 01 Jan 1970 00:00:00 GMT");
    EXPECT_EQ(format_http_date(sys_days{year{2024} / February / 29} + 23h + 59min + 59s),
              "Thu, 29 Feb 2024 23:59:59 GMT");
}

TEST(http_date, parses_the_three_forms_recipients_must_accept) {
    EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), rfc_example);
    EXPECT_EQ(parse_http_date("Sunday, 06-Nov-94 08:49:37 GMT"), rfc_example);
    EXPECT_EQ(parse_http_date("Sun Nov  6 08:49:37 1994"), rfc_example);
    EXPECT_EQ(parse_http_date("Sun Nov 16 08:49:37 1994"), rfc_example + days{10});
}

TEST(http_date, rfc850_two_digit_years_before_70_are_this_century) {
    EXPECT_EQ(parse_http_date("Thursday, 01-Jan-70 00:00:00 GMT"), sys_seconds{});
    EXPECT_EQ(parse_http_date("Monday, 01-Jan-24 00:00:00 GMT"),
              sys_seconds{sys_days{year{2024} / January / 1}});
}

TEST(http_date, round_trips) {
    for (auto t : {sys_seconds{}, rfc_example, sys_seconds{seconds{1'700'000'000}}})
        EXPECT_EQ(parse_http_date(format_http_date(t)), t);
}

TEST(http_date, refuses_anything_else) {
    for (const char* bad : {
             "",
             "garbage",
             "Sun, 06 Nov 1994 08:49:37 UTC", // only GMT
             "Sun, 06 Nov 1994 08:49:37",
             "Sun, 6 Nov 1994 08:49:37 GMT",  // fixdate days have two digits
             "Sun, 06 Now 1994 08:49:37 GMT", // month name
             "Sun, 31 Feb 1994 08:49:37 GMT", // no such day
             "Sun, 06 Nov 1994 24:00:00 GMT", // hour
             "Sun, 06 Nov 1994 08:60:00 GMT", // minute
             "Sun, 06 Nov 1994 08:49:61 GMT", // second
             "Sun, 06 Nov 1994 8:49:37 GMT",  // two-digit fields
             "Sun, 06 Nov 94 08:49:37 GMT",   // fixdate years have four digits
             "Sun, 06 Nov +994 08:49:37 GMT", // sign
             "Sunday, 06-Nov-1994 08:49:37 GMT",
             "Sunday, 06 Nov 94 08:49:37 GMT",
             "Sun Nov  6 08:49:37 94",
             "Sun Nov  6 08:49 1994",
             "1994-11-06T08:49:37Z",
         })
        EXPECT_FALSE(parse_http_date(bad).has_value()) << bad;
}

} // namespace
} // namespace switchboard::server
