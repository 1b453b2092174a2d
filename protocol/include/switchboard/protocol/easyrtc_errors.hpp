#pragma once

#include <cstdint>
#include <string_view>

namespace switchboard::protocol::easyrtc {

// Every error this server can put in an EasyRTC error message. The wire code is one of the codes
// the easyrtc.js client knows; some codes have several entries so that the text can say which
// rule was broken (e.g. three causes of MSG_REJECT_GEN_FAIL).
enum class error : std::uint8_t {
    banned_ip_addr,
    login_app_auth_fail,
    login_bad_app_name,
    login_bad_auth,
    login_bad_room,
    login_bad_structure,
    login_bad_user_cfg,
    login_gen_fail,
    login_room_full, // LOGIN_GEN_FAIL
    login_no_sockets,
    login_timeout,
    msg_reject_bad_data,
    msg_reject_bad_field,
    msg_reject_bad_room,
    msg_reject_room_full, // MSG_REJECT_BAD_ROOM
    msg_reject_bad_size,
    msg_reject_bad_structure,
    msg_reject_bad_type,
    msg_reject_gen_fail,
    msg_reject_no_handler,   // MSG_REJECT_GEN_FAIL: easyrtcMsg without any target
    msg_reject_rate_limited, // MSG_REJECT_GEN_FAIL: the connection sends too fast
    msg_reject_no_auth,
    msg_reject_no_room_list,
    msg_reject_presence,
    msg_reject_target_easyrtcid,
    msg_reject_target_self, // MSG_REJECT_TARGET_EASYRTCID
    msg_reject_target_group,
    msg_reject_target_room,
    server_shutdown,
};

// The errorCode, e.g. "MSG_REJECT_BAD_TYPE".
std::string_view error_code(error e) noexcept;
// The errorText: one English sentence (our own wording) for people reading client logs.
std::string_view error_text(error e) noexcept;

} // namespace switchboard::protocol::easyrtc
