#include "switchboard/server/static_files.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace switchboard::server {
namespace {

using segments = std::vector<std::string>;

TEST(parse_url_path, splits_and_decodes_segments) {
    auto p = parse_url_path("a/b%20c/d.js");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->segments, (segments{"a", "b c", "d.js"}));
    EXPECT_FALSE(p->directory);

    p = parse_url_path("%41%7e%c3%a9.html"); // either hex case; UTF-8 passes through
    ASSERT_TRUE(p);
    EXPECT_EQ(p->segments, (segments{"A~\xc3\xa9.html"}));

    p = parse_url_path("a+b"); // '+' is a plus in a path, not a space
    ASSERT_TRUE(p);
    EXPECT_EQ(p->segments, (segments{"a+b"}));
}

TEST(parse_url_path, trailing_slash_or_nothing_is_a_directory) {
    auto p = parse_url_path("");
    ASSERT_TRUE(p);
    EXPECT_TRUE(p->segments.empty());
    EXPECT_TRUE(p->directory);

    p = parse_url_path("img/");
    ASSERT_TRUE(p);
    EXPECT_EQ(p->segments, (segments{"img"}));
    EXPECT_TRUE(p->directory);
}

TEST(parse_url_path, refuses_whatever_could_leave_the_root) {
    for (const char* bad : {
             "..",
             "../etc/passwd",
             "a/../../etc/passwd",
             "a/..",
             ".",
             "./a",
             "a/./b",
             "%2e%2e/etc/passwd",
             "%2E%2E/etc/passwd",
             ".%2e/etc/passwd",
             "%2e./etc/passwd",
             "%2e",
             "..%2fetc%2fpasswd", // an encoded '/' would merge segments
             "a%2Fb",
             "/etc/passwd", // empty first segment: an absolute path
             "a//b",
             "/",
             "a\\..\\b",
             "..%5cetc",
             "a%5Cb",
             "a%00.html",
         })
        EXPECT_FALSE(parse_url_path(bad).has_value()) << bad;
    EXPECT_FALSE(parse_url_path(std::string_view("a\0b", 3)).has_value()); // a raw NUL
}

TEST(parse_url_path, refuses_malformed_escapes) {
    for (const char* bad : {"%", "a%", "a%2", "%zz", "%2g", "%%41", "%-1"})
        EXPECT_FALSE(parse_url_path(bad).has_value()) << bad;
}

TEST(content_type_for, knows_the_web_types) {
    EXPECT_EQ(content_type_for("index.html"), "text/html; charset=utf-8");
    EXPECT_EQ(content_type_for("old.htm"), "text/html; charset=utf-8");
    EXPECT_EQ(content_type_for("socket.io.js"), "application/javascript; charset=utf-8");
    EXPECT_EQ(content_type_for("module.mjs"), "application/javascript; charset=utf-8");
    EXPECT_EQ(content_type_for("easyrtc.css"), "text/css; charset=utf-8");
    EXPECT_EQ(content_type_for("data.json"), "application/json");
    EXPECT_EQ(content_type_for("socket.io.js.map"), "application/json");
    EXPECT_EQ(content_type_for("notes.txt"), "text/plain; charset=utf-8");
    EXPECT_EQ(content_type_for("powered_by_easyrtc.png"), "image/png");
    EXPECT_EQ(content_type_for("photo.jpg"), "image/jpeg");
    EXPECT_EQ(content_type_for("photo.jpeg"), "image/jpeg");
    EXPECT_EQ(content_type_for("x.svg"), "image/svg+xml");
    EXPECT_EQ(content_type_for("favicon.ico"), "image/x-icon");
    EXPECT_EQ(content_type_for("codec.wasm"), "application/wasm");
    EXPECT_EQ(content_type_for("clip.webm"), "video/webm");
    EXPECT_EQ(content_type_for("clip.mp4"), "video/mp4");
    EXPECT_EQ(content_type_for("font.woff2"), "font/woff2");
    EXPECT_EQ(content_type_for("easyrtc.js.gz"), "application/gzip");
}

