#pragma once

#include "switchboard/protocol/easyrtc_errors.hpp"

#include <boost/assert/source_location.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <boost/system/result.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

// Client-to-server EasyRTC messages, parsed and validated in the order the reference server
// checks them, so the first broken rule picks the error code. Views and pointers refer into the
// JSON body, which must outlive the result. State-dependent checks (is the target online, is the
// sender in the room) are the core's.
namespace switchboard::protocol::easyrtc {

template <class T>
using parsed = boost::system::result<T, error>;

// Makes parsed<T>::value() available (found by ADL). Callers check for the error first, so it
// never runs on peer input; value() is used because GCC's -Wnull-dereference cannot see through
// operator-> after that check.
[[noreturn]] void throw_exception_from_error(error e, const boost::source_location& loc);

// setRoomApiField: the serialized field must stay below this many bytes (the reference checks
// JSON.stringify(field).length in UTF-16 units, never more than our bytes: never looser).
inline constexpr std::size_t api_field_limit = 4096;

// setPresence: only the keys present change.
struct presence_update {
    std::optional<std::string_view> show;
    std::optional<std::string_view> status;
    std::optional<std::string_view> type;
};

// setUserCfg: each part present replaces the stored one.
struct user_config {
    const boost::json::object* user_settings = nullptr;
    const boost::json::object* p2p_list = nullptr;
};

// easyrtcAuth "authenticate".
struct auth_request {
    std::string_view api_version;
    std::optional<std::string_view> application;
    std::optional<std::string_view> easyrtcsid;
    std::optional<std::string_view> username;
    const boost::json::object* credential = nullptr;
    std::vector<std::string_view> rooms; // roomJoin keys; empty when roomJoin is absent or {}
    std::optional<presence_update> presence;
    std::optional<user_config> user_cfg;
};
parsed<auth_request> parse_auth(const boost::json::value& body);

// easyrtcCmd, one type per msgType.
enum class relay_type : std::uint8_t { offer, answer, candidate, reject, hangup };
std::string_view msg_type_name(relay_type t) noexcept;

struct relay {
    relay_type type;
    std::string_view target;
    const boost::json::value* msg_data = nullptr; // null for reject and hangup
};
struct get_ice_config {};
struct get_room_list {};
struct room_join {
    std::vector<std::string_view> rooms; // never empty
};
struct room_leave {
    std::vector<std::string_view> rooms; // never empty
};
struct set_presence {
    presence_update presence;
};
struct set_room_api_field {
    std::string_view room;
    std::string field; // the serialized JSON object; empty when the field is absent or {}
};
struct set_user_cfg {
    user_config cfg;
};
struct still_alive {};

using command = std::variant<relay, get_ice_config, get_room_list, room_join, room_leave,
                             set_presence, set_room_api_field, set_user_cfg, still_alive>;
parsed<command> parse_cmd(const boost::json::value& body);

// easyrtcMsg: an application message, routed by its targets.
struct app_message {
    std::string_view msg_type;
    const boost::json::value* msg_data = nullptr; // null when absent (a JSON null is kept)
    std::optional<std::string_view> target_easyrtcid;
    std::optional<std::string_view> target_group;
    std::optional<std::string_view> target_room;
};
parsed<app_message> parse_msg(const boost::json::value& body);

} // namespace switchboard::protocol::easyrtc
