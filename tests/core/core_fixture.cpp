#include "core_fixture.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace switchboard::core::testing {

namespace json = boost::json;

json::value parse(std::string_view text) {
    boost::system::error_code ec;
    json::value v = json::parse(text, ec);
    EXPECT_FALSE(ec) << "not JSON: " << text;
    return v;
}

json::array fake_ice::servers_for(std::string_view application, std::string_view easyrtcid,
                                  std::string_view username, std::int64_t wall_ms) {
    ++calls;
    last_application = application;
    last_easyrtcid = easyrtcid;
    last_username = username;
    last_wall_ms = wall_ms;
    return parse(R"([{"urls":["stun:stun.example.org:3478"]},)"
                 R"({"urls":["turn:turn.example.org"],"username":"u","credential":"c"}])")
        .as_array();
}

std::optional<std::chrono::seconds> fake_ice::credential_lifetime(std::string_view) {
    return lifetime;
}

void core_test::start() {
    core_ = std::make_unique<signaling_core>(
        cfg,
        [this] {
            if (!scripted_ids.empty()) {
                std::string id = scripted_ids.front();
                scripted_ids.pop_front();
                return id;
            }
            return "id" + std::to_string(++generated);
        },
        ice);
}

signaling_core& core_test::core() {
    if (!core_) {
        start();
    }
    return *core_;
}

void core_test::connect(conn_id c) {
    core().connect(c, now);
}

const actions& core_test::send(conn_id c, channel ch, std::string_view json_text,
                               std::optional<std::uint64_t> ack) {
    out.clear();
    const json::value body = parse(json_text);
    core().request(c, ch, ack, body, now, out);
    return out;
}

const actions& core_test::auth(conn_id c, std::string_view msg_data_json) {
    return send(c, channel::auth,
                R"({"msgType":"authenticate","msgData":)" + std::string(msg_data_json) + "}");
}

std::string core_test::sign_in(conn_id c, std::string_view msg_data_json) {
    connect(c);
    auth(c, msg_data_json);
    const json::object reply = only_reply(c);
    EXPECT_EQ(str(reply, "msgType"), "token") << only_reply_text(c);
    if (str(reply, "msgType") != "token") {
        return {};
    }
    return str(obj(reply, "msgData"), "easyrtcid");
}

const actions& core_test::drop(conn_id c) {
    out.clear();
    core().disconnect(c, now, out);
    return out;
}

const actions& core_test::tick() {
    out.clear();
    core().tick(now, out);
    return out;
}

void core_test::advance(std::chrono::milliseconds d) {
    now.wall_ms += d.count();
    now.steady += d;
}

std::vector<seen_push> core_test::pushes() const {
    std::vector<seen_push> seen;
    for (const action& a : out) {
        const auto* p = std::get_if<push>(&a);
        if (p == nullptr) {
            continue;
        }
        seen_push s;
        s.to = p->to;
        s.recipient = p->easyrtcid.view();
        s.frame = p->frame.get();
        s.text = p->frame->head + s.recipient + p->frame->tail;
        const json::value v = parse(s.text);
        const json::array* arr = v.if_array();
        EXPECT_TRUE(arr != nullptr && arr->size() == 2) << s.text;
        if (arr != nullptr && arr->size() == 2 && (*arr)[0].is_string() && (*arr)[1].is_object()) {
            s.event = (*arr)[0].as_string();
            s.body = (*arr)[1].as_object();
            EXPECT_EQ(str(s.body, "easyrtcid"), s.recipient) << s.text;
        }
        seen.push_back(std::move(s));
    }
    return seen;
}

std::vector<seen_push> core_test::pushes_to(conn_id c) const {
    std::vector<seen_push> mine;
    for (seen_push& s : pushes()) {
        if (s.to == c) {
            mine.push_back(std::move(s));
        }
    }
    return mine;
}

std::vector<const reply*> core_test::replies() const {
    std::vector<const reply*> rs;
    for (const action& a : out) {
        if (const auto* r = std::get_if<reply>(&a)) {
            rs.push_back(r);
        }
    }
    return rs;
}

std::string core_test::only_reply_text(conn_id c) const {
    const auto rs = replies();
    EXPECT_EQ(rs.size(), 1u);
    if (rs.size() != 1) {
        return {};
    }
    EXPECT_EQ(rs[0]->to, c);
    EXPECT_EQ(rs[0]->ack_id, 7u);
    return *rs[0]->payload;
}

json::object core_test::only_reply(conn_id c) const {
    const std::string text = only_reply_text(c);
    if (text.empty()) {
        return {};
    }
    const json::value v = parse(text);
    EXPECT_TRUE(v.is_object()) << text;
    return v.is_object() ? v.as_object() : json::object{};
}

std::string core_test::expect_error(conn_id c, std::string_view code) const {
    const json::object reply = only_reply(c);
    EXPECT_EQ(str(reply, "msgType"), "error") << only_reply_text(c);
    const json::object& data = obj(reply, "msgData");
    EXPECT_EQ(str(data, "errorCode"), code) << only_reply_text(c);
    EXPECT_EQ(reply.size(), 3u); // msgType, serverTime, msgData
    EXPECT_TRUE(reply.contains("serverTime"));
    std::string text = str(data, "errorText");
    EXPECT_FALSE(text.empty());
    return text;
}

std::vector<close> core_test::closes() const {
    std::vector<close> cs;
    for (const action& a : out) {
        if (const auto* c = std::get_if<close>(&a)) {
            cs.push_back(*c);
        }
    }
    return cs;
}

std::size_t core_test::index_of_reply(conn_id c) const {
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (const auto* r = std::get_if<reply>(&out[i]); r != nullptr && r->to == c) {
            return i;
        }
    }
    return npos;
}

std::size_t core_test::index_of_push(conn_id c) const {
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (const auto* p = std::get_if<push>(&out[i]); p != nullptr && p->to == c) {
            return i;
        }
    }
    return npos;
}

const json::object& obj(const json::object& o, std::string_view key) {
    static const json::object empty;
    const json::value* v = o.if_contains(key);
    EXPECT_TRUE(v != nullptr && v->is_object())
        << "no object member " << key << " in " << json::serialize(o);
    return v != nullptr && v->is_object() ? v->get_object() : empty;
}

const json::object& obj(const json::value& v, std::string_view key) {
    static const json::object empty;
    EXPECT_TRUE(v.is_object());
    return v.is_object() ? obj(v.get_object(), key) : empty;
}

const json::object& delta(const seen_push& p, std::string_view room) {
    return obj(obj(obj(obj(p.body, "msgData"), "roomData"), room), "clientListDelta");
}

std::string str(const json::object& o, std::string_view key) {
    const json::value* v = o.if_contains(key);
    EXPECT_TRUE(v != nullptr && v->is_string())
        << "no string member " << key << " in " << json::serialize(o);
    return v != nullptr && v->is_string() ? std::string(v->get_string()) : std::string{};
}

} // namespace switchboard::core::testing
