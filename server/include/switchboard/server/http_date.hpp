#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace switchboard::server {

// IMF-fixdate, the one form HTTP senders use: "Sun, 06 Nov 1994 08:49:37 GMT".
std::string format_http_date(std::chrono::sys_seconds t);

// Any of the three forms an HTTP recipient must accept (RFC 9110 §5.6.7): IMF-fixdate, RFC 850
// ("Sunday, 06-Nov-94 08:49:37 GMT") and asctime ("Sun Nov  6 08:49:37 1994"). nullopt when the
// text is none of them, so that a bad If-Modified-Since is ignored as the RFC asks.
std::optional<std::chrono::sys_seconds> parse_http_date(std::string_view text);

} // namespace switchboard::server
