#include "switchboard/protocol/engineio.hpp"
#include "switchboard/protocol/errc.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace {

using namespace std::string_view_literals;
using switchboard::protocol::errc;
namespace eio = switchboard::protocol::engineio;

// An EIO=4 payload written out by hand: records joined with the 0x1E separator.
std::string records(std::initializer_list<std::string_view> parts) {
    std::string out;
    bool first = true;
    for (const auto part : parts) {
        if (!first) {
            out += '\x1e';
        }
        first = false;
        out += part;
    }
    return out;
}

// True when `part` lies inside `whole`, i.e. the decoder returned a view and not a copy.
bool views_into(std::string_view part, std::string_view whole) {
    return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

// ---------------------------------------------------------------------------------------------
// decode_packet

TEST(EngineioDecodePacket, EveryTypeDigit) {
    const std::vector<std::pair<char, eio::packet_type>> types = {
        {'0', eio::packet_type::open},    {'1', eio::packet_type::close},
        {'2', eio::packet_type::ping},    {'3', eio::packet_type::pong},
        {'4', eio::packet_type::message}, {'5', eio::packet_type::upgrade},
        {'6', eio::packet_type::noop},
    };
    for (const auto& [digit, type] : types) {
        const std::string text = std::string(1, digit) + "payload";
        const auto p = eio::decode_packet(text);
        ASSERT_TRUE(p) << text;
        EXPECT_EQ(p->type, type);
        EXPECT_EQ(p->data, "payload");
        EXPECT_TRUE(views_into(p->data, text));
    }
}

TEST(EngineioDecodePacket, TypeOnlyHasEmptyData) {
    const auto p = eio::decode_packet("2");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->type, eio::packet_type::ping);
    EXPECT_TRUE(p->data.empty());
}

TEST(EngineioDecodePacket, ProbeAndSocketioMessage) {
    const auto probe = eio::decode_packet("2probe");
    ASSERT_TRUE(probe);
    EXPECT_EQ(probe->type, eio::packet_type::ping);
    EXPECT_EQ(probe->data, "probe");

    const auto connect = eio::decode_packet("40");
    ASSERT_TRUE(connect);
    EXPECT_EQ(connect->type, eio::packet_type::message);
    EXPECT_EQ(connect->data, "0");

    const std::string_view auth = R"(420["easyrtcAuth",{"msgType":"authenticate"}])";
    const auto event = eio::decode_packet(auth);
    ASSERT_TRUE(event);
    EXPECT_EQ(event->type, eio::packet_type::message);
    EXPECT_EQ(event->data, R"(20["easyrtcAuth",{"msgType":"authenticate"}])");
}

TEST(EngineioDecodePacket, EmptyIsAnError) {
    const auto p = eio::decode_packet("");
    ASSERT_FALSE(p);
    EXPECT_EQ(p.error(), errc::empty_packet);
}

TEST(EngineioDecodePacket, UnknownTypeIsAnError) {
    // "b" is EIO=3's base64 binary packet, which we do not support.
    for (const std::string_view text :
         {"7"sv, "9hello"sv, "b4AAEC"sv, "x"sv, "/"sv, ":"sv, "\x1e"sv, "\0004"sv, " 4"sv}) {
        const auto p = eio::decode_packet(text);
        ASSERT_FALSE(p) << text;
        EXPECT_EQ(p.error(), errc::unknown_packet_type) << text;
    }
}

// ---------------------------------------------------------------------------------------------
// decode_payload, EIO=4

TEST(EngineioPayloadV4, SinglePacket) {
    const auto packets = eio::decode_payload("40", eio::version::v4);
    ASSERT_TRUE(packets);
    ASSERT_EQ(packets->size(), 1U);
    EXPECT_EQ((*packets)[0].type, eio::packet_type::message);
    EXPECT_EQ((*packets)[0].data, "0");
}

