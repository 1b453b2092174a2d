#include "switchboard/ice/provider.hpp"

#include <boost/json/serialize.hpp>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using namespace switchboard::ice;
using namespace std::chrono_literals;

constexpr std::int64_t now_ms = 1'700'000'000'000;

std::vector<secret> secrets(std::initializer_list<std::string_view> values) {
    std::vector<secret> out;
    for (const auto v : values) {
        out.emplace_back(v);
    }
    return out;
}

turn_rest rest(std::vector<std::string> urls, std::vector<secret> keys,
               std::chrono::seconds ttl = default_turn_ttl,
               user_format format = user_format::easyrtcid) {
    return turn_rest::make(std::move(urls), std::move(keys), ttl, format).value();
}

std::string servers_json(const provider& p, std::string_view app, std::string_view easyrtcid,
                         std::string_view username = "") {
    return boost::json::serialize(p.servers_for(app, easyrtcid, username, now_ms));
}

TEST(provider, default_stun_only) {
    const provider p{{default_ice_servers(), std::nullopt}};
    EXPECT_EQ(servers_json(p, "default", "pcKIy6owr0poKePA"),
              R"([{"urls":["stun:stun.l.google.com:19302"]},)"
              R"({"urls":["stun:stun.cloudflare.com:3478"]}])");
    EXPECT_EQ(p.credential_lifetime("default"), std::nullopt);
}

TEST(provider, nothing_configured_gives_an_empty_list) {
    const provider p{{}};
    EXPECT_EQ(servers_json(p, "default", "pcKIy6owr0poKePA"), "[]");
}

TEST(provider, static_entries_then_minted_turn_entry) {
    const auto statics =
        parse_ice_servers(R"([{"urls":"stun:stun.example.org:3478"},)"
                          R"({"urls":"turn:static.example.org","username":"u","credential":"p"}])")
            .value();
    const provider p{{statics, rest({"turn:t:3478?transport=udp", "turns:t:5349?transport=tcp"},
                                    secrets({"secret"}))}};
    EXPECT_EQ(servers_json(p, "easyrtc.audioVideoSimple", "pcKIy6owr0poKePA"),
              R"([{"urls":["stun:stun.example.org:3478"]},)"
              R"({"urls":["turn:static.example.org"],"username":"u","credential":"p"},)"
              R"({"urls":["turn:t:3478?transport=udp","turns:t:5349?transport=tcp"],)"
              R"("username":"1700086400:pcKIy6owr0poKePA",)"
              R"("credential":"m30VLWV7wIWvfvniatfEGljiSIE="}])");
    EXPECT_EQ(p.credential_lifetime("easyrtc.audioVideoSimple"), 86400s);
}

TEST(provider, credentials_are_minted_per_call) {
    const provider p{{{}, rest({"turn:t"}, secrets({"secret"}), 3600s)}};
    const auto first = p.servers_for("default", "Vnqvef5dJqDNdHWQ", "", now_ms);
    EXPECT_EQ(boost::json::serialize(first),
              R"([{"urls":["turn:t"],"username":"1700003600:Vnqvef5dJqDNdHWQ",)"
              R"("credential":"Y2QmrmqdGZrHqSB8/vVWqddcNyY="}])");
    const auto later = p.servers_for("default", "Vnqvef5dJqDNdHWQ", "", now_ms + 82'800'000);
    EXPECT_EQ(later.at(0).at("username"), "1700086400:Vnqvef5dJqDNdHWQ");
    const auto other = p.servers_for("default", "pcKIy6owr0poKePA", "", now_ms);
    EXPECT_EQ(other.at(0).at("username"), "1700003600:pcKIy6owr0poKePA");
}

