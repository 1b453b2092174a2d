#pragma once

#include "switchboard/server/engine_session.hpp"
#include "switchboard/server/http_responses.hpp"
#include "switchboard/server/server_context.hpp"

#include <memory>
#include <variant>

namespace switchboard::server {

// A websocket upgrade on /socket.io/ that passed the checks: a new direct session when
// `existing` is null, else the upgrade of that polling session.
struct websocket_plan {
    std::shared_ptr<engine_session> existing;
    protocol::engineio::version version;
};

// Checks an upgrade request's query, sid and Origin; the response is the refusal.
std::variant<response, websocket_plan> plan_websocket(const request& req, server_context& ctx);

// Engine.IO long-polling: the handshake GET, the held GET and the POST of packets.
awaitable<response> handle_polling(const request& req, const net::ip::tcp::endpoint& peer,
                                   server_context& ctx);

} // namespace switchboard::server