TEST(EngineioPayloadV4, CapturedPostWithTwoEvents) {
    const std::string body = records({R"(420["easyrtcAuth",{"msgType":"authenticate"}])",
                                      R"(421["easyrtcCmd",{"msgType":"getRoomList"}])"});
    const auto packets = eio::decode_payload(body, eio::version::v4);
    ASSERT_TRUE(packets);
    ASSERT_EQ(packets->size(), 2U);
    EXPECT_EQ((*packets)[0].type, eio::packet_type::message);
    EXPECT_EQ((*packets)[0].data, R"(20["easyrtcAuth",{"msgType":"authenticate"}])");
    EXPECT_EQ((*packets)[1].type, eio::packet_type::message);
    EXPECT_EQ((*packets)[1].data, R"(21["easyrtcCmd",{"msgType":"getRoomList"}])");
    for (const auto& p : *packets) {
        EXPECT_TRUE(views_into(p.data, body));
    }
}

TEST(EngineioPayloadV4, TypeOnlyPackets) {
    const auto packets = eio::decode_payload(records({"2", "3", "6"}), eio::version::v4);
    ASSERT_TRUE(packets);
    ASSERT_EQ(packets->size(), 3U);
    EXPECT_EQ((*packets)[0].type, eio::packet_type::ping);
    EXPECT_EQ((*packets)[1].type, eio::packet_type::pong);
    EXPECT_EQ((*packets)[2].type, eio::packet_type::noop);
    for (const auto& p : *packets) {
        EXPECT_TRUE(p.data.empty());
    }
}

TEST(EngineioPayloadV4, DigitsAndColonsAreData) {
    // The v3 length syntax means nothing in v4.
    const auto packets = eio::decode_payload("42:40", eio::version::v4);
    ASSERT_TRUE(packets);
    ASSERT_EQ(packets->size(), 1U);
    EXPECT_EQ((*packets)[0].data, "2:40");
}

TEST(EngineioPayloadV4, EmptyBodyIsAnError) {
    const auto packets = eio::decode_payload("", eio::version::v4);
    ASSERT_FALSE(packets);
    EXPECT_EQ(packets.error(), errc::empty_packet);
}

TEST(EngineioPayloadV4, EmptyRecordsAreErrors) {
    for (const std::string& body :
         {records({"", ""}), records({"", "40"}), records({"40", ""}), records({"40", "", "41"})}) {
        const auto packets = eio::decode_payload(body, eio::version::v4);
        ASSERT_FALSE(packets) << body;
        EXPECT_EQ(packets.error(), errc::empty_packet) << body;
    }
}

TEST(EngineioPayloadV4, BadPacketAnywhereFailsTheWholeBody) {
    const auto packets = eio::decode_payload(records({"40", "9x"}), eio::version::v4);
    ASSERT_FALSE(packets);
    EXPECT_EQ(packets.error(), errc::unknown_packet_type);
}

// ---------------------------------------------------------------------------------------------
// decode_payload, EIO=3

TEST(EngineioPayloadV3, CapturedConnect) {
    const auto packets = eio::decode_payload("2:40", eio::version::v3);
    ASSERT_TRUE(packets);
    ASSERT_EQ(packets->size(), 1U);
    EXPECT_EQ((*packets)[0].type, eio::packet_type::message);
    EXPECT_EQ((*packets)[0].data, "0");
}

TEST(EngineioPayloadV3, CapturedOpenPacket) {
    const std::string open =
        R"(0{"sid":"T4RvUYPdivAjeIPCAAAE","upgrades":["websocket"],"pingInterval":5000,)"
        R"("pingTimeout":10000,"maxPayload":1000000})";
    const std::string body = "117:" + open;
    const auto packets = eio::decode_payload(body, eio::version::v3);
    ASSERT_TRUE(packets);
    ASSERT_EQ(packets->size(), 1U);
    EXPECT_EQ((*packets)[0].type, eio::packet_type::open);
    EXPECT_EQ((*packets)[0].data, std::string_view(open).substr(1));
}

