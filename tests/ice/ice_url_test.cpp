#include "switchboard/ice/ice_url.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using namespace switchboard::ice;

ice_url parsed(std::string_view text) {
    auto url = parse_ice_url(text);
    EXPECT_TRUE(url.has_value()) << text << ": " << (url ? "" : url.error().message);
    return url ? *url : ice_url{};
}

std::string error_of(std::string_view text) {
    auto url = parse_ice_url(text);
    EXPECT_FALSE(url.has_value()) << text << " was accepted";
    return url ? std::string{} : url.error().message;
}

TEST(ice_url, stun_with_name_and_port) {
    EXPECT_EQ(parsed("stun:stun.l.google.com:19302"),
              (ice_url{ice_scheme::stun, "stun.l.google.com", 19302, std::nullopt}));
}

TEST(ice_url, every_scheme) {
    EXPECT_EQ(parsed("stun:h").scheme, ice_scheme::stun);
    EXPECT_EQ(parsed("stuns:h").scheme, ice_scheme::stuns);
    EXPECT_EQ(parsed("turn:h").scheme, ice_scheme::turn);
    EXPECT_EQ(parsed("turns:h").scheme, ice_scheme::turns);
    EXPECT_FALSE(is_turn(ice_scheme::stun));
    EXPECT_FALSE(is_turn(ice_scheme::stuns));
    EXPECT_TRUE(is_turn(ice_scheme::turn));
    EXPECT_TRUE(is_turn(ice_scheme::turns));
}

TEST(ice_url, port_is_optional) {
    EXPECT_EQ(parsed("stun:stun.sipgate.net"),
              (ice_url{ice_scheme::stun, "stun.sipgate.net", std::nullopt, std::nullopt}));
}

TEST(ice_url, port_bounds) {
    EXPECT_EQ(parsed("turn:h:1").port, 1);
    EXPECT_EQ(parsed("turn:h:65535").port, 65535);
    EXPECT_EQ(parsed("turn:h:3478").port, 3478);
}

TEST(ice_url, turn_transports) {
    EXPECT_EQ(parsed("turn:turn.example.org:3478?transport=udp"),
              (ice_url{ice_scheme::turn, "turn.example.org", 3478, ice_transport::udp}));
    EXPECT_EQ(parsed("turns:turn.example.org:5349?transport=tcp"),
              (ice_url{ice_scheme::turns, "turn.example.org", 5349, ice_transport::tcp}));
    EXPECT_EQ(parsed("turn:10.0.0.1?transport=tcp"),
              (ice_url{ice_scheme::turn, "10.0.0.1", std::nullopt, ice_transport::tcp}));
}

TEST(ice_url, ipv4_hosts) {
    EXPECT_EQ(parsed("stun:217.10.68.152:10000"),
              (ice_url{ice_scheme::stun, "217.10.68.152", 10000, std::nullopt}));
    EXPECT_EQ(parsed("turn:127.0.0.1").host, "127.0.0.1");
    EXPECT_EQ(parsed("turn:255.255.255.255").host, "255.255.255.255");
}

TEST(ice_url, ipv6_hosts_keep_their_brackets) {
    EXPECT_EQ(parsed("turn:[::1]:3478?transport=udp"),
              (ice_url{ice_scheme::turn, "[::1]", 3478, ice_transport::udp}));
    EXPECT_EQ(parsed("stun:[2001:db8::1]"),
              (ice_url{ice_scheme::stun, "[2001:db8::1]", std::nullopt, std::nullopt}));
    EXPECT_EQ(parsed("stun:[::ffff:192.0.2.1]:19302").port, 19302);
}

TEST(ice_url, host_names) {
    EXPECT_EQ(parsed("stun:localhost").host, "localhost");
    EXPECT_EQ(parsed("stun:Stun-1.Example.COM").host, "Stun-1.Example.COM");
    EXPECT_EQ(parsed("stun:a.b-c.d9").host, "a.b-c.d9");
    EXPECT_EQ(parsed("stun:1.2.3.com").host, "1.2.3.com");
    const std::string label63(63, 'a');
    EXPECT_EQ(parsed("stun:" + label63 + ".com").host, label63 + ".com");
}

TEST(ice_url, error_quotes_the_url) {
    EXPECT_EQ(error_of("stun:h:0"), "\"stun:h:0\": port must be a number from 1 to 65535");
}

TEST(ice_url, bad_schemes) {
    const std::string expected = "(expected stun:, stuns:, turn: or turns:)";
    EXPECT_EQ(error_of("stun.l.google.com"), "\"stun.l.google.com\": missing scheme " + expected);
    EXPECT_EQ(error_of(""), "\"\": missing scheme " + expected);
    EXPECT_EQ(error_of("http://h"), "\"http://h\": unsupported scheme " + expected);
    EXPECT_EQ(error_of("STUN:h"), "\"STUN:h\": unsupported scheme " + expected);
    EXPECT_EQ(error_of("turnx:h"), "\"turnx:h\": unsupported scheme " + expected);
    EXPECT_EQ(error_of(":h"), "\":h\": unsupported scheme " + expected);
    EXPECT_EQ(error_of(" stun:h"), "\" stun:h\": unsupported scheme " + expected);
}

