#pragma once

#include "switchboard/protocol/easyrtc_errors.hpp"
#include "switchboard/protocol/easyrtc_requests.hpp"
#include "switchboard/protocol/push_frame.hpp"

#include <boost/json/array.hpp>

#include <cstdint>
#include <string>
#include <string_view>

// Server-to-client EasyRTC messages: the JSON text of socket.io ack arguments, and push frames
// for server-initiated easyrtcCmd / easyrtcMsg events (see push_frame.hpp for how the I/O layer
// completes them with the recipient's easyrtcid).
namespace switchboard::protocol::easyrtc {

// Ack replies carry no serverTime at top level, except errors.
inline constexpr std::string_view ack_reply = R"({"msgType":"ack"})";
// {"msgType":"error","serverTime":<ms>,"msgData":{"errorCode":"..","errorText":".."}}
std::string error_reply(error e, std::int64_t server_time_ms);
// {"msgType":"<type>","msgData":<msg_data_json>}
std::string typed_reply(std::string_view msg_type, std::string_view msg_data_json);

// {"errorCode":"..","errorText":".."}
void append_error_data(std::string& out, error e);
// "iceConfig":{"iceServers":[...]}, a member of the token's msgData.
void append_ice_config_member(std::string& out, const boost::json::array& ice_servers);
// {"iceConfig":{"iceServers":[...]}}: msgData of the iceConfig reply and push.
void append_ice_config_data(std::string& out, const boost::json::array& ice_servers);

// ["easyrtcCmd",{<fields>,"easyrtcid":"  +  id  +  ","msgType":"<type>","serverTime":<ms>}]
// `fields` is a comma-separated list of JSON members (may be empty).
push_frame cmd_frame(std::string_view fields, std::string_view msg_type,
                     std::int64_t server_time_ms);

// offer/answer/candidate/reject/hangup to the target: {senderEasyrtcid[,msgData]} (no target id).
push_frame relay_frame(std::string_view sender, const relay& r, std::int64_t server_time_ms);

// easyrtcMsg delivery, the app's msgType among the payload fields and not repeated after the id:
// ["easyrtcMsg",{"senderEasyrtcid",["targetEasyrtcid",]["targetRoom",]"msgType"[,"msgData"],
//  "easyrtcid":"  +  id  +  ","serverTime":<ms>}]
push_frame app_message_frame(std::string_view sender, const app_message& m,
                             std::int64_t server_time_ms);

// Server-originated pushes the client understands.
push_frame error_frame(error e, std::int64_t server_time_ms);
push_frame ice_config_frame(const boost::json::array& ice_servers, std::int64_t server_time_ms);
// {"msgData":{"forwardToUrl":{"url":".."},"newWindow":<bool>}}: newWindow beside forwardToUrl.
push_frame forward_to_url_frame(std::string_view url, bool new_window, std::int64_t server_time_ms);

} // namespace switchboard::protocol::easyrtc