TEST(EngineioPayloadV3, SeveralPacketsBackToBack) {
    const std::string body = "2:4013:42[\"a\",\"bcd\"]1:26:2probe";
    const auto packets = eio::decode_payload(body, eio::version::v3);
    ASSERT_TRUE(packets);
    ASSERT_EQ(packets->size(), 4U);
    EXPECT_EQ((*packets)[0].data, "0");
    EXPECT_EQ((*packets)[1].type, eio::packet_type::message);
    EXPECT_EQ((*packets)[1].data, R"(2["a","bcd"])");
    EXPECT_EQ((*packets)[2].type, eio::packet_type::ping);
    EXPECT_TRUE((*packets)[2].data.empty());
    EXPECT_EQ((*packets)[3].type, eio::packet_type::ping);
    EXPECT_EQ((*packets)[3].data, "probe");
    for (const auto& p : *packets) {
        EXPECT_TRUE(views_into(p.data, body));
    }
}

TEST(EngineioPayloadV3, LengthCountsUtf16UnitsNotBytes) {
    // é (2 bytes) and € (3 bytes) are one unit each; 😀 (4 bytes) is a surrogate pair.
    const std::string body = "2:4\xc3\xa9"
                             "2:4\xe2\x82\xac"
                             "3:4\xf0\x9f\x98\x80"
                             "2:40";
    const auto packets = eio::decode_payload(body, eio::version::v3);
    ASSERT_TRUE(packets);
    ASSERT_EQ(packets->size(), 4U);
    EXPECT_EQ((*packets)[0].data, "\xc3\xa9");
    EXPECT_EQ((*packets)[1].data, "\xe2\x82\xac");
    EXPECT_EQ((*packets)[2].data, "\xf0\x9f\x98\x80");
    EXPECT_EQ((*packets)[3].data, "0");
}

TEST(EngineioPayloadV3, LeadingZerosInLengthAreAccepted) {
    const auto packets = eio::decode_payload("002:40", eio::version::v3);
    ASSERT_TRUE(packets);
    ASSERT_EQ(packets->size(), 1U);
    EXPECT_EQ((*packets)[0].data, "0");
}

TEST(EngineioPayloadV3, EmptyBodyIsAnError) {
    const auto packets = eio::decode_payload("", eio::version::v3);
    ASSERT_FALSE(packets);
    EXPECT_EQ(packets.error(), errc::empty_packet);
}

TEST(EngineioPayloadV3, MalformedLengthPrefixes) {
    const std::vector<std::string_view> bodies = {
        "40"sv,                            // no prefix at all
        "2"sv,                             // digits, no colon
        "240"sv,                           // digits run into the packet, no colon
        ":40"sv,                           // colon without digits
        "a:40"sv,                          // not a number
        "2a:40"sv,                         // digits then junk
        "-2:40"sv,                         // sign
        "+2:40"sv,                         // sign
        " 2:40"sv,                         // whitespace
        "0:"sv,                            // zero length
        "0:40"sv,                          // zero length before data
        "2:"sv,                            // truncated: nothing after the colon
        "3:40"sv,                          // length past the end
        "5:4"sv,                           // length past the end
        "2:4"sv,                           // one unit short
        "18446744073709551615:40"sv,       // fits in 64 bits but is past the end
        "18446744073709551616:40"sv,       // 2^64: overflows
        "99999999999999999999999999:40"sv, // far beyond 64 bits
        "2:40x"sv,                         // trailing garbage after a good packet
        "2:402"sv,                         // a second prefix cut short
        "2:402:"sv,                        // a second prefix with no packet
        "2:402:4"sv,                       // a second packet cut short
    };
    for (const auto body : bodies) {
        const auto packets = eio::decode_payload(body, eio::version::v3);
        ASSERT_FALSE(packets) << body;
        EXPECT_EQ(packets.error(), errc::bad_payload_length) << body;
    }
}

TEST(EngineioPayloadV3, LengthMustNotSplitAMultiByteCharacter) {
    const std::vector<std::string_view> bodies = {
        "2:4\xf0\x9f\x98\x80"sv, // ends between the two halves of a surrogate pair
        "4:4\xf0\x9f\x98\x80"sv, // one unit more than there is
        "3:4\xc3\xa9"sv,         // counted bytes instead of units
        "5:4\xf0\x9f\x98\x80"sv, // counted bytes instead of units
        "4:4\xe2\x82\xac"sv,     // counted bytes instead of units
    };
    for (const auto body : bodies) {
        const auto packets = eio::decode_payload(body, eio::version::v3);
        ASSERT_FALSE(packets) << body;
        EXPECT_EQ(packets.error(), errc::bad_payload_length) << body;
    }
}

