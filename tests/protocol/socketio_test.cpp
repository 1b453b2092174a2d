#include "switchboard/protocol/engineio.hpp"
#include "switchboard/protocol/errc.hpp"
#include "switchboard/protocol/socketio.hpp"

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace {

using namespace std::string_view_literals;
using switchboard::protocol::errc;
namespace sio = switchboard::protocol::socketio;
namespace eio = switchboard::protocol::engineio;

bool views_into(std::string_view part, std::string_view whole) {
    return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

// `depth` nested arrays as the event argument, so the whole text nests depth + 1 deep.
std::string event_with_nested_arg(std::size_t depth) {
    return R"(["deep",)" + std::string(depth, '[') + std::string(depth, ']') + "]";
}

// ---------------------------------------------------------------------------------------------
// decode_packet

TEST(SocketioDecodePacket, ConnectToDefaultNamespace) {
    const auto p = sio::decode_packet("0");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->type, sio::packet_type::connect);
    EXPECT_EQ(p->nsp, "/");
    EXPECT_FALSE(p->ack_id);
    EXPECT_TRUE(p->data.empty());
}

TEST(SocketioDecodePacket, ConnectWithNamespaceAndAuth) {
    const std::string_view text = R"(0/admin,{"token":"x"})";
    const auto p = sio::decode_packet(text);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->type, sio::packet_type::connect);
    EXPECT_EQ(p->nsp, "/admin");
    EXPECT_FALSE(p->ack_id);
    EXPECT_EQ(p->data, R"({"token":"x"})");
    EXPECT_TRUE(views_into(p->nsp, text));
    EXPECT_TRUE(views_into(p->data, text));
}

TEST(SocketioDecodePacket, CapturedAuthEventThroughEngineio) {
    const std::string_view frame =
        R"(420["easyrtcAuth",{"msgType":"authenticate","msgData":{"apiVersion":"1.1.1-beta"}}])";
    const auto engine = eio::decode_packet(frame);
    ASSERT_TRUE(engine);
    ASSERT_EQ(engine->type, eio::packet_type::message);

    const auto p = sio::decode_packet(engine->data);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->type, sio::packet_type::event);
    EXPECT_EQ(p->nsp, "/");
    ASSERT_TRUE(p->ack_id);
    EXPECT_EQ(*p->ack_id, 0U);
    EXPECT_EQ(
        p->data,
        R"(["easyrtcAuth",{"msgType":"authenticate","msgData":{"apiVersion":"1.1.1-beta"}}])");
    EXPECT_TRUE(views_into(p->data, frame));

    const auto ev = sio::decode_event(p->data);
    ASSERT_TRUE(ev);
    EXPECT_EQ(ev->name, "easyrtcAuth");
    ASSERT_TRUE(ev->arg.is_object());
    EXPECT_EQ(ev->arg.at("msgType"), "authenticate");
    EXPECT_EQ(ev->arg.at("msgData").at("apiVersion"), "1.1.1-beta");
}

TEST(SocketioDecodePacket, CapturedClientAck) {
    const auto p = sio::decode_packet(R"(31[{"msgType":"ack"}])");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->type, sio::packet_type::ack);
    ASSERT_TRUE(p->ack_id);
    EXPECT_EQ(*p->ack_id, 1U);
    EXPECT_EQ(p->data, R"([{"msgType":"ack"}])");
}

TEST(SocketioDecodePacket, EventWithoutAckId) {
    const auto p = sio::decode_packet(R"(2["easyrtcMsg",{}])");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->type, sio::packet_type::event);
    EXPECT_FALSE(p->ack_id);
    EXPECT_EQ(p->data, R"(["easyrtcMsg",{}])");
}

TEST(SocketioDecodePacket, MultiDigitAndMaximalAckIds) {
    const auto p = sio::decode_packet(R"(212345["a"])");
    ASSERT_TRUE(p);
    ASSERT_TRUE(p->ack_id);
    EXPECT_EQ(*p->ack_id, 12345U);
    EXPECT_EQ(p->data, R"(["a"])");

    const auto max = sio::decode_packet(R"(2999999999999999999["a"])");
    ASSERT_TRUE(max);
    ASSERT_TRUE(max->ack_id);
    EXPECT_EQ(*max->ack_id, 999999999999999999ULL);
    EXPECT_EQ(max->data, R"(["a"])");

    const auto zeros = sio::decode_packet(R"(3007[])");
    ASSERT_TRUE(zeros);
    ASSERT_TRUE(zeros->ack_id);
    EXPECT_EQ(*zeros->ack_id, 7U);
}

