#include "switchboard/auth/ids.hpp"
#include "switchboard/auth/init.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <regex>
#include <string>
#include <unordered_set>

namespace {

using namespace switchboard;

class ids : public ::testing::Test {
protected:
    void SetUp() override { auth::init(); }
};

bool only_from(const std::string& s, std::string_view alphabet) {
    return std::all_of(s.begin(), s.end(),
                       [&](char c) { return alphabet.find(c) != std::string_view::npos; });
}

TEST_F(ids, init_can_be_called_again) {
    EXPECT_NO_THROW(auth::init());
    EXPECT_NO_THROW(auth::init());
}

TEST_F(ids, alphabets_are_exact) {
    EXPECT_EQ(auth::easyrtcid_alphabet.size(), 62U);
    EXPECT_EQ(auth::session_id_alphabet.size(), 64U);
    const std::regex alnum{"^[A-Za-z0-9]{62}$"};
    EXPECT_TRUE(std::regex_match(std::string{auth::easyrtcid_alphabet}, alnum));
    const std::regex base64url{"^[A-Za-z0-9_-]{64}$"};
    EXPECT_TRUE(std::regex_match(std::string{auth::session_id_alphabet}, base64url));
    for (const auto alphabet : {auth::easyrtcid_alphabet, auth::session_id_alphabet}) {
        std::string sorted{alphabet};
        std::sort(sorted.begin(), sorted.end());
        EXPECT_EQ(std::adjacent_find(sorted.begin(), sorted.end()), sorted.end()) << alphabet;
    }
}

TEST_F(ids, easyrtcid_has_16_alphanumerics_and_matches_easyrtc_regexp) {
    // easyrtcidRegExp from EasyRTC's default options, case-insensitive.
    const std::regex easyrtc{"^[a-z0-9_.-]{1,32}$", std::regex::icase};
    for (int i = 0; i < 1000; ++i) {
        const auto id = auth::new_easyrtcid();
        ASSERT_EQ(id.size(), 16U);
        ASSERT_TRUE(only_from(id, auth::easyrtcid_alphabet)) << id;
        ASSERT_TRUE(std::regex_match(id, easyrtc)) << id;
    }
}

TEST_F(ids, session_id_has_20_base64url_characters) {
    for (int i = 0; i < 1000; ++i) {
        const auto id = auth::new_session_id();
        ASSERT_EQ(id.size(), 20U);
        ASSERT_TRUE(only_from(id, auth::session_id_alphabet)) << id;
    }
}

TEST_F(ids, no_duplicates_over_100k_draws) {
    constexpr int draws = 100'000;
    std::unordered_set<std::string> easyrtcids;
    std::unordered_set<std::string> session_ids;
    for (int i = 0; i < draws; ++i) {
        easyrtcids.insert(auth::new_easyrtcid());
        session_ids.insert(auth::new_session_id());
    }
    EXPECT_EQ(easyrtcids.size(), static_cast<std::size_t>(draws));
    EXPECT_EQ(session_ids.size(), static_cast<std::size_t>(draws));
}

// Counts every character of `draws` ids and checks each alphabet character appears, and none
// is far from its expected share. With 160k samples over 62 symbols (about 2580 each, standard
// deviation about 50) the bounds below are over 10 sigma wide, so a correct generator never
// fails; a modulo-biased or truncated alphabet does.
template <class Generate>
void expect_uniform(Generate generate, std::string_view alphabet, int draws) {
    std::map<char, int> counts;
    std::size_t total = 0;
    for (int i = 0; i < draws; ++i) {
        for (const char c : generate()) {
            ++counts[c];
            ++total;
        }
    }
    EXPECT_EQ(counts.size(), alphabet.size());
    const double expected = static_cast<double>(total) / static_cast<double>(alphabet.size());
    for (const char c : alphabet) {
        const auto n = static_cast<double>(counts[c]);
        EXPECT_GT(n, expected * 0.8) << "character " << c;
        EXPECT_LT(n, expected * 1.2) << "character " << c;
    }
}

TEST_F(ids, easyrtcid_characters_are_evenly_spread) {
    expect_uniform([] { return auth::new_easyrtcid(); }, auth::easyrtcid_alphabet, 10'000);
}

TEST_F(ids, session_id_characters_are_evenly_spread) {
    expect_uniform([] { return auth::new_session_id(); }, auth::session_id_alphabet, 10'000);
}

TEST_F(ids, every_position_varies) {
    // A constant prefix or suffix would cut the entropy without showing up in the totals.
    constexpr int draws = 200;
    std::vector<std::unordered_set<char>> seen(auth::easyrtcid_length);
    std::vector<std::unordered_set<char>> seen_sid(auth::session_id_length);
    for (int i = 0; i < draws; ++i) {
        const auto id = auth::new_easyrtcid();
        const auto sid = auth::new_session_id();
        for (std::size_t p = 0; p < id.size(); ++p) {
            seen[p].insert(id[p]);
        }
        for (std::size_t p = 0; p < sid.size(); ++p) {
            seen_sid[p].insert(sid[p]);
        }
    }
    for (std::size_t p = 0; p < seen.size(); ++p) {
        EXPECT_GT(seen[p].size(), 30U) << "easyrtcid position " << p;
    }
    for (std::size_t p = 0; p < seen_sid.size(); ++p) {
        EXPECT_GT(seen_sid[p].size(), 30U) << "session id position " << p;
    }
}

} // namespace