TEST(EngineioPayloadV3, InvalidUtf8IsRejected) {
    const std::vector<std::string_view> bodies = {
        "2:4\xff"sv, // never valid in UTF-8
        "2:4\x80"sv, // stray continuation byte
        "2:4\xc3"sv, // sequence cut by the end of the body
        "3:4\xc3"
        "a"sv,                   // lead byte followed by ASCII
        "2:4\xc0\x80"sv,         // overlong NUL
        "2:4\xe0\x80\xaf"sv,     // overlong 3-byte form
        "2:4\xed\xa0\x80"sv,     // encoded UTF-16 surrogate
        "3:4\xf0\x80\x80\x80"sv, // overlong 4-byte form
        "3:4\xf4\x90\x80\x80"sv, // above U+10FFFF
        "3:4\xf5\x80\x80\x80"sv, // lead byte beyond the Unicode range
        "3:4\xf0\x9f\x98"
        "a"sv, // 4-byte sequence with a bad last byte
    };
    for (const auto body : bodies) {
        const auto packets = eio::decode_payload(body, eio::version::v3);
        ASSERT_FALSE(packets) << body;
        EXPECT_EQ(packets.error(), errc::bad_payload_length) << body;
    }
}

TEST(EngineioPayloadV3, BadPacketInsideAGoodFrameKeepsItsError) {
    const auto unknown = eio::decode_payload("2:402:9x", eio::version::v3);
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error(), errc::unknown_packet_type);
}

TEST(EngineioPayloadV3, HugeLengthFailsWithoutWalkingPastTheBody) {
    std::string body = "1000000:4";
    body.append(1000, 'x');
    const auto packets = eio::decode_payload(body, eio::version::v3);
    ASSERT_FALSE(packets);
    EXPECT_EQ(packets.error(), errc::bad_payload_length);
}

// ---------------------------------------------------------------------------------------------
// utf16_length and append_to_payload

TEST(EngineioUtf16Length, CountsAsJavaScriptDoes) {
    EXPECT_EQ(eio::utf16_length(""), 0U);
    EXPECT_EQ(eio::utf16_length("abc"), 3U);
    EXPECT_EQ(eio::utf16_length("\xc3\xa9"), 1U);         // é
    EXPECT_EQ(eio::utf16_length("\xe2\x82\xac"), 1U);     // €
    EXPECT_EQ(eio::utf16_length("\xef\xbf\xbf"), 1U);     // U+FFFF, last BMP code point
    EXPECT_EQ(eio::utf16_length("\xf0\x9f\x98\x80"), 2U); // 😀
    EXPECT_EQ(eio::utf16_length("\xf4\x8f\xbf\xbf"), 2U); // U+10FFFF
    // "héllo wörld 👋🏽".length === 16 in JavaScript.
    EXPECT_EQ(eio::utf16_length("h\xc3\xa9llo w\xc3\xb6rld \xf0\x9f\x91\x8b\xf0\x9f\x8f\xbd"), 16U);
    EXPECT_EQ(eio::utf16_length(std::string_view("a\0b", 3)), 3U);
}

TEST(EngineioAppendToPayload, V4SeparatesWithRecordSeparatorOnly) {
    std::string body;
    eio::append_to_payload(body, "40", eio::version::v4);
    EXPECT_EQ(body, "40");
    eio::append_to_payload(body, R"(421["easyrtcCmd",{}])", eio::version::v4);
    EXPECT_EQ(body, records({"40", R"(421["easyrtcCmd",{}])"}));
    eio::append_to_payload(body, "2", eio::version::v4);
    EXPECT_EQ(body, records({"40", R"(421["easyrtcCmd",{}])", "2"}));
}

