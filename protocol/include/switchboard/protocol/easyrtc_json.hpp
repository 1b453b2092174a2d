#pragma once

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <string>
#include <string_view>

// Appending JSON text to a buffer, so a whole EasyRTC message is built in one string with no
// intermediate DOM. Escaping matches JSON.stringify: quote, backslash and control characters.
namespace switchboard::protocol::easyrtc {

void append_json_string(std::string& out, std::string_view s); // "s", escaped
void append_json(std::string& out, const boost::json::value& v);
void append_json(std::string& out, const boost::json::array& a);
void append_json(std::string& out, const boost::json::object& o);
void append_json(std::string& out, std::int64_t n);

} // namespace switchboard::protocol::easyrtc
