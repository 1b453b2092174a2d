#include "switchboard/protocol/easyrtc_json.hpp"

#include <boost/json/serializer.hpp>

#include <array>
#include <charconv>

namespace switchboard::protocol::easyrtc {

void append_json_string(std::string& out, std::string_view s) {
    static constexpr char hex[] = "0123456789abcdef";
    out.push_back('"');
    std::size_t run = 0; // start of the pending run that needs no escaping
    for (std::size_t i = 0; i < s.size(); ++i) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c >= 0x20 && c != '"' && c != '\\') {
            continue;
        }
        out.append(s.data() + run, i - run);
        run = i + 1;
        out.push_back('\\');
        switch (c) {
        case '"':
            out.push_back('"');
            break;
        case '\\':
            out.push_back('\\');
            break;
        case '\b':
            out.push_back('b');
            break;
        case '\f':
            out.push_back('f');
            break;
        case '\n':
            out.push_back('n');
            break;
        case '\r':
            out.push_back('r');
            break;
        case '\t':
            out.push_back('t');
            break;
        default:
            out.append("u00");
            out.push_back(hex[c >> 4]);
            out.push_back(hex[c & 0xF]);
        }
    }
    out.append(s.data() + run, s.size() - run);
    out.push_back('"');
}

namespace {

template <class Json>
void serialize_into(std::string& out, const Json& j) {
    boost::json::serializer sr;
    sr.reset(&j);
    std::array<char, 1024> buf;
    while (!sr.done()) {
        out.append(sr.read(buf.data(), buf.size()));
    }
}

} // namespace

void append_json(std::string& out, const boost::json::value& v) {
    serialize_into(out, v);
}
void append_json(std::string& out, const boost::json::array& a) {
    serialize_into(out, a);
}
void append_json(std::string& out, const boost::json::object& o) {
    serialize_into(out, o);
}

void append_json(std::string& out, std::int64_t n) {
    std::array<char, 24> buf;
    const auto r = std::to_chars(buf.data(), buf.data() + buf.size(), n);
    out.append(buf.data(), r.ptr);
}

} // namespace switchboard::protocol::easyrtc
