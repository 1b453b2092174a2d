#include "switchboard/server/http_date.hpp"

#include <array>
#include <charconv>
#include <vector>

namespace switchboard::server {

namespace {

using namespace std::chrono;

constexpr std::array<std::string_view, 7> weekday_names{"Sun", "Mon", "Tue", "Wed",
                                                        "Thu", "Fri", "Sat"};
constexpr std::array<std::string_view, 12> month_names{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

void append_2digits(std::string& out, unsigned v) {
    out += static_cast<char>('0' + v / 10);
    out += static_cast<char>('0' + v % 10);
}

// A whole-string unsigned number of min_digits..max_digits digits.
std::optional<unsigned> number(std::string_view s, std::size_t min_digits, std::size_t max_digits) {
    if (s.size() < min_digits || s.size() > max_digits)
        return std::nullopt;
    unsigned v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
    if (ec != std::errc{} || p != s.data() + s.size())
        return std::nullopt;
    return v;
}

std::optional<unsigned> month_number(std::string_view s) {
    for (unsigned i = 0; i < month_names.size(); ++i)
        if (month_names[i] == s)
            return i + 1;
    return std::nullopt;
}

std::vector<std::string_view> split(std::string_view s, char sep) {
    std::vector<std::string_view> out;
    std::size_t start = 0;
    while (start <= s.size()) {
        auto end = s.find(sep, start);
        if (end == std::string_view::npos)
            end = s.size();
        if (end > start) // runs of separators: asctime pads single-digit days with a space
            out.push_back(s.substr(start, end - start));
        start = end + 1;
    }
    return out;
}

std::optional<sys_seconds> make_time(std::optional<unsigned> y, std::optional<unsigned> mo,
                                     std::optional<unsigned> d, std::string_view hms) {
    auto parts = split(hms, ':');
    if (!y || !mo || !d || parts.size() != 3 || hms.size() != 8)
        return std::nullopt;
    auto h = number(parts[0], 2, 2);
    auto mi = number(parts[1], 2, 2);
    auto s = number(parts[2], 2, 2);
    // 60 is a leap second, which the format allows.
    if (!h || !mi || !s || *h > 23 || *mi > 59 || *s > 60)
        return std::nullopt;
    year_month_day ymd{year{static_cast<int>(*y)}, month{*mo}, day{*d}};
    if (!ymd.ok())
        return std::nullopt;
    return sys_days{ymd} + hours{*h} + minutes{*mi} + seconds{*s};
}

} // namespace

std::string format_http_date(sys_seconds t) {
    const auto day_point = floor<days>(t);
    const year_month_day ymd{day_point};
    const hh_mm_ss hms{t - day_point};
    std::string out;
    out.reserve(29);
    out += weekday_names[weekday{day_point}.c_encoding()];
    out += ", ";
    append_2digits(out, static_cast<unsigned>(ymd.day()));
    out += ' ';
    out += month_names[static_cast<unsigned>(ymd.month()) - 1];
    out += ' ';
    out += std::to_string(static_cast<int>(ymd.year()));
    out += ' ';
    append_2digits(out, static_cast<unsigned>(hms.hours().count()));
    out += ':';
    append_2digits(out, static_cast<unsigned>(hms.minutes().count()));
    out += ':';
    append_2digits(out, static_cast<unsigned>(hms.seconds().count()));
    out += " GMT";
    return out;
}

std::optional<sys_seconds> parse_http_date(std::string_view text) {
    // The weekday is redundant and not checked, as recipients may.
    auto f = split(text, ' ');
    if (f.size() == 6 && f[0].size() == 4 && f[0].back() == ',' && f[5] == "GMT")
        return make_time(number(f[3], 4, 4), month_number(f[2]), number(f[1], 2, 2), f[4]);
    if (f.size() == 4 && f[0].back() == ',' && f[3] == "GMT") {
        auto dmy = split(f[1], '-');
        if (dmy.size() != 3 || f[1].size() != 9)
            return std::nullopt;
        // Two-digit years: RFC 9110 reads one that looks over 50 years ahead as the past
        // century; for a file date that is "70 and over is 19xx".
        auto yy = number(dmy[2], 2, 2);
        std::optional<unsigned> y;
        if (yy)
            y = *yy + (*yy >= 70 ? 1900 : 2000);
        return make_time(y, month_number(dmy[1]), number(dmy[0], 2, 2), f[2]);
    }
    if (f.size() == 5 && f[0].size() == 3)
        return make_time(number(f[4], 4, 4), month_number(f[1]), number(f[2], 1, 2), f[3]);
    return std::nullopt;
}

} // namespace switchboard::server