TEST(ice_url, slashes_after_scheme) {
    EXPECT_EQ(error_of("stun://h:3478"),
              "\"stun://h:3478\": no \"//\" after the scheme (write stun:host:port)");
    EXPECT_EQ(error_of("turn://h"),
              "\"turn://h\": no \"//\" after the scheme (write stun:host:port)");
}

TEST(ice_url, bad_ports) {
    const std::string what = ": port must be a number from 1 to 65535";
    for (const std::string url : {"stun:h:0", "stun:h:65536", "stun:h:99999", "stun:h:123456",
                                  "stun:h:", "stun:h:-1", "stun:h:+1", "stun:h:080", "stun:h:1a",
                                  "stun:h:3478 ", "turn:[::1]:", "turn:[::1]:0", "turn:h:x"}) {
        EXPECT_EQ(error_of(url), "\"" + url + "\"" + what);
    }
}

TEST(ice_url, bad_hosts) {
    const auto expect = [](const std::string& url, const std::string& what) {
        EXPECT_EQ(error_of(url), "\"" + url + "\": " + what);
    };
    expect("stun:", "missing host");
    expect("stun::3478", "missing host");
    expect("turn:?transport=udp", "missing host");
    expect("stun:-h.com", "invalid host name");
    expect("stun:h-.com", "invalid host name");
    expect("stun:h..com", "invalid host name");
    expect("stun:h.com.", "invalid host name");
    expect("stun:.h.com", "invalid host name");
    expect("stun:h_1.com", "invalid host name");
    expect("stun:h%2e.com", "invalid host name");
    expect("stun:h com", "invalid host name");
    expect("stun:h/path", "invalid host name");
    expect("stun:h#frag", "invalid host name");
    expect("stun:" + std::string(64, 'a') + ".com", "invalid host name");
    std::string long_name;
    for (int i = 0; i < 4; ++i) {
        long_name += std::string(63, 'a') + ".";
    }
    long_name += "com"; // 259 characters
    expect("stun:" + long_name, "invalid host name");
    expect("stun:256.1.1.1", "invalid IPv4 address");
    expect("stun:1.2.3", "invalid IPv4 address");
    expect("stun:1.2.3.4.5", "invalid IPv4 address");
    expect("stun:01.2.3.4", "invalid IPv4 address");
    expect("stun:1..2.3", "invalid IPv4 address");
    expect("stun:12345", "invalid IPv4 address");
    expect("stun:[::1", "IPv6 address without closing \"]\"");
    expect("stun:[]", "invalid IPv6 address");
    expect("stun:[::g]", "invalid IPv6 address");
    expect("stun:[1.2.3.4]", "invalid IPv6 address");
    expect("stun:[fe80::1%25eth0]", "invalid IPv6 address");
    expect("stun:[::1]x", "unexpected characters after the IPv6 address");
    expect("stun:[::1]]:3478", "unexpected characters after the IPv6 address");
    expect("stun:::1", "IPv6 addresses must be in brackets, e.g. stun:[::1]:3478");
    expect("stun:2001:db8::1", "IPv6 addresses must be in brackets, e.g. stun:[::1]:3478");
    expect("turn:h:3478:1", "IPv6 addresses must be in brackets, e.g. stun:[::1]:3478");
}

TEST(ice_url, user_info_is_refused) {
    const std::string what = ": no user info in ICE URLs (use \"username\" and \"credential\")";
    for (const std::string url : {"turn:user@h", "turn:user:pass@h:3478", "turn:@h"}) {
        EXPECT_EQ(error_of(url), "\"" + url + "\"" + what);
    }
}

TEST(ice_url, queries) {
    const std::string stun_query = ": STUN URLs take no query (?transport= is for TURN only)";
    for (const std::string url :
         {"stun:h?transport=udp", "stuns:h:5349?transport=tcp", "stun:h?"}) {
        EXPECT_EQ(error_of(url), "\"" + url + "\"" + stun_query);
    }
    const std::string turn_query = ": the only query allowed is ?transport=udp or ?transport=tcp";
    for (const std::string url :
         {"turn:h?", "turn:h?transport=", "turn:h?transport=sctp", "turn:h?transport=UDP",
          "turn:h?Transport=udp", "turn:h?transport=udp&x=1", "turn:h?x=1&transport=udp",
          "turn:h?transport=udp#f", "turns:h?transport=tcp?", "turn:h?transport=tcp "}) {
        EXPECT_EQ(error_of(url), "\"" + url + "\"" + turn_query);
    }
}

} // namespace
