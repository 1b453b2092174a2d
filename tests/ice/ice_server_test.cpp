#include "switchboard/ice/ice_server.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

namespace {

using namespace switchboard::ice;

std::vector<ice_server> parsed(std::string_view json) {
    auto servers = parse_ice_servers(json);
    EXPECT_TRUE(servers.has_value()) << json << ": " << (servers ? "" : servers.error().message);
    return servers ? *servers : std::vector<ice_server>{};
}

std::string error_of(std::string_view json) {
    auto servers = parse_ice_servers(json);
    EXPECT_FALSE(servers.has_value()) << json << " was accepted";
    return servers ? std::string{} : servers.error().message;
}

TEST(parse_ice_servers, brief_example) {
    const auto servers =
        parsed(R"([{"urls":"stun:host:3478"},)"
               R"({"urls":["turn:h:3478?transport=udp","turns:h:5349?transport=tcp"],)"
               R"("username":"u","credential":"p"}])");
    ASSERT_EQ(servers.size(), 2U);
    EXPECT_EQ(servers[0], (ice_server{{"stun:host:3478"}, "", ""}));
    EXPECT_EQ(servers[1],
              (ice_server{{"turn:h:3478?transport=udp", "turns:h:5349?transport=tcp"}, "u", "p"}));
}

TEST(parse_ice_servers, empty_array_means_no_servers) {
    EXPECT_TRUE(parsed("[]").empty());
    EXPECT_TRUE(parsed(" [ ] ").empty());
}

TEST(parse_ice_servers, legacy_url_is_accepted) {
    EXPECT_EQ(parsed(R"([{"url":"stun:stun.sipgate.net"}])"),
              (std::vector<ice_server>{{{"stun:stun.sipgate.net"}, "", ""}}));
    EXPECT_EQ(parsed(R"([{"url":["turn:t","turns:t"],"username":"a","credential":"b"}])"),
              (std::vector<ice_server>{{{"turn:t", "turns:t"}, "a", "b"}}));
}

TEST(parse_ice_servers, keeps_order_and_several_stun_urls_in_one_entry) {
    const auto servers = parsed(R"([{"urls":["stun:a","stuns:b:5349"]},{"urls":"stun:c"}])");
    ASSERT_EQ(servers.size(), 2U);
    EXPECT_EQ(servers[0].urls, (std::vector<std::string>{"stun:a", "stuns:b:5349"}));
    EXPECT_EQ(servers[1].urls, (std::vector<std::string>{"stun:c"}));
}

TEST(parse_ice_servers, accepts_a_json_value_too) {
    const auto value = boost::json::parse(R"([{"urls":"stun:a"}])");
    const auto servers = ice_servers_from_json(value);
    ASSERT_TRUE(servers.has_value());
    EXPECT_EQ(*servers, (std::vector<ice_server>{{{"stun:a"}, "", ""}}));
}

TEST(parse_ice_servers, invalid_json) {
    EXPECT_TRUE(error_of("").starts_with("ice servers: invalid JSON ("));
    EXPECT_TRUE(error_of("[{\"urls\":\"stun:a\"}").starts_with("ice servers: invalid JSON ("));
    EXPECT_TRUE(error_of("[] []").starts_with("ice servers: invalid JSON ("));
    EXPECT_TRUE(error_of("stun:a").starts_with("ice servers: invalid JSON ("));
}

TEST(parse_ice_servers, top_level_must_be_an_array) {
    const std::string what = "ice servers: must be a JSON array of RTCIceServer objects";
    EXPECT_EQ(error_of(R"({"urls":"stun:a"})"), what);
    EXPECT_EQ(error_of(R"("stun:a")"), what);
    EXPECT_EQ(error_of("null"), what);
    EXPECT_EQ(error_of("3"), what);
}

TEST(parse_ice_servers, entries_must_be_objects) {
    EXPECT_EQ(error_of(R"(["stun:a"])"), "ice servers[0]: must be an object");
    EXPECT_EQ(error_of(R"([{"urls":"stun:a"},null])"), "ice servers[1]: must be an object");
    EXPECT_EQ(error_of(R"([{"urls":"stun:a"},[]])"), "ice servers[1]: must be an object");
}

TEST(parse_ice_servers, names_the_bad_url) {
    EXPECT_EQ(error_of(R"([{"urls":"stun:a"},{"urls":["stun:b","stun:c:0"]}])"),
              "ice servers[1].urls[1] \"stun:c:0\": port must be a number from 1 to 65535");
    EXPECT_EQ(
        error_of(R"([{"urls":"stun://a"}])"),
        "ice servers[0].urls \"stun://a\": no \"//\" after the scheme (write stun:host:port)");
    EXPECT_EQ(error_of(R"([{"url":"http:a"}])"),
              "ice servers[0].url \"http:a\": unsupported scheme "
              "(expected stun:, stuns:, turn: or turns:)");
}

TEST(parse_ice_servers, urls_shape) {
    EXPECT_EQ(error_of(R"([{}])"), "ice servers[0]: missing \"urls\"");
    EXPECT_EQ(error_of(R"([{"username":"u","credential":"p"}])"),
              "ice servers[0]: missing \"urls\"");
    EXPECT_EQ(error_of(R"([{"urls":[]}])"), "ice servers[0]: \"urls\" must not be empty");
    EXPECT_EQ(error_of(R"([{"url":[]}])"), "ice servers[0]: \"url\" must not be empty");
    EXPECT_EQ(error_of(R"([{"urls":null}])"),
              "ice servers[0]: \"urls\" must be a string or an array of strings");
    EXPECT_EQ(error_of(R"([{"urls":{"a":"stun:a"}}])"),
              "ice servers[0]: \"urls\" must be a string or an array of strings");
    EXPECT_EQ(error_of(R"([{"urls":["stun:a",3]}])"), "ice servers[0].urls[1]: must be a string");
    EXPECT_EQ(error_of(R"([{"urls":"stun:a","url":"stun:a"}])"),
              "ice servers[0]: has both \"urls\" and the legacy \"url\"; keep \"urls\"");
}

TEST(parse_ice_servers, unknown_fields) {
    EXPECT_EQ(error_of(R"([{"urls":"turn:t","username":"u","password":"p"}])"),
              "ice servers[0]: \"password\" is not an RTCIceServer field; use \"credential\"");
    EXPECT_EQ(error_of(R"([{"urls":"stun:a","credentialType":"password"}])"),
              "ice servers[0]: unknown field \"credentialType\" "
              "(allowed: urls, username, credential)");
    EXPECT_EQ(error_of(R"([{"URLS":"stun:a"}])"),
              "ice servers[0]: unknown field \"URLS\" (allowed: urls, username, credential)");
}

TEST(parse_ice_servers, stun_entries_carry_no_credentials) {
    const std::string what = "ice servers[0]: STUN entries take no username or credential";
    EXPECT_EQ(error_of(R"([{"urls":"stun:a","username":"u","credential":"p"}])"), what);
    EXPECT_EQ(error_of(R"([{"urls":"stun:a","username":"u"}])"), what);
    EXPECT_EQ(error_of(R"([{"urls":"stuns:a","credential":""}])"), what);
}

TEST(parse_ice_servers, static_turn_entries_need_both_credentials) {
    const std::string what = "ice servers[0]: TURN entries need a non-empty \"username\" and "
                             "\"credential\" (or use TURN REST credentials instead)";
    EXPECT_EQ(error_of(R"([{"urls":"turn:t"}])"), what);
    EXPECT_EQ(error_of(R"([{"urls":"turn:t","username":"u"}])"), what);
    EXPECT_EQ(error_of(R"([{"urls":"turns:t","credential":"p"}])"), what);
    EXPECT_EQ(error_of(R"([{"urls":"turn:t","username":"","credential":"p"}])"), what);
    EXPECT_EQ(error_of(R"([{"urls":"turn:t","username":"u","credential":""}])"), what);
}

TEST(parse_ice_servers, credentials_must_be_strings) {
    EXPECT_EQ(error_of(R"([{"urls":"turn:t","username":1,"credential":"p"}])"),
              "ice servers[0]: \"username\" must be a string");
    EXPECT_EQ(error_of(R"([{"urls":"turn:t","username":"u","credential":{"k":1}}])"),
              "ice servers[0]: \"credential\" must be a string");
}

TEST(parse_ice_servers, stun_and_turn_are_not_mixed) {
    EXPECT_EQ(error_of(R"([{"urls":["stun:a","turn:a"],"username":"u","credential":"p"}])"),
              "ice servers[0]: mixes STUN and TURN URLs; put them in separate entries");
}

TEST(parse_ice_servers, value_throws_the_message_at_startup) {
    try {
        (void)parse_ice_servers(R"([{"urls":"stun:a:0"}])").value();
        FAIL() << "no exception";
    } catch (const std::runtime_error& e) {
        EXPECT_STREQ(e.what(),
                     "ice servers[0].urls \"stun:a:0\": port must be a number from 1 to 65535");
    }
}

TEST(to_json, stun_entry_has_only_urls) {
    EXPECT_EQ(boost::json::serialize(to_json({{"stun:a:3478"}, "", ""})),
              R"({"urls":["stun:a:3478"]})");
}

TEST(to_json, turn_entry_has_urls_username_credential_in_that_order) {
    EXPECT_EQ(boost::json::serialize(to_json({{"turn:t?transport=udp", "turns:t"}, "u", "p\"w"})),
              R"({"urls":["turn:t?transport=udp","turns:t"],"username":"u","credential":"p\"w"})");
}

TEST(default_ice_servers, are_valid_public_stun_entries) {
    const auto servers = default_ice_servers();
    ASSERT_EQ(servers.size(), default_stun_urls.size());
    EXPECT_EQ(servers[0], (ice_server{{"stun:stun.l.google.com:19302"}, "", ""}));
    // Round trip through the parser: the defaults obey the same rules as operator input.
    boost::json::array json;
    for (const auto& server : servers) {
        json.emplace_back(to_json(server));
    }
    const auto reparsed = ice_servers_from_json(boost::json::value(std::move(json)));
    ASSERT_TRUE(reparsed.has_value()) << reparsed.error().message;
    EXPECT_EQ(*reparsed, servers);
    EXPECT_LE(servers.size(), 4U);
}

} // namespace