TEST(EngineioAppendToPayload, V3PrefixesUtf16Length) {
    std::string body;
    eio::append_to_payload(body, "40", eio::version::v3);
    EXPECT_EQ(body, "2:40");
    eio::append_to_payload(body, "4\xf0\x9f\x98\x80\xc3\xa9", eio::version::v3);
    EXPECT_EQ(body, "2:404:4\xf0\x9f\x98\x80\xc3\xa9");
    eio::append_to_payload(body, "6", eio::version::v3);
    EXPECT_EQ(body, "2:404:4\xf0\x9f\x98\x80\xc3\xa9"
                    "1:6");
}

TEST(EngineioAppendToPayload, V3OpenPacketMatchesCapture) {
    const std::string open = eio::encode_open({.sid = "T4RvUYPdivAjeIPCAAAE",
                                               .offer_websocket_upgrade = true,
                                               .ping_interval_ms = 5000,
                                               .ping_timeout_ms = 10000});
    std::string body;
    eio::append_to_payload(body, open, eio::version::v3);
    EXPECT_EQ(body, "117:" + open);

    // engine.io's built-in defaults make it one character longer (the EIO=5 capture).
    std::string defaults_body;
    eio::append_to_payload(
        defaults_body,
        eio::encode_open({.sid = "T4RvUYPdivAjeIPCAAAE", .offer_websocket_upgrade = true}),
        eio::version::v3);
    EXPECT_EQ(defaults_body.substr(0, 4), "118:");
}

