#include "switchboard/server/http_responses.hpp"

#include <algorithm>

namespace switchboard::server {

response make_response(const request& req, http::status status, std::string_view content_type,
                       std::string body) {
    response res{status, req.version()};
    res.set(http::field::server, "switchboard");
    res.set(http::field::content_type, content_type);
    res.keep_alive(req.keep_alive());
    res.body() = std::move(body);
    res.prepare_payload();
    // HEAD: the headers say how long the body would be, and no body follows.
    if (req.method() == http::verb::head) {
        const auto n = res.body().size();
        res.body().clear();
        res.content_length(n); // clearing the body must not change what the headers say
    }
    return res;
}

bool origin_allowed(const request& req, const std::vector<std::string>& allowed) {
    auto it = req.find(http::field::origin);
    if (it == req.end())
        return true; // not a browser request: CORS does not apply
    if (std::find(allowed.begin(), allowed.end(), "*") != allowed.end())
        return true;
    return std::find(allowed.begin(), allowed.end(), it->value()) != allowed.end();
}

void apply_cors(const request& req, response& res, const std::vector<std::string>& allowed) {
    auto it = req.find(http::field::origin);
    if (std::find(allowed.begin(), allowed.end(), "*") != allowed.end()) {
        res.set(http::field::access_control_allow_origin, "*");
        return;
    }
    res.set(http::field::vary, "Origin");
    if (it != req.end() && origin_allowed(req, allowed)) {
        res.set(http::field::access_control_allow_origin, it->value());
        res.set(http::field::access_control_allow_credentials, "true");
    }
}

} // namespace switchboard::server
