#pragma once

#include "core_state.hpp"

#include <memory>
#include <string>
#include <string_view>

// The JSON of EasyRTC roomData: room blocks ("<room>":{...}) that callers concatenate, with
// commas, inside {"roomData":{...}}. Entries are built from cached strings, never by
// re-serializing a connection's whole state.
namespace switchboard::core::detail {

// "<id>":{"easyrtcid","roomJoinTime","presence"[,"username"][,"apiField"]}
void append_client_entry(std::string& out, const connection& c, const membership& m);
// "<room>":{"roomName","roomStatus":"join","clientList":{...every member...}[,"field"]}
void append_join_block(std::string& out, const room& r);
// "<room>":{"roomName","roomStatus":"update","clientListDelta":{"updateClient":{<entry>}}}
void append_update_block(std::string& out, const connection& c, const membership& m);
// "<id>":{"easyrtcid":"<id>"}, one removeClient entry
void append_remove_entry(std::string& out, std::string_view easyrtcid);
// "<room>":{"roomName","roomStatus":"update","clientListDelta":{"updateClient":{<updates>},
// "removeClient":{<removes>}}}, either part left out when empty
void append_delta_block(std::string& out, std::string_view room_name, std::string_view updates,
                        std::string_view removes);
// "<room>":{"roomName","roomStatus":"leave"}
void append_leave_block(std::string& out, std::string_view room_name);
// "<room>":{"roomName","roomStatus":"update","field":{...}}
void append_field_block(std::string& out, const room& r);

// {"roomData":{<blocks>}}
std::string room_data(std::string_view blocks);
// easyrtcCmd roomData push carrying msgData {"roomData":{<blocks>}}.
std::shared_ptr<const protocol::push_frame> room_data_push(std::string_view blocks,
                                                           std::int64_t server_time_ms);

// {"<name>":{"fieldName":"<name>","fieldValue":<v>},...}, the shape of EasyRTC shared fields.
// Empty when `fields` is empty; nullopt when a name breaks fieldNameRegExp.
std::optional<std::string> shared_fields(const boost::json::object& fields);

} // namespace switchboard::core::detail