TEST(SocketioDecodePacket, NamespaceThenAckId) {
    const auto p = sio::decode_packet(R"(2/chat,7["a",1])");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->nsp, "/chat");
    ASSERT_TRUE(p->ack_id);
    EXPECT_EQ(*p->ack_id, 7U);
    EXPECT_EQ(p->data, R"(["a",1])");
}

TEST(SocketioDecodePacket, Disconnect) {
    const auto p = sio::decode_packet("1");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->type, sio::packet_type::disconnect);
    EXPECT_EQ(p->nsp, "/");
    EXPECT_TRUE(p->data.empty());

    const auto with_nsp = sio::decode_packet("1/chat,");
    ASSERT_TRUE(with_nsp);
    EXPECT_EQ(with_nsp->nsp, "/chat");
    EXPECT_TRUE(with_nsp->data.empty());
}

TEST(SocketioDecodePacket, NamespaceWithoutCommaRunsToTheEnd) {
    const auto bare = sio::decode_packet("1/chat");
    ASSERT_TRUE(bare);
    EXPECT_EQ(bare->type, sio::packet_type::disconnect);
    EXPECT_EQ(bare->nsp, "/chat");
    EXPECT_TRUE(bare->data.empty());

    // Without the comma the payload becomes part of the namespace, leaving no event data.
    const auto swallowed = sio::decode_packet(R"(2/chat["a"])");
    ASSERT_TRUE(swallowed);
    EXPECT_EQ(swallowed->nsp, R"(/chat["a"])");
    EXPECT_FALSE(swallowed->ack_id);
    EXPECT_TRUE(swallowed->data.empty());
    const auto ev = sio::decode_event(swallowed->data);
    ASSERT_FALSE(ev);
    EXPECT_EQ(ev.error(), errc::bad_json);

    // The namespace ends at the first comma even inside the JSON, as socket.io's parser does.
    const auto split = sio::decode_packet(R"(2/chat["a",1])");
    ASSERT_TRUE(split);
    EXPECT_EQ(split->nsp, R"(/chat["a")");
    EXPECT_EQ(split->ack_id, std::optional<std::uint64_t>(1));
    EXPECT_EQ(split->data, "]");
}

TEST(SocketioDecodePacket, SlashAloneIsTheDefaultNamespace) {
    const auto p = sio::decode_packet(R"(2/,5["a"])");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->nsp, "/");
    ASSERT_TRUE(p->ack_id);
    EXPECT_EQ(*p->ack_id, 5U);
}

TEST(SocketioDecodePacket, NonDigitAfterTypeIsData) {
    const auto p = sio::decode_packet(R"(2x["a"])");
    ASSERT_TRUE(p);
    EXPECT_FALSE(p->ack_id);
    EXPECT_EQ(p->data, R"(x["a"])");
    const auto ev = sio::decode_event(p->data);
    ASSERT_FALSE(ev);
    EXPECT_EQ(ev.error(), errc::bad_json);

    const auto negative = sio::decode_packet(R"(2-1["a"])");
    ASSERT_TRUE(negative);
    EXPECT_FALSE(negative->ack_id);
    EXPECT_EQ(negative->data, R"(-1["a"])");
}

TEST(SocketioDecodePacket, OverlongAckIdIsAnError) {
    for (const std::string& text :
         {std::string(R"(21234567890123456789["a"])"), std::string(R"(30000000000000000000[])"),
          "2" + std::string(100, '9') + R"(["a"])", "3" + std::string(10000, '1'),
          "2/chat," + std::string(19, '1') + "[]"}) {
        const auto p = sio::decode_packet(text);
        ASSERT_FALSE(p) << text;
        EXPECT_EQ(p.error(), errc::bad_ack_id) << text;
    }
}

TEST(SocketioDecodePacket, EmptyIsAnError) {
    const auto p = sio::decode_packet("");
    ASSERT_FALSE(p);
    EXPECT_EQ(p.error(), errc::empty_packet);
}

TEST(SocketioDecodePacket, UnknownTypeIsAnError) {
    for (const std::string_view text : {"7"sv, "8[]"sv, "a"sv, "/"sv, "["sv, " 2[]"sv, "-1"sv}) {
        const auto p = sio::decode_packet(text);
        ASSERT_FALSE(p) << text;
        EXPECT_EQ(p.error(), errc::unknown_packet_type) << text;
    }
}

