#include "switchboard/protocol/easyrtc_envelopes.hpp"

#include "switchboard/protocol/easyrtc_json.hpp"

namespace switchboard::protocol::easyrtc {
namespace {

constexpr std::string_view recipient_key = R"("easyrtcid":")";

push_frame frame(std::string_view event, std::string_view fields) {
    push_frame f;
    f.head.reserve(event.size() + fields.size() + 32);
    f.head += "[\"";
    f.head += event;
    f.head += "\",{";
    f.head += fields;
    if (!fields.empty()) {
        f.head += ',';
    }
    f.head += recipient_key;
    return f;
}

void append_server_time(std::string& out, std::int64_t server_time_ms) {
    out += R"(,"serverTime":)";
    append_json(out, server_time_ms);
    out += "}]";
}

} // namespace

std::string error_reply(error e, std::int64_t server_time_ms) {
    std::string out = R"({"msgType":"error","serverTime":)";
    append_json(out, server_time_ms);
    out += R"(,"msgData":)";
    append_error_data(out, e);
    out += '}';
    return out;
}

std::string typed_reply(std::string_view msg_type, std::string_view msg_data_json) {
    std::string out;
    out.reserve(msg_type.size() + msg_data_json.size() + 26);
    out += R"({"msgType":)";
    append_json_string(out, msg_type);
    out += R"(,"msgData":)";
    out += msg_data_json;
    out += '}';
    return out;
}

void append_error_data(std::string& out, error e) {
    out += R"({"errorCode":)";
    append_json_string(out, error_code(e));
    out += R"(,"errorText":)";
    append_json_string(out, error_text(e));
    out += '}';
}

void append_ice_config_member(std::string& out, const boost::json::array& ice_servers) {
    out += R"("iceConfig":{"iceServers":)";
    append_json(out, ice_servers);
    out += '}';
}

void append_ice_config_data(std::string& out, const boost::json::array& ice_servers) {
    out += '{';
    append_ice_config_member(out, ice_servers);
    out += '}';
}

push_frame cmd_frame(std::string_view fields, std::string_view msg_type,
                     std::int64_t server_time_ms) {
    push_frame f = frame("easyrtcCmd", fields);
    f.tail += R"(","msgType":)";
    append_json_string(f.tail, msg_type);
    append_server_time(f.tail, server_time_ms);
    return f;
}

push_frame relay_frame(std::string_view sender, const relay& r, std::int64_t server_time_ms) {
    std::string fields = R"("senderEasyrtcid":)";
    append_json_string(fields, sender);
    if (r.msg_data != nullptr) {
        fields += R"(,"msgData":)";
        append_json(fields, *r.msg_data);
    }
    return cmd_frame(fields, msg_type_name(r.type), server_time_ms);
}

push_frame app_message_frame(std::string_view sender, const app_message& m,
                             std::int64_t server_time_ms) {
    std::string fields = R"("senderEasyrtcid":)";
    append_json_string(fields, sender);
    if (m.target_easyrtcid) {
        fields += R"(,"targetEasyrtcid":)";
        append_json_string(fields, *m.target_easyrtcid);
    }
    if (m.target_room) {
        fields += R"(,"targetRoom":)";
        append_json_string(fields, *m.target_room);
    }
    fields += R"(,"msgType":)";
    append_json_string(fields, m.msg_type);
    if (m.msg_data != nullptr) {
        fields += R"(,"msgData":)";
        append_json(fields, *m.msg_data);
    }
    push_frame f = frame("easyrtcMsg", fields);
    f.tail.push_back('"');
    append_server_time(f.tail, server_time_ms);
    return f;
}

push_frame error_frame(error e, std::int64_t server_time_ms) {
    std::string fields = R"("msgData":)";
    append_error_data(fields, e);
    return cmd_frame(fields, "error", server_time_ms);
}

push_frame ice_config_frame(const boost::json::array& ice_servers, std::int64_t server_time_ms) {
    std::string fields = R"("msgData":)";
    append_ice_config_data(fields, ice_servers);
    return cmd_frame(fields, "iceConfig", server_time_ms);
}

push_frame forward_to_url_frame(std::string_view url, bool new_window,
                                std::int64_t server_time_ms) {
    std::string fields = R"("msgData":{"forwardToUrl":{"url":)";
    append_json_string(fields, url);
    fields += new_window ? R"(},"newWindow":true})" : R"(},"newWindow":false})";
    return cmd_frame(fields, "forwardToUrl", server_time_ms);
}

} // namespace switchboard::protocol::easyrtc
