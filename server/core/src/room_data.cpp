#include "room_data.hpp"

#include "switchboard/protocol/easyrtc_envelopes.hpp"
#include "switchboard/protocol/easyrtc_json.hpp"
#include "switchboard/protocol/easyrtc_validation.hpp"

namespace switchboard::core::detail {
namespace {

using easyrtc::append_json;
using easyrtc::append_json_string;

void open_block(std::string& out, std::string_view room_name, std::string_view status) {
    append_json_string(out, room_name);
    out += R"(:{"roomName":)";
    append_json_string(out, room_name);
    out += R"(,"roomStatus":")";
    out += status;
    out += '"';
}

void append_presence(std::string& out, const connection& c) {
    out += R"({"show":)";
    append_json_string(out, c.show);
    out += R"(,"status":)";
    if (c.status) {
        append_json_string(out, *c.status);
    } else {
        out += "null";
    }
    if (c.presence_type) {
        out += R"(,"type":)";
        append_json_string(out, *c.presence_type);
    }
    out += '}';
}

} // namespace

void append_client_entry(std::string& out, const connection& c, const membership& m) {
    append_json_string(out, c.easyrtcid);
    out += R"(:{"easyrtcid":)";
    append_json_string(out, c.easyrtcid);
    out += R"(,"roomJoinTime":)";
    append_json(out, m.join_time_ms);
    out += R"(,"presence":)";
    append_presence(out, c);
    if (c.username) {
        out += R"(,"username":)";
        append_json_string(out, *c.username);
    }
    if (!m.api_field.empty()) {
        out += R"(,"apiField":)";
        out += m.api_field;
    }
    out += '}';
}

void append_join_block(std::string& out, const room& r) {
    open_block(out, r.name, "join");
    out += R"(,"clientList":{)";
    bool first = true;
    for (const connection* member : r.members) {
        if (!first) {
            out += ',';
        }
        first = false;
        append_client_entry(out, *member, member->rooms.find(r.name)->second);
    }
    out += '}';
    if (!r.field.empty()) {
        out += R"(,"field":)";
        out += r.field;
    }
    out += '}';
}

void append_update_block(std::string& out, const connection& c, const membership& m) {
    open_block(out, m.where->name, "update");
    out += R"(,"clientListDelta":{"updateClient":{)";
    append_client_entry(out, c, m);
    out += "}}}";
}

void append_remove_entry(std::string& out, std::string_view easyrtcid) {
    append_json_string(out, easyrtcid);
    out += R"(:{"easyrtcid":)";
    append_json_string(out, easyrtcid);
    out += '}';
}

void append_delta_block(std::string& out, std::string_view room_name, std::string_view updates,
                        std::string_view removes) {
    open_block(out, room_name, "update");
    out += R"(,"clientListDelta":{)";
    if (!updates.empty()) {
        out += R"("updateClient":{)";
        out += updates;
        out += '}';
    }
    if (!removes.empty()) {
        if (!updates.empty()) {
            out += ',';
        }
        out += R"("removeClient":{)";
        out += removes;
        out += '}';
    }
    out += "}}";
}

void append_leave_block(std::string& out, std::string_view room_name) {
    open_block(out, room_name, "leave");
    out += '}';
}

void append_field_block(std::string& out, const room& r) {
    open_block(out, r.name, "update");
    out += R"(,"field":)";
    out += r.field.empty() ? std::string_view("{}") : std::string_view(r.field);
    out += '}';
}

std::string room_data(std::string_view blocks) {
    std::string out;
    out.reserve(blocks.size() + 16);
    out += R"({"roomData":{)";
    out += blocks;
    out += "}}";
    return out;
}

std::shared_ptr<const protocol::push_frame> room_data_push(std::string_view blocks,
                                                           std::int64_t server_time_ms) {
    std::string fields = R"("msgData":)";
    fields += room_data(blocks);
    return std::make_shared<const protocol::push_frame>(
        easyrtc::cmd_frame(fields, "roomData", server_time_ms));
}

std::optional<std::string> shared_fields(const boost::json::object& fields) {
    std::string out;
    for (const auto& kv : fields) {
        const std::string_view name = kv.key();
        if (!easyrtc::is_field_name(name)) {
            return std::nullopt;
        }
        out += out.empty() ? '{' : ',';
        append_json_string(out, name);
        out += R"(:{"fieldName":)";
        append_json_string(out, name);
        out += R"(,"fieldValue":)";
        append_json(out, kv.value());
        out += '}';
    }
    if (!out.empty()) {
        out += '}';
    }
    return out;
}

} // namespace switchboard::core::detail
