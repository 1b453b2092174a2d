#include "switchboard/protocol/errc.hpp"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace {

using switchboard::protocol::errc;

TEST(ProtocolErrc, CategoryName) {
    EXPECT_STREQ(switchboard::protocol::protocol_category().name(), "switchboard.protocol");
}

TEST(ProtocolErrc, EveryEnumeratorHasItsOwnMessage) {
    std::set<std::string> messages;
    for (int v = static_cast<int>(errc::empty_packet);
         v <= static_cast<int>(errc::unknown_transport); ++v) {
        const boost::system::error_code ec = static_cast<errc>(v);
        EXPECT_EQ(&ec.category(), &switchboard::protocol::protocol_category());
        EXPECT_EQ(ec.value(), v);
        EXPECT_TRUE(ec.failed());
        const std::string message = ec.message();
        EXPECT_FALSE(message.empty());
        EXPECT_NE(message, "unknown protocol error") << v;
        EXPECT_TRUE(messages.insert(message).second) << "duplicate message: " << message;
    }
}

TEST(ProtocolErrc, SpecificMessages) {
    EXPECT_EQ(make_error_code(errc::bad_payload_length).message(),
              "malformed payload length prefix");
    EXPECT_EQ(make_error_code(errc::not_an_event_array).message(),
              "event data is not an array starting with the event name");
}

TEST(ProtocolErrc, ComparesWithTheEnumAndNotOtherCategories) {
    const boost::system::error_code ec = errc::bad_json;
    EXPECT_EQ(ec, errc::bad_json);
    EXPECT_NE(ec, errc::bad_ack_id);
    EXPECT_NE(ec, boost::system::error_code(static_cast<int>(errc::bad_json),
                                            boost::system::generic_category()));
}

TEST(ProtocolErrc, UnknownValueStillHasAMessage) {
    const boost::system::error_code ec(999, switchboard::protocol::protocol_category());
    EXPECT_EQ(ec.message(), "unknown protocol error");
}

} // namespace