TEST(SocketioDecodePacket, BinaryPacketsDecodeTheirHeader) {
    const auto event = sio::decode_packet(R"(51-["upload",{"_placeholder":true,"num":0}])");
    ASSERT_TRUE(event);
    EXPECT_EQ(event->type, sio::packet_type::binary_event);
    EXPECT_EQ(event->nsp, "/");
    EXPECT_FALSE(event->ack_id);
    EXPECT_EQ(event->data, R"(["upload",{"_placeholder":true,"num":0}])");

    const auto ack = sio::decode_packet(R"(612-/chat,3[{"_placeholder":true,"num":0}])");
    ASSERT_TRUE(ack);
    EXPECT_EQ(ack->type, sio::packet_type::binary_ack);
    EXPECT_EQ(ack->nsp, "/chat");
    ASSERT_TRUE(ack->ack_id);
    EXPECT_EQ(*ack->ack_id, 3U);
    EXPECT_EQ(ack->data, R"([{"_placeholder":true,"num":0}])");
}

TEST(SocketioDecodePacket, MalformedBinaryHeaderIsAnError) {
    for (const std::string_view text : {"5"sv, "6"sv, R"(5["a"])"sv, R"(51["a"])"sv, R"(5-["a"])"sv,
                                        "51"sv, R"(5x-["a"])"sv, R"(5/chat,1-["a"])"sv}) {
        const auto p = sio::decode_packet(text);
        ASSERT_FALSE(p) << text;
        EXPECT_EQ(p.error(), errc::binary_unsupported) << text;
    }
}

// ---------------------------------------------------------------------------------------------
// decode_event

TEST(SocketioDecodeEvent, NameAndArgument) {
    const auto ev = sio::decode_event(R"(["easyrtcCmd",{"msgType":"getRoomList","msgData":null}])");
    ASSERT_TRUE(ev);
    EXPECT_EQ(ev->name, "easyrtcCmd");
    ASSERT_TRUE(ev->arg.is_object());
    EXPECT_EQ(ev->arg.at("msgType"), "getRoomList");
    EXPECT_TRUE(ev->arg.at("msgData").is_null());
}

TEST(SocketioDecodeEvent, MissingArgumentIsNull) {
    const auto ev = sio::decode_event(R"(["easyrtcCmd"])");
    ASSERT_TRUE(ev);
    EXPECT_EQ(ev->name, "easyrtcCmd");
    EXPECT_TRUE(ev->arg.is_null());
}

TEST(SocketioDecodeEvent, ExtraArgumentsAreIgnored) {
    const auto ev = sio::decode_event(R"(["a",1,"two",[3]])");
    ASSERT_TRUE(ev);
    EXPECT_EQ(ev->name, "a");
    EXPECT_EQ(ev->arg, 1);
}

TEST(SocketioDecodeEvent, AnyJsonArgumentAndWhitespace) {
    const auto ev = sio::decode_event(" \n[ \"a\" ,\t\"text\" ]\r\n ");
    ASSERT_TRUE(ev);
    EXPECT_EQ(ev->name, "a");
    EXPECT_EQ(ev->arg, "text");

    const auto escaped = sio::decode_event(R"(["caf\u00e9 \ud83d\ude00",[true,false]])");
    ASSERT_TRUE(escaped);
    EXPECT_EQ(escaped->name, "caf\xc3\xa9 \xf0\x9f\x98\x80");
    EXPECT_EQ(boost::json::serialize(escaped->arg), "[true,false]");

    const auto empty_name = sio::decode_event(R"(["",0])");
    ASSERT_TRUE(empty_name);
    EXPECT_TRUE(empty_name->name.empty());
}

