#include "switchboard/ice/turn_credentials.hpp"
#include "switchboard/ice/turn_rest.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using namespace switchboard::ice;
using namespace std::chrono_literals;

std::vector<secret> secrets(std::initializer_list<std::string_view> values) {
    std::vector<secret> out;
    for (const auto v : values) {
        out.emplace_back(v);
    }
    return out;
}

turn_rest made(std::vector<std::string> urls, std::vector<secret> keys,
               std::chrono::seconds ttl = default_turn_ttl,
               user_format format = user_format::easyrtcid) {
    auto rest = turn_rest::make(std::move(urls), std::move(keys), ttl, format);
    EXPECT_TRUE(rest.has_value()) << (rest ? "" : rest.error().message);
    return std::move(rest).value();
}

std::string error_of(std::vector<std::string> urls, std::vector<secret> keys,
                     std::chrono::seconds ttl = default_turn_ttl) {
    auto rest = turn_rest::make(std::move(urls), std::move(keys), ttl);
    EXPECT_FALSE(rest.has_value());
    return rest ? std::string{} : rest.error().message;
}

const std::vector<std::string> one_url{"turn:turn.example.org:3478?transport=udp"};

TEST(turn_rest, defaults) {
    EXPECT_EQ(default_turn_ttl, 86400s);
    const auto rest = made(one_url, secrets({"secret"}));
    EXPECT_EQ(rest.ttl(), 86400s);
    EXPECT_EQ(rest.format(), user_format::easyrtcid);
    EXPECT_EQ(rest.urls(), one_url);
}

TEST(turn_rest, mints_known_vector_with_expiry_now_plus_ttl) {
    // 1700000000 s plus the default day is 1700086400 (see turn_credentials_test for the vector).
    const auto rest =
        made({"turn:t:3478?transport=udp", "turns:t:5349?transport=tcp"}, secrets({"secret"}));
    EXPECT_EQ(rest.mint("pcKIy6owr0poKePA", "", 1'700'000'000'000),
              (ice_server{{"turn:t:3478?transport=udp", "turns:t:5349?transport=tcp"},
                          "1700086400:pcKIy6owr0poKePA",
                          "m30VLWV7wIWvfvniatfEGljiSIE="}));
}

TEST(turn_rest, expiry_floors_milliseconds) {
    const auto rest = made(one_url, secrets({"secret"}), 3600s);
    EXPECT_EQ(rest.mint("a", "", 1'700'000'000'999).username, "1700003600:a");
    EXPECT_EQ(rest.mint("a", "", 1'700'000'001'000).username, "1700003601:a");
    EXPECT_EQ(rest.mint("Vnqvef5dJqDNdHWQ", "", 1'700'000'000'500),
              (ice_server{one_url, "1700003600:Vnqvef5dJqDNdHWQ", "Y2QmrmqdGZrHqSB8/vVWqddcNyY="}));
    EXPECT_EQ(rest.mint("a", "", 0).username, "3600:a");
    const auto one_second = made(one_url, secrets({"secret"}), 1s);
    EXPECT_EQ(one_second.mint("a", "", 999).username, "1:a");
}

TEST(turn_rest, user_format_username_and_its_fallback) {
    const auto by_name =
        made(one_url, secrets({"secret"}), default_turn_ttl, user_format::username);
    EXPECT_EQ(by_name.mint("pcKIy6owr0poKePA", "alice", 1'700'000'000'000),
              (ice_server{one_url, "1700086400:alice", "bQkkJ09au//1ZGbK+3Pt69JC3qg="}));
    // No username set: the easyrtcid stands in.
    EXPECT_EQ(by_name.mint("pcKIy6owr0poKePA", "", 1'700'000'000'000).username,
              "1700086400:pcKIy6owr0poKePA");
    // easyrtcid format ignores a username.
    const auto by_id = made(one_url, secrets({"secret"}));
    EXPECT_EQ(by_id.mint("pcKIy6owr0poKePA", "alice", 1'700'000'000'000).username,
              "1700086400:pcKIy6owr0poKePA");
}

TEST(turn_rest, mints_with_the_first_secret) {
    const auto rest = made(one_url, secrets({"south-wind-2025", "north-wind-2024"}));
    EXPECT_EQ(rest.mint("pcKIy6owr0poKePA", "", 1'700'000'000'000).credential,
              "fM+RvOdtnMmwcbt84jas0EV9GCk=");
}

