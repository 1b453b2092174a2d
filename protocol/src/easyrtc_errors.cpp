#include "switchboard/protocol/easyrtc_errors.hpp"

namespace switchboard::protocol::easyrtc {

std::string_view error_code(error e) noexcept {
    switch (e) {
    case error::banned_ip_addr:
        return "BANNED_IP_ADDR";
    case error::login_app_auth_fail:
        return "LOGIN_APP_AUTH_FAIL";
    case error::login_bad_app_name:
        return "LOGIN_BAD_APP_NAME";
    case error::login_bad_auth:
        return "LOGIN_BAD_AUTH";
    case error::login_bad_room:
        return "LOGIN_BAD_ROOM";
    case error::login_bad_structure:
        return "LOGIN_BAD_STRUCTURE";
    case error::login_bad_user_cfg:
        return "LOGIN_BAD_USER_CFG";
    case error::login_gen_fail:
    case error::login_room_full:
        return "LOGIN_GEN_FAIL";
    case error::login_no_sockets:
        return "LOGIN_NO_SOCKETS";
    case error::login_timeout:
        return "LOGIN_TIMEOUT";
    case error::msg_reject_bad_data:
        return "MSG_REJECT_BAD_DATA";
    case error::msg_reject_bad_field:
        return "MSG_REJECT_BAD_FIELD";
    case error::msg_reject_bad_room:
    case error::msg_reject_room_full:
        return "MSG_REJECT_BAD_ROOM";
    case error::msg_reject_bad_size:
        return "MSG_REJECT_BAD_SIZE";
    case error::msg_reject_bad_structure:
        return "MSG_REJECT_BAD_STRUCTURE";
    case error::msg_reject_bad_type:
        return "MSG_REJECT_BAD_TYPE";
    case error::msg_reject_gen_fail:
    case error::msg_reject_no_handler:
    case error::msg_reject_rate_limited:
        return "MSG_REJECT_GEN_FAIL";
    case error::msg_reject_no_auth:
        return "MSG_REJECT_NO_AUTH";
    case error::msg_reject_no_room_list:
        return "MSG_REJECT_NO_ROOM_LIST";
    case error::msg_reject_presence:
        return "MSG_REJECT_PRESENCE";
    case error::msg_reject_target_easyrtcid:
    case error::msg_reject_target_self:
        return "MSG_REJECT_TARGET_EASYRTCID";
    case error::msg_reject_target_group:
        return "MSG_REJECT_TARGET_GROUP";
    case error::msg_reject_target_room:
        return "MSG_REJECT_TARGET_ROOM";
    case error::server_shutdown:
        return "SERVER_SHUTDOWN";
    }
    return "MSG_REJECT_GEN_FAIL";
}

std::string_view error_text(error e) noexcept {
    switch (e) {
    case error::banned_ip_addr:
        return "Connections from this address are not accepted. The connection will be closed.";
    case error::login_app_auth_fail:
        return "Sign-in refused: this server does not host the requested application. The "
               "connection will be closed.";
    case error::login_bad_app_name:
        return "Sign-in refused: the application name is not acceptable. The connection will be "
               "closed.";
    case error::login_bad_auth:
        return "Sign-in refused: expected an authenticate message with acceptable credentials. "
               "The connection will be closed.";
    case error::login_bad_room:
        return "Sign-in refused: a requested room does not exist and may not be created. The "
               "connection will be closed.";
    case error::login_bad_structure:
        return "Sign-in refused: the authenticate message is malformed. The connection will be "
               "closed.";
    case error::login_bad_user_cfg:
        return "Sign-in refused: setUserCfg is malformed. The connection will be closed.";
    case error::login_gen_fail:
        return "Sign-in failed on the server. The connection will be closed.";
    case error::login_room_full:
        return "Sign-in refused: a requested room is full. The connection will be closed.";
    case error::login_no_sockets:
        return "Sign-in refused: this account has no connections left. The connection will be "
               "closed.";
    case error::login_timeout:
        return "Sign-in did not complete in time. The connection will be closed.";
    case error::msg_reject_bad_data:
        return "Message refused: msgData is missing, malformed, or not allowed for this msgType.";
    case error::msg_reject_bad_field:
        return "Message refused: a field name or field structure is invalid.";
    case error::msg_reject_bad_room:
        return "Message refused: the room name is invalid, the room does not exist, or the "
               "sender is not in it.";
    case error::msg_reject_room_full:
        return "Message refused: the room is full.";
    case error::msg_reject_bad_size:
        return "Message refused: the field is too large (its JSON must stay under 4096 bytes).";
    case error::msg_reject_bad_structure:
        return "Message refused: the message structure is invalid.";
    case error::msg_reject_bad_type:
        return "Message refused: msgType is missing or not supported.";
    case error::msg_reject_gen_fail:
        return "Message refused: the server could not process it.";
    case error::msg_reject_no_handler:
        return "Message refused: this server has no handler for messages without a target.";
    case error::msg_reject_rate_limited:
        return "Message refused: too many messages from this connection; slow down.";
    case error::msg_reject_no_auth:
        return "Message refused: authenticate first.";
    case error::msg_reject_no_room_list:
        return "Message refused: the room list is not available.";
    case error::msg_reject_presence:
        return "Message refused: the presence could not be updated.";
    case error::msg_reject_target_easyrtcid:
        return "Message refused: the target easyrtcid is malformed, offline, or in another "
               "application.";
    case error::msg_reject_target_self:
        return "Message refused: a message may not target its own sender.";
    case error::msg_reject_target_group:
        return "Message refused: the target group is malformed or does not exist.";
    case error::msg_reject_target_room:
        return "Message refused: the target room is malformed, or the sender or the target is "
               "not in it.";
    case error::server_shutdown:
        return "The server is shutting down. The connection will be closed.";
    }
    return "Message refused: the server could not process it.";
}

} // namespace switchboard::protocol::easyrtc
