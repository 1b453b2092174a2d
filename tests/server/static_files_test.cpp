#include "switchboard/server/http_date.hpp"
#include "switchboard/server/static_files.hpp"
#include "temp_tree.hpp"

#include <gtest/gtest.h>

#include <initializer_list>
#include <sys/stat.h>
#include <utility>

namespace switchboard::server {
namespace {

using namespace std::chrono;
namespace fs = std::filesystem;
using header_list = std::initializer_list<std::pair<http::field, std::string_view>>;

const sys_seconds file_time{seconds{1'700'000'000}};
const std::string secret = "root:x:0:0:SECRET";

class static_files : public ::testing::Test {
protected:
    static_files() {
        assets.write("socket.io/socket.io.js", "/* the socket.io bundle */");
        assets.write("socket.io/socket.io.js.gz", "GZIPPED-BUNDLE");
        assets.write("socket.io/socket.io.js.map", "{\"version\":3}");
        assets.write("easyrtc/easyrtc.js", "/* easyrtc */");
        assets.write("easyrtc/easyrtc.css", "body{}");
        assets.write("easyrtc/img/powered_by_easyrtc.png", "\x89PNG");
        assets.write("easyrtc/labs/easyrtc_rates.js", "/* rates */");
        pages.write("index.html", "<h1>home</h1>");
        pages.write("style.css", "h1{}");
        pages.write("demo/index.html", "<h1>demo</h1>");
        pages.write("demo/app.js", "app()");
        pages.write("easyrtc/custom.js", "custom()");
        pages.write("easyrtc/easyrtc.js", "/* the user's own copy */");
        pages.write(".env", secret);
        pages.write(".git/config", secret);
        fs::create_directories(pages.root() / "empty");
        outside.write("passwd", secret);
        fs::create_symlink(outside.root() / "passwd", pages.root() / "escape");
        fs::create_symlink(outside.root(), pages.root() / "linkdir");
        fs::create_symlink("../" + outside.root().filename().native() + "/passwd",
                           pages.root() / "relative-escape");
        fs::create_symlink("demo/app.js", pages.root() / "inside.js");
        for (auto f : {"socket.io/socket.io.js", "socket.io/socket.io.js.gz", "easyrtc/easyrtc.js"})
            assets.set_mtime(f, file_time);
        pages.set_mtime("index.html", file_time);
    }

    std::optional<response> ask(http::verb method, std::string_view target,
                                header_list headers = {}) {
        request req{method, target, 11};
        for (const auto& [field, value] : headers)
            req.set(field, value);
        return serve_static(req, {assets.root(), pages.root()}, cache);
    }
    response get(std::string_view target, header_list headers = {}) {
        auto res = ask(http::verb::get, target, headers);
        EXPECT_TRUE(res) << target;
        return res ? std::move(*res) : response{};
    }

    test::temp_tree assets;
    test::temp_tree pages;
    test::temp_tree outside;
    file_cache cache{static_file_max_bytes, static_cache_max_bytes};
};

std::string header(const response& res, auto field) { // an http::field or a name
    auto it = res.find(field);
    return it == res.end() ? "<absent>" : std::string(it->value());
}

TEST_F(static_files, serves_the_socket_io_bundle_as_javascript_cached_for_an_hour) {
    auto res = get("/socket.io/socket.io.js");
    EXPECT_EQ(res.result(), http::status::ok);
    EXPECT_EQ(res.body(), "/* the socket.io bundle */");
    EXPECT_EQ(header(res, http::field::content_type), "application/javascript; charset=utf-8");
    EXPECT_EQ(header(res, http::field::content_length), "26");
    EXPECT_EQ(header(res, http::field::cache_control), "public, max-age=3600");
    EXPECT_EQ(header(res, http::field::last_modified), "Tue, 14 Nov 2023 22:13:20 GMT");
    EXPECT_EQ(header(res, http::field::vary), "Accept-Encoding");
    EXPECT_EQ(header(res, "X-Content-Type-Options"), "nosniff");
    EXPECT_EQ(header(res, http::field::content_encoding), "<absent>");
    // Size and mtime in hex: 0x1a bytes, 1700000000 s in ns.
    EXPECT_EQ(header(res, http::field::etag), "\"1a-17979cfe362a0000\"");

    EXPECT_EQ(get("/socket.io/socket.io.js?v=4.8.4").body(), "/* the socket.io bundle */");
    EXPECT_EQ(header(get("/socket.io/socket.io.js.map"), http::field::content_type),
              "application/json");
}

TEST_F(static_files, serves_the_easyrtc_files) {
    auto js = get("/easyrtc/easyrtc.js");
    EXPECT_EQ(js.result(), http::status::ok);
    EXPECT_EQ(js.body(), "/* easyrtc */"); // the client assets win over the user's copy
    EXPECT_EQ(header(js, http::field::cache_control), "public, max-age=3600");
    auto css = get("/easyrtc/easyrtc.css");
    EXPECT_EQ(header(css, http::field::content_type), "text/css; charset=utf-8");
    auto png = get("/easyrtc/img/powered_by_easyrtc.png");
    EXPECT_EQ(png.result(), http::status::ok);
    EXPECT_EQ(header(png, http::field::content_type), "image/png");
    EXPECT_EQ(png.body(), "\x89PNG");
    EXPECT_EQ(get("/easyrtc/labs/easyrtc_rates.js").body(), "/* rates */");
}

TEST_F(static_files, a_client_asset_miss_falls_through_to_the_pages) {
    auto res = get("/easyrtc/custom.js");
    EXPECT_EQ(res.result(), http::status::ok);
    EXPECT_EQ(res.body(), "custom()");
    EXPECT_EQ(header(res, http::field::cache_control), "no-cache");
}

TEST_F(static_files, client_asset_directories_have_no_index_and_no_redirect) {
    EXPECT_EQ(get("/easyrtc/img/").result(), http::status::not_found);
    EXPECT_EQ(get("/easyrtc/img").result(), http::status::not_found);
}

TEST_F(static_files, serves_gzip_from_a_precompressed_sibling_when_accepted) {
    auto plain = get("/socket.io/socket.io.js");
    auto gz = get("/socket.io/socket.io.js", {{http::field::accept_encoding, "gzip, deflate, br"}});
    EXPECT_EQ(gz.result(), http::status::ok);
    EXPECT_EQ(gz.body(), "GZIPPED-BUNDLE");
    EXPECT_EQ(header(gz, http::field::content_encoding), "gzip");
    EXPECT_EQ(header(gz, http::field::content_type), "application/javascript; charset=utf-8");
    EXPECT_EQ(header(gz, http::field::content_length), "14");
    EXPECT_EQ(header(gz, http::field::vary), "Accept-Encoding");
    EXPECT_NE(header(gz, http::field::etag), header(plain, http::field::etag));

    auto refused = get("/socket.io/socket.io.js", {{http::field::accept_encoding, "gzip;q=0"}});
    EXPECT_EQ(refused.body(), "/* the socket.io bundle */");
    EXPECT_EQ(header(refused, http::field::content_encoding), "<absent>");

    // No sibling: the plain file, with nothing claimed.
    auto no_gz = get("/easyrtc/easyrtc.css", {{http::field::accept_encoding, "gzip"}});
    EXPECT_EQ(no_gz.body(), "body{}");
    EXPECT_EQ(header(no_gz, http::field::content_encoding), "<absent>");
}

TEST_F(static_files, ignores_a_gzip_sibling_older_than_its_file) {
    assets.set_mtime("socket.io/socket.io.js.gz", file_time - 1s);
    auto res = get("/socket.io/socket.io.js", {{http::field::accept_encoding, "gzip"}});
    EXPECT_EQ(res.body(), "/* the socket.io bundle */");
    EXPECT_EQ(header(res, http::field::content_encoding), "<absent>");
}

TEST_F(static_files, if_none_match_with_the_etag_answers_304) {
    auto first = get("/socket.io/socket.io.js");
    auto etag = header(first, http::field::etag);

    auto again = get("/socket.io/socket.io.js", {{http::field::if_none_match, etag}});
    EXPECT_EQ(again.result(), http::status::not_modified);
    EXPECT_EQ(again.body(), "");
    EXPECT_EQ(header(again, http::field::etag), etag);
    EXPECT_EQ(header(again, http::field::cache_control), "public, max-age=3600");
    EXPECT_EQ(header(again, http::field::content_length), "<absent>");
    EXPECT_EQ(header(again, http::field::content_type), "<absent>");

    EXPECT_EQ(get("/socket.io/socket.io.js", {{http::field::if_none_match, "W/" + etag}}).result(),
              http::status::not_modified);
    EXPECT_EQ(
        get("/socket.io/socket.io.js", {{http::field::if_none_match, "\"a\", " + etag}}).result(),
        http::status::not_modified);
    EXPECT_EQ(get("/socket.io/socket.io.js", {{http::field::if_none_match, "*"}}).result(),
              http::status::not_modified);

    auto other = get("/socket.io/socket.io.js", {{http::field::if_none_match, "\"other\""}});
    EXPECT_EQ(other.result(), http::status::ok);
    EXPECT_EQ(other.body(), "/* the socket.io bundle */");

    // The plain file's tag does not validate the gzip representation.
    auto gz = get("/socket.io/socket.io.js",
                  {{http::field::if_none_match, etag}, {http::field::accept_encoding, "gzip"}});
    EXPECT_EQ(gz.result(), http::status::ok);
    EXPECT_EQ(gz.body(), "GZIPPED-BUNDLE");
}

TEST_F(static_files, an_edited_file_gets_a_new_etag_and_content) {
    auto etag = header(get("/index.html"), http::field::etag);
    pages.write("index.html", "<h1>edited</h1>");
    pages.set_mtime("index.html", file_time + 1s);
    auto res = get("/index.html", {{http::field::if_none_match, etag}});
    EXPECT_EQ(res.result(), http::status::ok);
    EXPECT_EQ(res.body(), "<h1>edited</h1>");
    EXPECT_NE(header(res, http::field::etag), etag);
}

TEST_F(static_files, if_modified_since_answers_304_when_not_newer) {
    const auto at = format_http_date(file_time);
    EXPECT_EQ(get("/index.html", {{http::field::if_modified_since, at}}).result(),
              http::status::not_modified);
    EXPECT_EQ(
        get("/index.html", {{http::field::if_modified_since, format_http_date(file_time + 1h)}})
            .result(),
        http::status::not_modified);
    EXPECT_EQ(
        get("/index.html", {{http::field::if_modified_since, format_http_date(file_time - 1s)}})
            .result(),
        http::status::ok);
    EXPECT_EQ(get("/index.html", {{http::field::if_modified_since, "yesterday"}}).result(),
              http::status::ok);
    // If-None-Match decides when both are sent.
    EXPECT_EQ(get("/index.html",
                  {{http::field::if_none_match, "\"other\""}, {http::field::if_modified_since, at}})
                  .result(),
              http::status::ok);
}

TEST_F(static_files, head_answers_the_headers_of_get_without_a_body) {
    auto res = ask(http::verb::head, "/socket.io/socket.io.js");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->result(), http::status::ok);
    EXPECT_EQ(res->body(), "");
    EXPECT_EQ(header(*res, http::field::content_length), "26");
    EXPECT_EQ(header(*res, http::field::content_type), "application/javascript; charset=utf-8");
    EXPECT_EQ(header(*res, http::field::etag),
              header(get("/socket.io/socket.io.js"), http::field::etag));

    auto missing = ask(http::verb::head, "/nope.html");
    ASSERT_TRUE(missing);
    EXPECT_EQ(missing->result(), http::status::not_found);
    EXPECT_EQ(missing->body(), "");
    EXPECT_EQ(header(*missing, http::field::content_length), "10"); // "Not Found\n"
}

TEST_F(static_files, pages_are_served_at_the_root_with_index_html_and_no_cache) {
    auto home = get("/");
    EXPECT_EQ(home.result(), http::status::ok);
    EXPECT_EQ(home.body(), "<h1>home</h1>");
    EXPECT_EQ(header(home, http::field::content_type), "text/html; charset=utf-8");
    EXPECT_EQ(header(home, http::field::cache_control), "no-cache");
    EXPECT_EQ(get("/?room=x").body(), "<h1>home</h1>");
    EXPECT_EQ(get("/index.html").body(), "<h1>home</h1>");
    EXPECT_EQ(get("/demo/").body(), "<h1>demo</h1>");
    EXPECT_EQ(get("/demo/app.js").body(), "app()");
    EXPECT_EQ(get("/%64emo/app%2Ejs").body(), "app()");
    EXPECT_EQ(header(get("/style.css"), http::field::content_type), "text/css; charset=utf-8");
    EXPECT_EQ(get("/inside.js").body(), "app()"); // a symlink within the root is fine
}

TEST_F(static_files, a_directory_without_slash_redirects_keeping_the_query) {
    auto res = get("/demo");
    EXPECT_EQ(res.result(), http::status::moved_permanently);
    EXPECT_EQ(header(res, http::field::location), "/demo/");
    EXPECT_EQ(header(get("/demo?room=a&x=1"), http::field::location), "/demo/?room=a&x=1");
}

TEST_F(static_files, missing_files_and_directories_without_index_are_404) {
    EXPECT_EQ(get("/nope.html").result(), http::status::not_found);
    EXPECT_EQ(get("/demo/nope/deeper.js").result(), http::status::not_found);
    EXPECT_EQ(get("/index.html/x").result(), http::status::not_found);
    EXPECT_EQ(get("/empty/").result(), http::status::not_found);
    EXPECT_EQ(get("/socket.io/nope.js").result(), http::status::not_found);
}

TEST_F(static_files, traversal_attempts_never_return_a_file_outside_the_root) {
    for (auto target : {
             "/../etc/passwd",
             "/%2e%2e/etc/passwd",
             "/%2E%2E/%2E%2E/etc/passwd",
             "/..%2fetc%2fpasswd",
             "/..%2F",
             "/demo/../../etc/passwd",
             "/easyrtc/../../etc/passwd",
             "/socket.io/../index.html",
             "/socket.io/..%2f..%2findex.html",
             "//etc/passwd",
             "/demo//app.js",
             "/..\\etc\\passwd",
             "/%5c..%5cetc",
             "/index.html%00.js",
             "/./index.html",
             "/%",
         }) {
        auto res = get(target);
        EXPECT_EQ(res.result(), http::status::bad_request) << target;
        EXPECT_EQ(res.body().find("SECRET"), std::string::npos) << target;
    }
    for (auto target : {"/escape", "/relative-escape", "/linkdir/passwd", "/linkdir/", "/.env",
                        "/.git/config", "/%2eenv", "/demo/.hidden"}) {
        auto res = get(target);
        EXPECT_EQ(res.result(), http::status::not_found) << target;
        EXPECT_EQ(res.body().find("SECRET"), std::string::npos) << target;
    }
}

TEST_F(static_files, other_methods_on_served_paths_are_405) {
    for (auto method :
         {http::verb::post, http::verb::put, http::verb::delete_, http::verb::options}) {
        auto res = ask(method, "/index.html");
        ASSERT_TRUE(res);
        EXPECT_EQ(res->result(), http::status::method_not_allowed);
        EXPECT_EQ(header(*res, http::field::allow), "GET, HEAD");
    }
    EXPECT_EQ(ask(http::verb::post, "/socket.io/socket.io.js")->result(),
              http::status::method_not_allowed);
}

TEST_F(static_files, paths_no_root_claims_are_left_to_the_caller) {
    request req{http::verb::get, "/index.html", 11};
    const fs::path none;
    EXPECT_FALSE(serve_static(req, {none, none}, cache));
    EXPECT_FALSE(serve_static(req, {assets.root(), none}, cache));
    request post{http::verb::post, "/index.html", 11};
    EXPECT_FALSE(serve_static(post, {assets.root(), none}, cache));
    request asset{http::verb::get, "/socket.io/socket.io.js", 11};
    EXPECT_FALSE(serve_static(asset, {none, none}, cache));
    EXPECT_TRUE(serve_static(asset, {assets.root(), none}, cache));
    request absolute_form{http::verb::get, "http://example.com/index.html", 11};
    EXPECT_FALSE(serve_static(absolute_form, {assets.root(), pages.root()}, cache));
}

TEST_F(static_files, fifos_are_not_served) {
    ASSERT_EQ(::mkfifo((pages.root() / "pipe.html").c_str(), 0600), 0);
    EXPECT_EQ(get("/pipe.html").result(), http::status::not_found);
}

TEST_F(static_files, files_over_the_size_limit_are_refused) {
    file_cache small(8, 64);
    request req{http::verb::get, "/index.html", 11};
    auto res = serve_static(req, {assets.root(), pages.root()}, small);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->result(), http::status::internal_server_error);
    EXPECT_EQ(res->body().find("home"), std::string::npos);
}

TEST_F(static_files, keeps_the_request_version_and_keep_alive) {
    request req{http::verb::get, "/index.html", 10};
    auto res = serve_static(req, {assets.root(), pages.root()}, cache);
    ASSERT_TRUE(res);
    EXPECT_EQ(res->version(), 10);
    EXPECT_FALSE(res->keep_alive());
    request kept{http::verb::get, "/index.html", 11};
    EXPECT_TRUE(serve_static(kept, {assets.root(), pages.root()}, cache)->keep_alive());
}

} // namespace
} // namespace switchboard::server