TEST(SocketioDecodeEvent, InvalidJsonIsBadJson) {
    const std::vector<std::string_view> texts = {
        ""sv,
        " "sv,
        "["sv,
        R"(["a")"sv,
        R"(["a",)"sv,
        R"(["a",])"sv,    // trailing comma
        R"(["a",1]x)"sv,  // trailing garbage
        R"(["a",1][])"sv, // two documents
        R"(["a",1],)"sv,
        R"(['a',1])"sv, // single quotes
        R"(["a",NaN])"sv,
        R"(["a",undefined])"sv,
        R"(["a"/*comment*/])"sv,
        R"(["a",{"k":}])"sv,
        R"(["a",{k:1}])"sv,
        R"(["a\x"])"sv,                  // bad escape
        "[\"a\x01\"]"sv,                 // raw control character
        "[\"\xff\"]"sv,                  // invalid UTF-8
        "[\"\xed\xa0\x80\"]"sv,          // encoded surrogate
        std::string_view("[\"a\"]\0", 6) // trailing NUL
    };
    for (const auto text : texts) {
        const auto ev = sio::decode_event(text);
        ASSERT_FALSE(ev) << text;
        EXPECT_EQ(ev.error(), errc::bad_json) << text;
    }
}

TEST(SocketioDecodeEvent, NotAnEventArray) {
    for (const std::string_view text :
         {R"({"0":"a"})"sv, R"("easyrtcCmd")"sv, "42"sv, "null"sv, "true"sv, "[]"sv, "[ ]"sv,
          R"([1,"a"])"sv, R"([null,"a"])"sv, R"([["a"],1])"sv, R"([{"name":"a"}])"sv}) {
        const auto ev = sio::decode_event(text);
        ASSERT_FALSE(ev) << text;
        EXPECT_EQ(ev.error(), errc::not_an_event_array) << text;
    }
}

TEST(SocketioDecodeEvent, DepthLimitIs32) {
    EXPECT_TRUE(sio::decode_event(event_with_nested_arg(31)));
    const auto too_deep = sio::decode_event(event_with_nested_arg(32));
    ASSERT_FALSE(too_deep);
    EXPECT_EQ(too_deep.error(), errc::bad_json);

    std::string objects = R"(["deep",)";
    for (int i = 0; i < 40; ++i) {
        objects += R"({"k":)";
    }
    objects += "1" + std::string(40, '}') + "]";
    const auto deep_objects = sio::decode_event(objects);
    ASSERT_FALSE(deep_objects);
    EXPECT_EQ(deep_objects.error(), errc::bad_json);
}

TEST(SocketioDecodeEvent, HostileNestingFailsFast) {
    const std::string open_only(1000000, '[');
    const auto ev = sio::decode_event(open_only);
    ASSERT_FALSE(ev);
    EXPECT_EQ(ev.error(), errc::bad_json);
}

TEST(SocketioDecodeEvent, ArgumentLivesInTheGivenStorage) {
    const boost::json::storage_ptr sp =
        boost::json::make_shared_resource<boost::json::monotonic_resource>();
    const auto ev = sio::decode_event(R"(["a",{"k":[1,2,3]}])", sp);
    ASSERT_TRUE(ev);
    EXPECT_EQ(ev->arg.storage().get(), sp.get());
    EXPECT_EQ(boost::json::serialize(ev->arg), R"({"k":[1,2,3]})");

    const auto missing = sio::decode_event(R"(["a"])", sp);
    ASSERT_TRUE(missing);
    EXPECT_EQ(missing->arg.storage().get(), sp.get());
}

// ---------------------------------------------------------------------------------------------
// Encoders

TEST(SocketioEncode, ConnectOkMatchesCaptureWithEngineioPrefix) {
    std::string frame = "4";
    sio::append_connect_ok(frame, "zXb0HnA5Wn6_sYP2AAAB");
    EXPECT_EQ(frame, R"(40{"sid":"zXb0HnA5Wn6_sYP2AAAB"})");
}

TEST(SocketioEncode, ConnectError) {
    std::string out;
    sio::append_connect_error(out, "/", "Not authorized");
    EXPECT_EQ(out, R"(4{"message":"Not authorized"})");

    out.clear();
    sio::append_connect_error(out, "/admin", "Invalid namespace");
    EXPECT_EQ(out, R"(4/admin,{"message":"Invalid namespace"})");
}

TEST(SocketioEncode, ConnectErrorEscapesTheMessage) {
    std::string out;
    sio::append_connect_error(out, "/", "a \"quoted\" \\ line\nand\ttab \x01 caf\xc3\xa9");
    EXPECT_EQ(out, R"(4{"message":"a \"quoted\" \\ line\nand\ttab \u0001 caf)"
                   "\xc3\xa9"
                   R"("})");
}

TEST(SocketioEncode, Disconnect) {
    std::string frame = "4";
    sio::append_disconnect(frame);
    EXPECT_EQ(frame, "41");
}