TEST(turn_rest, replace_secrets_rotates) {
    auto rest = made(one_url, secrets({"north-wind-2024"}));
    EXPECT_EQ(rest.mint("pcKIy6owr0poKePA", "", 1'700'000'000'000).credential,
              "0Ol0x0iKbfb6l8Bu4OXEkbr33T8=");
    ASSERT_TRUE(rest.replace_secrets(secrets({"south-wind-2025", "north-wind-2024"})));
    EXPECT_EQ(rest.mint("pcKIy6owr0poKePA", "", 1'700'000'000'000).credential,
              "fM+RvOdtnMmwcbt84jas0EV9GCk=");
}

TEST(turn_rest, bad_replacement_keeps_the_current_secret) {
    auto rest = made(one_url, secrets({"north-wind-2024"}));
    const auto replaced = rest.replace_secrets(secrets({"south-wind-2025", ""}));
    ASSERT_FALSE(replaced);
    EXPECT_EQ(replaced.error().message, "TURN secret 2 is empty");
    EXPECT_FALSE(rest.replace_secrets({}));
    EXPECT_EQ(rest.mint("pcKIy6owr0poKePA", "", 1'700'000'000'000).credential,
              "0Ol0x0iKbfb6l8Bu4OXEkbr33T8=");
}

TEST(turn_rest, urls_must_be_turn) {
    EXPECT_EQ(error_of({}, secrets({"s"})), "TURN REST needs at least one turn: or turns: URL");
    EXPECT_EQ(error_of({"turn:t", "stun:t"}, secrets({"s"})),
              "TURN URL \"stun:t\": must be a turn: or turns: URL");
    EXPECT_EQ(error_of({"stuns:t"}, secrets({"s"})),
              "TURN URL \"stuns:t\": must be a turn: or turns: URL");
    EXPECT_EQ(error_of({"turn:t:70000"}, secrets({"s"})),
              "TURN URL \"turn:t:70000\": port must be a number from 1 to 65535");
    EXPECT_EQ(error_of({"turn:t?transport=sctp"}, secrets({"s"})),
              "TURN URL \"turn:t?transport=sctp\": the only query allowed is ?transport=udp or "
              "?transport=tcp");
}

TEST(turn_rest, secrets_are_checked) {
    EXPECT_EQ(error_of(one_url, {}), "TURN REST needs at least one secret");
    EXPECT_EQ(error_of(one_url, secrets({""})), "TURN secret 1 is empty");
    EXPECT_EQ(error_of(one_url, secrets({"ok", "line\n"})),
              "TURN secret 2 contains a control character (a trailing newline?)");
    EXPECT_EQ(error_of(one_url, secrets({"a\rb"})),
              "TURN secret 1 contains a control character (a trailing newline?)");
    EXPECT_EQ(error_of(one_url, secrets({"a\x7f"})),
              "TURN secret 1 contains a control character (a trailing newline?)");
    EXPECT_EQ(error_of(one_url, {secret{std::string{"a\0b", 3}}}),
              "TURN secret 1 contains a control character (a trailing newline?)");
    EXPECT_EQ(error_of(one_url, {secret{std::string(257, 'k')}}),
              "TURN secret 1 is longer than 256 bytes");
    EXPECT_TRUE(turn_rest::make(one_url, {secret{std::string(256, 'k')}}));
    EXPECT_TRUE(turn_rest::make(one_url, secrets({"caf\xc3\xa9 with spaces"})));
}

TEST(turn_rest, ttl_bounds) {
    const std::string what = "TURN credential lifetime must be from 1 to 31536000 seconds";
    EXPECT_EQ(error_of(one_url, secrets({"s"}), 0s), what);
    EXPECT_EQ(error_of(one_url, secrets({"s"}), -5s), what);
    EXPECT_EQ(error_of(one_url, secrets({"s"}), max_turn_ttl + 1s), what);
    EXPECT_TRUE(turn_rest::make(one_url, secrets({"s"}), 1s));
    EXPECT_TRUE(turn_rest::make(one_url, secrets({"s"}), max_turn_ttl));
}

TEST(parse_user_format, both_names) {
    EXPECT_EQ(parse_user_format("easyrtcid").value(), user_format::easyrtcid);
    EXPECT_EQ(parse_user_format("username").value(), user_format::username);
    for (const std::string_view bad : {"", "Username", "easyrtcId", "user", "username "}) {
        const auto parsed = parse_user_format(bad);
        ASSERT_FALSE(parsed) << bad;
        EXPECT_EQ(parsed.error().message, "TURN user format \"" + std::string{bad} +
                                              "\" is not one of: easyrtcid, username");
    }
}

} // namespace
