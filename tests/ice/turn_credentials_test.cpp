#include "switchboard/ice/turn_credentials.hpp"

#include <gtest/gtest.h>

#include <string>

namespace {

using namespace switchboard::ice;

// Every expected credential below was computed independently with the openssl command line:
//   printf '%s' '<username>' | openssl dgst -sha1 -hmac '<secret>' -binary | base64
// (OpenSSL 3.0.22), and pasted here.

TEST(make_turn_credential, known_vector_alice) {
    EXPECT_EQ(make_turn_credential(secret{"secret"}, "alice", 1700000000),
              (turn_credential{"1700000000:alice", "d8soP47RbdIKLDUOpnJPVQyq5Ts="}));
}

TEST(make_turn_credential, known_vector_easyrtcid) {
    EXPECT_EQ(make_turn_credential(secret{"secret"}, "pcKIy6owr0poKePA", 1700086400),
              (turn_credential{"1700086400:pcKIy6owr0poKePA", "m30VLWV7wIWvfvniatfEGljiSIE="}));
    EXPECT_EQ(make_turn_credential(secret{"secret"}, "Vnqvef5dJqDNdHWQ", 1700003600),
              (turn_credential{"1700003600:Vnqvef5dJqDNdHWQ", "Y2QmrmqdGZrHqSB8/vVWqddcNyY="}));
}

TEST(make_turn_credential, the_secret_changes_the_credential) {
    EXPECT_EQ(
        make_turn_credential(secret{"north-wind-2024"}, "pcKIy6owr0poKePA", 1700086400).credential,
        "0Ol0x0iKbfb6l8Bu4OXEkbr33T8=");
    EXPECT_EQ(
        make_turn_credential(secret{"south-wind-2025"}, "pcKIy6owr0poKePA", 1700086400).credential,
        "fM+RvOdtnMmwcbt84jas0EV9GCk=");
}

TEST(make_turn_credential, user_may_contain_colons_and_the_secret_spaces) {
    EXPECT_EQ(
        make_turn_credential(secret{"key with spaces:and:colons"}, "bob:the:builder", 1700086400),
        (turn_credential{"1700086400:bob:the:builder", "dUMTSqeRWqCBpbyxc4gwl1tTJtY="}));
}

TEST(make_turn_credential, utf8_user_is_signed_as_bytes) {
    EXPECT_EQ(make_turn_credential(secret{"secret"}, "zo\xc3\xab", 1700086400),
              (turn_credential{"1700086400:zo\xc3\xab", "/tljfrSOwXNCRZtAOOBQNJN6F4U="}));
}

TEST(make_turn_credential, key_longer_than_the_sha1_block) {
    // HMAC hashes keys longer than 64 bytes first; openssl was given 100 'k's.
    EXPECT_EQ(make_turn_credential(secret{std::string(100, 'k')}, "alice", 1700086400).credential,
              "QHsS6JQHW9NcKPzf5xVg2zW2Kow=");
}

TEST(make_turn_credential, credential_is_padded_standard_base64_of_20_bytes) {
    const auto minted = make_turn_credential(secret{"secret"}, "alice", 1700086400);
    EXPECT_EQ(minted.credential, "bQkkJ09au//1ZGbK+3Pt69JC3qg=");
    EXPECT_EQ(minted.credential.size(), 28U);
    EXPECT_EQ(minted.credential.back(), '=');
}

} // namespace
