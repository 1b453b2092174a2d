#include "switchboard/protocol/easyrtc_requests.hpp"

#include "switchboard/protocol/easyrtc_json.hpp"
#include "switchboard/protocol/easyrtc_validation.hpp"

#include <boost/throw_exception.hpp>

#include <stdexcept>

namespace switchboard::protocol::easyrtc {
namespace {

namespace json = boost::json;

std::string_view view(const json::string& s) noexcept {
    return {s.data(), s.size()};
}

// A member that must be a string when present. nullopt when absent; `bad` set when present but
// not a string or rejected by `valid`.
template <class Check>
std::optional<std::string_view> optional_string(const json::object& o, std::string_view key,
                                                Check valid, bool& bad) {
    const json::value* v = o.if_contains(key);
    if (v == nullptr) {
        return std::nullopt;
    }
    const json::string* s = v->if_string();
    if (s == nullptr || !valid(view(*s))) {
        bad = true;
        return std::nullopt;
    }
    return view(*s);
}

const json::object* non_empty_object(const json::value* v) noexcept {
    const json::object* o = v != nullptr ? v->if_object() : nullptr;
    return o != nullptr && !o->empty() ? o : nullptr;
}

// {"<room>":{"roomName":"<room>"[,"roomParameter":{...}]}, ...}
std::optional<std::vector<std::string_view>> room_map(const json::object& m) {
    std::vector<std::string_view> rooms;
    rooms.reserve(m.size());
    for (const auto& kv : m) {
        const std::string_view key = kv.key();
        const json::object* entry = kv.value().if_object();
        if (!is_room_name(key) || entry == nullptr) {
            return std::nullopt;
        }
        const json::value* name = entry->if_contains("roomName");
        if (name == nullptr || !name->is_string() || view(name->get_string()) != key) {
            return std::nullopt;
        }
        const json::value* parameter = entry->if_contains("roomParameter");
        if (parameter != nullptr && !parameter->is_object()) {
            return std::nullopt;
        }
        rooms.push_back(key);
    }
    return rooms;
}

// setPresence: a non-empty object whose show and status (and type, which we echo) are valid.
std::optional<presence_update> presence(const json::value* v) {
    const json::object* o = non_empty_object(v);
    if (o == nullptr) {
        return std::nullopt;
    }
    bool bad = false;
    presence_update p;
    p.show = optional_string(*o, "show", is_presence_show, bad);
    p.status = optional_string(*o, "status", is_presence_status, bad);
    p.type = optional_string(*o, "type", is_presence_status, bad);
    if (bad) {
        return std::nullopt;
    }
    return p;
}

// setUserCfg: a non-empty object; p2pList and userSettings, when present, non-empty objects.
std::optional<user_config> user_cfg(const json::value* v) {
    const json::object* o = non_empty_object(v);
    if (o == nullptr) {
        return std::nullopt;
    }
    user_config cfg;
    const json::value* settings = o->if_contains("userSettings");
    const json::value* p2p = o->if_contains("p2pList");
    cfg.user_settings = non_empty_object(settings);
    cfg.p2p_list = non_empty_object(p2p);
    if ((settings != nullptr && cfg.user_settings == nullptr) ||
        (p2p != nullptr && cfg.p2p_list == nullptr)) {
        return std::nullopt;
    }
    return cfg;
}

const json::object* msg_data_object(const json::object& msg) {
    const json::value* v = msg.if_contains("msgData");
    return v != nullptr ? v->if_object() : nullptr;
}

parsed<command> parse_relay(relay_type type, const json::object& msg) {
    const json::value* data = msg.if_contains("msgData");
    const bool takes_data = type != relay_type::reject && type != relay_type::hangup;
    if (takes_data ? non_empty_object(data) == nullptr : data != nullptr) {
        return error::msg_reject_bad_data;
    }
    const json::value* target = msg.if_contains("targetEasyrtcid");
    if (target == nullptr || !target->is_string() || !is_easyrtcid(view(target->get_string()))) {
        return error::msg_reject_bad_structure;
    }
    return relay{type, view(target->get_string()), data};
}

template <class Request>
parsed<command> parse_room_change(const json::object& msg, std::string_view key) {
    const json::object* data = msg_data_object(msg);
    if (data == nullptr) {
        return error::msg_reject_bad_data;
    }
    const json::value* map = data->if_contains(key);
    const json::object* rooms = map != nullptr ? map->if_object() : nullptr;
    // An empty map is refused here: the reference crashes on it (spec §3.9).
    if (rooms == nullptr || rooms->empty()) {
        return error::msg_reject_bad_structure;
    }
    auto names = room_map(*rooms);
    if (!names) {
        return error::msg_reject_bad_structure;
    }
    return Request{std::move(*names)};
}

parsed<command> parse_set_presence(const json::object& msg) {
    const json::object* data = msg_data_object(msg);
    if (data == nullptr) {
        return error::msg_reject_bad_data;
    }
    auto p = presence(data->if_contains("setPresence"));
    if (!p) {
        return error::msg_reject_bad_structure;
    }
    return set_presence{*p};
}

parsed<command> parse_set_room_api_field(const json::object& msg) {
    const json::object* data = msg_data_object(msg);
    if (data == nullptr) {
        return error::msg_reject_bad_data;
    }
    const json::object* request = non_empty_object(data->if_contains("setRoomApiField"));
    if (request == nullptr) {
        return error::msg_reject_bad_structure;
    }
    const json::value* room = request->if_contains("roomName");
    if (room == nullptr || !room->is_string() || !is_room_name(view(room->get_string()))) {
        return error::msg_reject_bad_room;
    }
    set_room_api_field out{view(room->get_string()), {}};
    // An absent field clears the room's apiField, as the reference does.
    if (const json::value* field = request->if_contains("field")) {
        if (!field->is_object()) {
            return error::msg_reject_bad_structure;
        }
        if (!field->get_object().empty()) {
            append_json(out.field, *field);
        }
        if (out.field.size() >= api_field_limit) {
            return error::msg_reject_bad_size;
        }
    }
    return out;
}

parsed<command> parse_set_user_cfg(const json::object& msg) {
    const json::object* data = msg_data_object(msg);
    if (data == nullptr) {
        return error::msg_reject_bad_data;
    }
    auto cfg = user_cfg(data->if_contains("setUserCfg"));
    if (!cfg) {
        return error::msg_reject_bad_structure;
    }
    return set_user_cfg{*cfg};
}

} // namespace

void throw_exception_from_error(error e, const boost::source_location& loc) {
    boost::throw_exception(
        std::logic_error("unchecked EasyRTC parse error " + std::string(error_code(e))), loc);
}

std::string_view msg_type_name(relay_type t) noexcept {
    switch (t) {
    case relay_type::offer:
        return "offer";
    case relay_type::answer:
        return "answer";
    case relay_type::candidate:
        return "candidate";
    case relay_type::reject:
        return "reject";
    case relay_type::hangup:
        return "hangup";
    }
    return "hangup";
}

parsed<auth_request> parse_auth(const json::value& body) {
    const json::object* msg = body.if_object();
    const json::value* type = msg != nullptr ? msg->if_contains("msgType") : nullptr;
    if (type == nullptr || !type->is_string() || type->get_string() != "authenticate") {
        return error::login_bad_auth;
    }
    // Type pre-check of the reference, answered with a LOGIN_ code.
    const json::object* data = msg_data_object(*msg);
    const json::value* api = data != nullptr ? data->if_contains("apiVersion") : nullptr;
    const json::value* room_join = data != nullptr ? data->if_contains("roomJoin") : nullptr;
    if (api == nullptr || !api->is_string() || (room_join != nullptr && !room_join->is_object())) {
        return error::login_bad_structure;
    }

    // The validator: every failure is MSG_REJECT_BAD_STRUCTURE, checked in the reference's order.
    auth_request req;
    req.api_version = view(api->get_string());
    if (!is_api_version(req.api_version)) {
        return error::msg_reject_bad_structure;
    }
    bool bad = false;
    req.application = optional_string(*data, "applicationName", is_app_name, bad);
    req.easyrtcsid = optional_string(*data, "easyrtcsid", is_easyrtcsid, bad);
    req.username = optional_string(*data, "username", is_username, bad);
    if (bad) {
        return error::msg_reject_bad_structure;
    }
    if (const json::value* credential = data->if_contains("credential")) {
        req.credential = non_empty_object(credential);
        if (req.credential == nullptr) {
            return error::msg_reject_bad_structure;
        }
    }
    if (room_join != nullptr) {
        auto rooms = room_map(room_join->get_object());
        if (!rooms) {
            return error::msg_reject_bad_structure;
        }
        req.rooms = std::move(*rooms);
    }
    if (const json::value* p = data->if_contains("setPresence")) {
        req.presence = presence(p);
        if (!req.presence) {
            return error::msg_reject_bad_structure;
        }
    }
    // The reference leaves setUserCfg unchecked; we store it, so it gets the setUserCfg rules.
    if (const json::value* cfg = data->if_contains("setUserCfg")) {
        req.user_cfg = user_cfg(cfg);
        if (!req.user_cfg) {
            return error::login_bad_user_cfg;
        }
    }
    return req;
}

parsed<command> parse_cmd(const json::value& body) {
    const json::object* msg = body.if_object();
    if (msg == nullptr) {
        return error::msg_reject_bad_structure;
    }
    const json::value* type_value = msg->if_contains("msgType");
    if (type_value == nullptr || !type_value->is_string()) {
        return error::msg_reject_bad_type;
    }
    const std::string_view type = view(type_value->get_string());
    // Most frequent first: a call sends many candidates.
    if (type == "candidate") {
        return parse_relay(relay_type::candidate, *msg);
    }
    if (type == "offer") {
        return parse_relay(relay_type::offer, *msg);
    }
    if (type == "answer") {
        return parse_relay(relay_type::answer, *msg);
    }
    if (type == "reject") {
        return parse_relay(relay_type::reject, *msg);
    }
    if (type == "hangup") {
        return parse_relay(relay_type::hangup, *msg);
    }
    if (type == "stillAlive") {
        return still_alive{};
    }
    if (type == "setRoomApiField") {
        return parse_set_room_api_field(*msg);
    }
    if (type == "setPresence") {
        return parse_set_presence(*msg);
    }
    if (type == "roomJoin") {
        return parse_room_change<room_join>(*msg, "roomJoin");
    }
    if (type == "roomLeave") {
        return parse_room_change<room_leave>(*msg, "roomLeave");
    }
    if (type == "getIceConfig") {
        const json::value* data = msg->if_contains("msgData");
        const json::object* o = data != nullptr ? data->if_object() : nullptr;
        if (data != nullptr && !data->is_null() && (o == nullptr || !o->empty())) {
            return error::msg_reject_bad_data;
        }
        return get_ice_config{};
    }
    if (type == "getRoomList") {
        if (msg->contains("msgData")) {
            return error::msg_reject_bad_data;
        }
        return get_room_list{};
    }
    if (type == "setUserCfg") {
        return parse_set_user_cfg(*msg);
    }
    return error::msg_reject_bad_type;
}

parsed<app_message> parse_msg(const json::value& body) {
    const json::object* msg = body.if_object();
    if (msg == nullptr) {
        return error::msg_reject_bad_structure;
    }
    const json::value* type = msg->if_contains("msgType");
    if (type == nullptr || !type->is_string()) {
        return error::msg_reject_bad_type;
    }
    app_message m;
    m.msg_type = view(type->get_string());
    m.msg_data = msg->if_contains("msgData");
    bool bad = false;
    m.target_easyrtcid = optional_string(*msg, "targetEasyrtcid", is_easyrtcid, bad);
    if (bad) {
        return error::msg_reject_target_easyrtcid;
    }
    m.target_group = optional_string(*msg, "targetGroup", is_group_name, bad);
    if (bad) {
        return error::msg_reject_target_group;
    }
    m.target_room = optional_string(*msg, "targetRoom", is_room_name, bad);
    if (bad) {
        return error::msg_reject_target_room;
    }
    return m;
}

} // namespace switchboard::protocol::easyrtc