TEST(SocketioEncode, AckMatchesCapture) {
    std::string frame = "4";
    sio::append_ack(frame, 0, R"({"msgType":"token","msgData":{"easyrtcid":"pcKIy6owr0poKePA"}})");
    EXPECT_EQ(frame, R"(430[{"msgType":"token","msgData":{"easyrtcid":"pcKIy6owr0poKePA"}}])");

    std::string big;
    sio::append_ack(big, 18446744073709551615ULL, R"({"msgType":"ack"})");
    EXPECT_EQ(big, R"(318446744073709551615[{"msgType":"ack"}])");

    std::string no_arg;
    sio::append_ack(no_arg, 12, "");
    EXPECT_EQ(no_arg, "312[]");
}

TEST(SocketioEncode, EventMatchesCapture) {
    std::string frame = "4";
    sio::append_event(frame, 1, "easyrtcCmd", R"({"msgType":"roomData","easyrtcid":"x"})");
    EXPECT_EQ(frame, R"(421["easyrtcCmd",{"msgType":"roomData","easyrtcid":"x"}])");
}

TEST(SocketioEncode, EventWithoutIdOrArgument) {
    std::string out;
    sio::append_event(out, std::nullopt, "easyrtcMsg", R"({"msgType":"hi"})");
    EXPECT_EQ(out, R"(2["easyrtcMsg",{"msgType":"hi"}])");

    out.clear();
    sio::append_event(out, std::nullopt, "ping", "");
    EXPECT_EQ(out, R"(2["ping"])");

    out.clear();
    sio::append_event(out, 0, "e", "null");
    EXPECT_EQ(out, R"(20["e",null])");
}

TEST(SocketioEncode, EventNameIsEscaped) {
    std::string out;
    sio::append_event(out, std::nullopt, "we\"ird\\name\n", "1");
    EXPECT_EQ(out, R"(2["we\"ird\\name\n",1])");
}

TEST(SocketioEncode, EncodersAppendWithoutDisturbingTheBuffer) {
    std::string out = "prefix:";
    sio::append_ack(out, 5, "1");
    sio::append_event(out, 6, "e", "2");
    sio::append_disconnect(out);
    EXPECT_EQ(out, R"(prefix:35[1]26["e",2]1)");
}

TEST(SocketioEncode, RoundTrips) {
    std::string event_text;
    sio::append_event(event_text, 42, "easyrtcCmd\xf0\x9f\x98\x80", R"({"msgData":[1,"x"]})");
    const auto event_packet = sio::decode_packet(event_text);
    ASSERT_TRUE(event_packet);
    EXPECT_EQ(event_packet->type, sio::packet_type::event);
    EXPECT_EQ(event_packet->ack_id, std::optional<std::uint64_t>(42));
    const auto ev = sio::decode_event(event_packet->data);
    ASSERT_TRUE(ev);
    EXPECT_EQ(ev->name, "easyrtcCmd\xf0\x9f\x98\x80");
    EXPECT_EQ(boost::json::serialize(ev->arg), R"({"msgData":[1,"x"]})");

    std::string ack_text;
    sio::append_ack(ack_text, 999999999999999999ULL, R"({"msgType":"ack"})");
    const auto ack_packet = sio::decode_packet(ack_text);
    ASSERT_TRUE(ack_packet);
    EXPECT_EQ(ack_packet->type, sio::packet_type::ack);
    EXPECT_EQ(ack_packet->ack_id, std::optional<std::uint64_t>(999999999999999999ULL));
    EXPECT_EQ(ack_packet->data, R"([{"msgType":"ack"}])");

    std::string error_text;
    sio::append_connect_error(error_text, "/nsp", "nope");
    const auto error_packet = sio::decode_packet(error_text);
    ASSERT_TRUE(error_packet);
    EXPECT_EQ(error_packet->type, sio::packet_type::connect_error);
    EXPECT_EQ(error_packet->nsp, "/nsp");
    EXPECT_EQ(error_packet->data, R"({"message":"nope"})");

    std::string connect_text;
    sio::append_connect_ok(connect_text, "abc");
    const auto connect_packet = sio::decode_packet(connect_text);
    ASSERT_TRUE(connect_packet);
    EXPECT_EQ(connect_packet->type, sio::packet_type::connect);
    EXPECT_EQ(connect_packet->data, R"({"sid":"abc"})");
}

} // namespace