TEST(provider, username_format_with_fallback) {
    const provider p{
        {{}, rest({"turn:t"}, secrets({"secret"}), default_turn_ttl, user_format::username)}};
    EXPECT_EQ(servers_json(p, "default", "pcKIy6owr0poKePA", "alice"),
              R"([{"urls":["turn:t"],"username":"1700086400:alice",)"
              R"("credential":"bQkkJ09au//1ZGbK+3Pt69JC3qg="}])");
    EXPECT_EQ(servers_json(p, "default", "pcKIy6owr0poKePA", ""),
              R"([{"urls":["turn:t"],"username":"1700086400:pcKIy6owr0poKePA",)"
              R"("credential":"m30VLWV7wIWvfvniatfEGljiSIE="}])");
}

provider with_override() {
    std::map<std::string, ice_settings, std::less<>> apps;
    apps.emplace("private.app",
                 ice_settings{{ice_server{{"stun:stun.private.example:3478"}, "", ""}},
                              rest({"turns:relay.private.example:5349?transport=tcp"},
                                   secrets({"south-wind-2025"}), 3600s)});
    apps.emplace("lan.app", ice_settings{});
    return provider{{default_ice_servers(), rest({"turn:t"}, secrets({"north-wind-2024"}))},
                    std::move(apps)};
}

TEST(provider, per_app_override_replaces_the_defaults_entirely) {
    const auto p = with_override();
    // ttl 3600 s, secret south-wind-2025; vector from the openssl command line.
    EXPECT_EQ(servers_json(p, "private.app", "pcKIy6owr0poKePA"),
              R"([{"urls":["stun:stun.private.example:3478"]},)"
              R"({"urls":["turns:relay.private.example:5349?transport=tcp"],)"
              R"("username":"1700003600:pcKIy6owr0poKePA",)"
              R"("credential":"F5XO37hMFtk0g7Dx6x/ZbQh1HeA="}])");
    EXPECT_EQ(p.credential_lifetime("private.app"), 3600s);
    EXPECT_EQ(servers_json(p, "lan.app", "pcKIy6owr0poKePA"), "[]");
    EXPECT_EQ(p.credential_lifetime("lan.app"), std::nullopt);
}

TEST(provider, other_apps_use_the_defaults) {
    const auto p = with_override();
    const auto expected = R"([{"urls":["stun:stun.l.google.com:19302"]},)"
                          R"({"urls":["stun:stun.cloudflare.com:3478"]},)"
                          R"({"urls":["turn:t"],"username":"1700086400:pcKIy6owr0poKePA",)"
                          R"("credential":"0Ol0x0iKbfb6l8Bu4OXEkbr33T8="}])";
    EXPECT_EQ(servers_json(p, "default", "pcKIy6owr0poKePA"), expected);
    // App names match exactly, as EasyRTC's do.
    EXPECT_EQ(servers_json(p, "Private.App", "pcKIy6owr0poKePA"), expected);
    EXPECT_EQ(servers_json(p, "", "pcKIy6owr0poKePA"), expected);
    EXPECT_EQ(p.credential_lifetime("default"), 86400s);
}

TEST(provider, rotate_default_secrets) {
    auto p = with_override();
    ASSERT_TRUE(p.replace_default_secrets(secrets({"south-wind-2025", "north-wind-2024"})));
    const auto servers = p.servers_for("default", "pcKIy6owr0poKePA", "", now_ms);
    EXPECT_EQ(servers.at(2).at("credential"), "fM+RvOdtnMmwcbt84jas0EV9GCk=");
    // The override keeps its own secret.
    const auto own = p.servers_for("private.app", "pcKIy6owr0poKePA", "", now_ms);
    EXPECT_EQ(own.at(1).at("credential"), "F5XO37hMFtk0g7Dx6x/ZbQh1HeA=");
}

TEST(provider, rotate_app_secrets) {
    auto p = with_override();
    ASSERT_TRUE(p.replace_app_secrets("private.app", secrets({"secret"})));
    const auto servers = p.servers_for("private.app", "Vnqvef5dJqDNdHWQ", "", now_ms);
    EXPECT_EQ(servers.at(1).at("credential"), "Y2QmrmqdGZrHqSB8/vVWqddcNyY=");
    // The defaults are untouched.
    const auto defaults = p.servers_for("default", "pcKIy6owr0poKePA", "", now_ms);
    EXPECT_EQ(defaults.at(2).at("credential"), "0Ol0x0iKbfb6l8Bu4OXEkbr33T8=");
}

TEST(provider, rotation_errors) {
    auto p = with_override();
    auto r = p.replace_app_secrets("lan.app", secrets({"s"}));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, "application \"lan.app\" has no TURN REST credentials of its own");
    r = p.replace_app_secrets("default", secrets({"s"}));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, "application \"default\" has no TURN REST credentials of its own");
    r = p.replace_default_secrets(secrets({""}));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, "TURN secret 1 is empty");
    // A failed rotation keeps the old secret.
    EXPECT_EQ(p.servers_for("default", "pcKIy6owr0poKePA", "", now_ms).at(2).at("credential"),
              "0Ol0x0iKbfb6l8Bu4OXEkbr33T8=");

    provider stun_only{{default_ice_servers(), std::nullopt}};
    r = stun_only.replace_default_secrets(secrets({"s"}));
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, "TURN REST credentials are not configured");
}

} // namespace
