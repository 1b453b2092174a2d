#pragma once

#include "switchboard/server/net.hpp"

#include <boost/beast/http/message.hpp>
#include <boost/beast/http/string_body.hpp>

#include <string>
#include <string_view>
#include <vector>

namespace switchboard::server {

using request = http::request<http::string_body>;
using response = http::response<http::string_body>;

response make_response(const request& req, http::status status, std::string_view content_type,
                       std::string body);

// CORS for the Engine.IO endpoints: '*' allows any origin; otherwise the request's Origin is
// echoed when it is on the list.
bool origin_allowed(const request& req, const std::vector<std::string>& allowed);
void apply_cors(const request& req, response& res, const std::vector<std::string>& allowed);

} // namespace switchboard::server