TEST(content_type_for, goes_by_the_last_extension_of_the_file_name_case_insensitively) {
    EXPECT_EQ(content_type_for("INDEX.HTML"), "text/html; charset=utf-8");
    EXPECT_EQ(content_type_for("Photo.JpG"), "image/jpeg");
    EXPECT_EQ(content_type_for("/srv/site/app.js"), "application/javascript; charset=utf-8");
    EXPECT_EQ(content_type_for("/srv/site.html/app"), "application/octet-stream");
    EXPECT_EQ(content_type_for("archive.html.bin"), "application/octet-stream");
    EXPECT_EQ(content_type_for("README"), "application/octet-stream");
    EXPECT_EQ(content_type_for(".html"), "application/octet-stream"); // a dotfile, no extension
    EXPECT_EQ(content_type_for("trailing."), "application/octet-stream");
    EXPECT_EQ(content_type_for("x.jsx"), "application/octet-stream");
}

TEST(accepts_gzip, reads_codings_and_q_values) {
    EXPECT_TRUE(accepts_gzip("gzip"));
    EXPECT_TRUE(accepts_gzip("gzip, deflate, br, zstd")); // Chromium
    EXPECT_TRUE(accepts_gzip("br;q=1.0, GZIP;q=0.5"));
    EXPECT_TRUE(accepts_gzip("x-gzip"));
    EXPECT_TRUE(accepts_gzip(" deflate ,\tgzip ; q=0.001"));
    EXPECT_TRUE(accepts_gzip("gzip;q=1"));
    EXPECT_TRUE(accepts_gzip("gzip;q=1.000"));
    EXPECT_TRUE(accepts_gzip("*"));
    EXPECT_TRUE(accepts_gzip("br, *;q=0.1"));

    EXPECT_FALSE(accepts_gzip(""));
    EXPECT_FALSE(accepts_gzip("identity"));
    EXPECT_FALSE(accepts_gzip("br, deflate"));
    EXPECT_FALSE(accepts_gzip("gzip;q=0"));
    EXPECT_FALSE(accepts_gzip("gzip;q=0.000"));
    EXPECT_FALSE(accepts_gzip("gzip;q=0, *")); // explicit refusal beats the wildcard
    EXPECT_FALSE(accepts_gzip("*, gzip;q=0")); // in either order
    EXPECT_FALSE(accepts_gzip("*;q=0"));
    EXPECT_FALSE(accepts_gzip("gzipped"));
    EXPECT_FALSE(accepts_gzip("gzip;q=2")); // malformed q values refuse
    EXPECT_FALSE(accepts_gzip("gzip;q=0.0001"));
    EXPECT_FALSE(accepts_gzip("gzip;q=1.5"));
    EXPECT_FALSE(accepts_gzip("gzip;q=abc"));
    EXPECT_FALSE(accepts_gzip("gzip;q="));
}

TEST(etag_matches, compares_each_listed_tag_weakly) {
    const std::string etag = "\"96c4f-1a2b\"";
    EXPECT_TRUE(etag_matches("\"96c4f-1a2b\"", etag));
    EXPECT_TRUE(etag_matches("W/\"96c4f-1a2b\"", etag));
    EXPECT_TRUE(etag_matches("\"x\", \"96c4f-1a2b\"", etag));
    EXPECT_TRUE(etag_matches("\"x\",W/\"96c4f-1a2b\" , \"y\"", etag));
    EXPECT_TRUE(etag_matches("\"a,b\", \"96c4f-1a2b\"", etag)); // commas inside a tag
    EXPECT_TRUE(etag_matches("*", etag));

    EXPECT_FALSE(etag_matches("", etag));
    EXPECT_FALSE(etag_matches("\"96c4f-1a2c\"", etag));
    EXPECT_FALSE(etag_matches("96c4f-1a2b", etag));       // unquoted
    EXPECT_FALSE(etag_matches("\"96c4f-1a2b", etag));     // unterminated
    EXPECT_FALSE(etag_matches("w/\"96c4f-1a2b\"", etag)); // the weak prefix is case-sensitive
    EXPECT_FALSE(etag_matches("\"96C4F-1A2B\"", etag));   // tags are compared exactly
}

} // namespace
} // namespace switchboard::server