TEST(EngineioAppendToPayload, RoundTripsThroughDecode) {
    const std::vector<std::string> packets = {"0{}",
                                              "40",
                                              R"(42["easyrtcMsg",{"text":"h\u00e9"}])",
                                              "4caf\xc3\xa9 \xf0\x9f\x98\x80",
                                              "3probe",
                                              "6",
                                              "1"};
    for (const auto v : {eio::version::v3, eio::version::v4}) {
        std::string body;
        for (const auto& p : packets) {
            eio::append_to_payload(body, p, v);
        }
        const auto decoded = eio::decode_payload(body, v);
        ASSERT_TRUE(decoded) << body;
        ASSERT_EQ(decoded->size(), packets.size());
        for (std::size_t i = 0; i < packets.size(); ++i) {
            EXPECT_EQ(static_cast<char>((*decoded)[i].type), packets[i][0]);
            EXPECT_EQ((*decoded)[i].data, std::string_view(packets[i]).substr(1));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// encode_open

TEST(EngineioEncodeOpen, DirectWebsocketCapture) {
    EXPECT_EQ(eio::encode_open({.sid = "T4RvUYPdivAjeIPCAAAE",
                                .offer_websocket_upgrade = false,
                                .ping_interval_ms = 5000,
                                .ping_timeout_ms = 10000,
                                .max_payload = 1000000}),
              R"(0{"sid":"T4RvUYPdivAjeIPCAAAE","upgrades":[],"pingInterval":5000,)"
              R"("pingTimeout":10000,"maxPayload":1000000})");
}

TEST(EngineioEncodeOpen, PollingHandshakeOffersWebsocket) {
    EXPECT_EQ(eio::encode_open({.sid = "T4RvUYPdivAjeIPCAAAE",
                                .offer_websocket_upgrade = true,
                                .ping_interval_ms = 5000,
                                .ping_timeout_ms = 10000,
                                .max_payload = 1000000}),
              R"(0{"sid":"T4RvUYPdivAjeIPCAAAE","upgrades":["websocket"],"pingInterval":5000,)"
              R"("pingTimeout":10000,"maxPayload":1000000})");
}

TEST(EngineioEncodeOpen, DefaultsAreEngineioBuiltIns) {
    EXPECT_EQ(eio::encode_open({.sid = "abc"}),
              R"(0{"sid":"abc","upgrades":[],"pingInterval":25000,"pingTimeout":20000,)"
              R"("maxPayload":1000000})");
}

TEST(EngineioEncodeOpen, LargeNumbersAndEscapedSid) {
    EXPECT_EQ(eio::encode_open({.sid = "a\"b\\c",
                                .ping_interval_ms = 4294967295U,
                                .ping_timeout_ms = 0,
                                .max_payload = 18446744073709551615ULL}),
              R"(0{"sid":"a\"b\\c","upgrades":[],"pingInterval":4294967295,"pingTimeout":0,)"
              R"("maxPayload":18446744073709551615})");
}

TEST(EngineioEncodeOpen, DecodesAsAnOpenPacket) {
    const std::string open = eio::encode_open({.sid = "s"});
    const auto p = eio::decode_packet(open);
    ASSERT_TRUE(p);
    EXPECT_EQ(p->type, eio::packet_type::open);
    EXPECT_EQ(p->data.front(), '{');
    EXPECT_EQ(p->data.back(), '}');
}

// ---------------------------------------------------------------------------------------------
// parse_query and parse_transport

TEST(EngineioParseQuery, StockClientHandshake) {
    const std::string_view query = "EIO=4&transport=polling&t=OabcD3x";
    const auto q = eio::parse_query(query);
    ASSERT_TRUE(q);
    EXPECT_EQ(q->eio, eio::version::v4);
    EXPECT_EQ(q->transport, "polling");
    EXPECT_TRUE(q->sid.empty());
    EXPECT_TRUE(views_into(q->transport, query));
}

TEST(EngineioParseQuery, UpgradeWithSid) {
    const std::string_view query = "EIO=4&transport=websocket&sid=T4RvUYPdivAjeIPCAAAE";
    const auto q = eio::parse_query(query);
    ASSERT_TRUE(q);
    EXPECT_EQ(q->eio, eio::version::v4);
    EXPECT_EQ(q->transport, "websocket");
    EXPECT_EQ(q->sid, "T4RvUYPdivAjeIPCAAAE");
    EXPECT_TRUE(views_into(q->sid, query));
}

TEST(EngineioParseQuery, KeyOrderDoesNotMatter) {
    const auto q = eio::parse_query("sid=abc&t=1&transport=polling&EIO=4");
    ASSERT_TRUE(q);
    EXPECT_EQ(q->eio, eio::version::v4);
    EXPECT_EQ(q->transport, "polling");
    EXPECT_EQ(q->sid, "abc");
}

TEST(EngineioParseQuery, OnlyExactlyFourIsRevisionFour) {
    for (const std::string_view query :
         {"EIO=3&transport=polling"sv, "EIO=5&transport=polling"sv, "transport=polling"sv,
          "EIO=&transport=polling"sv, "EIO&transport=polling"sv, "EIO=44&transport=polling"sv,
          "EIO=04&transport=polling"sv, "EIO=4.0&transport=polling"sv, "eio=4&transport=polling"sv,
          "EIO=%34&transport=polling"sv}) {
        const auto q = eio::parse_query(query);
        ASSERT_TRUE(q) << query;
        EXPECT_EQ(q->eio, eio::version::v3) << query;
        EXPECT_EQ(q->transport, "polling") << query;
    }
}

TEST(EngineioParseQuery, MissingFieldsAreEmpty) {
    const auto none = eio::parse_query("");
    ASSERT_TRUE(none);
    EXPECT_EQ(none->eio, eio::version::v3);
    EXPECT_TRUE(none->transport.empty());
    EXPECT_TRUE(none->sid.empty());

    const auto no_transport = eio::parse_query("EIO=4&sid=abc");
    ASSERT_TRUE(no_transport);
    EXPECT_EQ(no_transport->eio, eio::version::v4);
    EXPECT_TRUE(no_transport->transport.empty());
    EXPECT_EQ(no_transport->sid, "abc");

    const auto bare_keys = eio::parse_query("EIO=4&transport&sid");
    ASSERT_TRUE(bare_keys);
    EXPECT_TRUE(bare_keys->transport.empty());
    EXPECT_TRUE(bare_keys->sid.empty());

    const auto separators_only = eio::parse_query("&&");
    ASSERT_TRUE(separators_only);
    EXPECT_EQ(separators_only->eio, eio::version::v3);
}

TEST(EngineioParseQuery, ValuesAreNotPercentDecoded) {
    const auto q = eio::parse_query("EIO=4&transport=poll%69ng&sid=a%2Fb");
    ASSERT_TRUE(q);
    EXPECT_EQ(q->transport, "poll%69ng");
    EXPECT_EQ(q->sid, "a%2Fb");
}

TEST(EngineioParseQuery, RepeatedKnownKeysAreRejected) {
    for (const std::string_view query :
         {"EIO=4&EIO=4&transport=polling"sv, "EIO=4&EIO=3&transport=polling"sv,
          "EIO=4&transport=polling&transport=websocket"sv, "EIO=4&transport=polling&sid=a&sid=b"sv,
          "EIO=4&transport=polling&sid=a&sid=a"sv, "EIO=4&transport=polling&sid&sid=a"sv}) {
        const auto q = eio::parse_query(query);
        ASSERT_FALSE(q) << query;
        EXPECT_EQ(q.error(), errc::bad_query) << query;
    }
}

TEST(EngineioParseQuery, RepeatedUnknownKeysAreIgnored) {
    const auto q = eio::parse_query("EIO=4&transport=polling&t=1&t=2&b64=1&b64=1");
    ASSERT_TRUE(q);
    EXPECT_EQ(q->eio, eio::version::v4);
}

TEST(EngineioParseQuery, BadPercentEscapesAreRejected) {
    for (const std::string_view query :
         {"EIO=4&transport=polling&sid=%zz"sv, "EIO=4&transport=polling&sid=%4"sv,
          "EIO=4&transport=polling&sid=%"sv, "EIO=%&transport=polling"sv,
          "%G0=1&EIO=4&transport=polling"sv}) {
        const auto q = eio::parse_query(query);
        ASSERT_FALSE(q) << query;
        EXPECT_EQ(q.error(), errc::bad_query) << query;
    }
}

TEST(EngineioParseQuery, CharactersOutsideRfc3986AreRejected) {
    // socket.io-client encodes every query value, so only hand-made requests carry these.
    for (const std::string_view query :
         {"EIO=4 &transport=polling"sv, "EIO=4&transport=polling&t=[x]"sv,
          "EIO=4&transport=polling&sid=\"a\""sv, "EIO=4&transport=polling&sid=a#b"sv}) {
        const auto q = eio::parse_query(query);
        ASSERT_FALSE(q) << query;
        EXPECT_EQ(q.error(), errc::bad_query) << query;
    }
}

TEST(EngineioParseTransport, KnownNames) {
    const auto polling = eio::parse_transport("polling");
    ASSERT_TRUE(polling);
    EXPECT_EQ(*polling, eio::transport::polling);
    const auto websocket = eio::parse_transport("websocket");
    ASSERT_TRUE(websocket);
    EXPECT_EQ(*websocket, eio::transport::websocket);
}

TEST(EngineioParseTransport, AnythingElseIsUnknown) {
    for (const std::string_view name :
         {""sv, "Polling"sv, "WEBSOCKET"sv, "websockets"sv, "poll"sv, "flashsocket"sv,
          "webtransport"sv, "polling "sv, std::string_view("polling\0", 8)}) {
        const auto t = eio::parse_transport(name);
        ASSERT_FALSE(t) << name;
        EXPECT_EQ(t.error(), errc::unknown_transport) << name;
    }
}

// ---------------------------------------------------------------------------------------------
// encode_http_error

TEST(EngineioHttpError, ExactBodies) {
    EXPECT_EQ(eio::encode_http_error(eio::http_error::unknown_transport),
              R"({"code":0,"message":"Transport unknown"})");
    EXPECT_EQ(eio::encode_http_error(eio::http_error::unknown_sid),
              R"({"code":1,"message":"Session ID unknown"})");
    EXPECT_EQ(eio::encode_http_error(eio::http_error::bad_handshake_method),
              R"({"code":2,"message":"Bad handshake method"})");
    EXPECT_EQ(eio::encode_http_error(eio::http_error::bad_request),
              R"({"code":3,"message":"Bad request"})");
    EXPECT_EQ(eio::encode_http_error(eio::http_error::forbidden),
              R"({"code":4,"message":"Forbidden"})");
    EXPECT_EQ(eio::encode_http_error(eio::http_error::unsupported_protocol_version),
              R"({"code":5,"message":"Unsupported protocol version"})");
}

} // namespace
