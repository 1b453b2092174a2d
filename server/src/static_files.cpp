#include "switchboard/server/static_files.hpp"

#include "switchboard/server/http_date.hpp"
#include "switchboard/server/logging.hpp"

#include <boost/asio/execution_context.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <utility>

namespace switchboard::server {

namespace {

namespace fs = std::filesystem;

constexpr std::string_view allowed_methods = "GET, HEAD";

enum class cache_policy {
    versioned,  // client assets, which change only with the lock file: cache for an hour
    revalidate, // a user's pages: ask every time, so an edit shows on the next load
};

// A URL prefix mapped onto a directory inside a root.
struct mount {
    std::string_view prefix; // ends in '/'
    fs::path dir;
    const fs::path* root; // nothing resolved outside it is served
    cache_policy policy;
    bool directory_index; // a directory answers with its index.html
};

// The mounts claiming `path`, in the order they are tried.
std::vector<mount> mounts_for(std::string_view path, const static_roots& roots) {
    std::vector<mount> out;
    const auto& assets = roots.client_assets;
    // "/socket.io/" itself is the Engine.IO endpoint and never reaches here; below these
    // prefixes only files are served, a directory has no index.
    if (!assets.empty()) {
        for (std::string_view prefix : {"/socket.io/", "/easyrtc/"})
            if (path.size() > prefix.size() && path.starts_with(prefix))
                out.push_back({prefix, assets / prefix.substr(1, prefix.size() - 2), &assets,
                               cache_policy::versioned, false});
    }
    if (!roots.pages.empty() && path.starts_with('/'))
        out.push_back({"/", roots.pages, &roots.pages, cache_policy::revalidate, true});
    return out;
}

int hex_value(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

std::optional<std::string> decode_segment(std::string_view raw) {
    std::string out;
    out.reserve(raw.size());
    for (std::size_t i = 0; i < raw.size(); ++i) {
        char c = raw[i];
        if (c == '%') {
            if (i + 2 >= raw.size())
                return std::nullopt;
            int hi = hex_value(raw[i + 1]);
            int lo = hex_value(raw[i + 2]);
            if (hi < 0 || lo < 0)
                return std::nullopt;
            c = static_cast<char>(hi * 16 + lo);
            i += 2;
        }
        if (c == '/' || c == '\\' || c == '\0')
            return std::nullopt;
        out += c;
    }
    if (out == "." || out == "..")
        return std::nullopt;
    return out;
}

char lower(char c) {
    return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
}

bool iequals(std::string_view a, std::string_view b) {
    return a.size() == b.size() &&
           std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) { return lower(x) == y; });
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
        s.remove_suffix(1);
    return s;
}

// qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ); a malformed one counts as 0 so
// that the plain file is sent.
bool q_positive(std::string_view q) {
    if (q.empty() || (q[0] != '0' && q[0] != '1'))
        return false;
    auto frac = q.substr(1);
    if (!frac.empty() && (frac[0] != '.' || frac.size() > 4))
        return false;
    if (!frac.empty())
        frac.remove_prefix(1);
    if (!std::all_of(frac.begin(), frac.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return false;
    bool fraction_zero = std::all_of(frac.begin(), frac.end(), [](char c) { return c == '0'; });
    return q[0] == '1' ? fraction_zero : !fraction_zero;
}

enum class kind { missing, file, directory };

struct found {
    kind what = kind::missing;
    fs::path path; // canonical
};

bool inside(const fs::path& p, const fs::path& root) {
    return std::mismatch(root.begin(), root.end(), p.begin(), p.end()).first == root.end();
}

// Resolves symlinks and accepts the result only inside root, so a link pointing out of the
// served tree is as good as missing.
found resolve_inside(const fs::path& candidate, const fs::path& root) {
    std::error_code ec;
    auto canonical = fs::weakly_canonical(candidate, ec);
    if (ec)
        return {};
    if (!inside(canonical, root)) {
        log_event(spdlog::level::debug, "static path resolves outside its root",
                  {{"path", candidate.native()}, {"root", root.native()}});
        return {};
    }
    auto st = fs::status(canonical, ec);
    if (ec)
        return {};
    if (fs::is_regular_file(st))
        return {kind::file, std::move(canonical)};
    if (fs::is_directory(st))
        return {kind::directory, std::move(canonical)};
    return {}; // FIFOs, sockets, devices: never served
}

found resolve(const mount& m, const url_path& p) {
    fs::path candidate = m.dir;
    for (const auto& s : p.segments) {
        if (s.front() == '.') // hidden files and directories: .git, .env, .htpasswd
            return {};
        candidate /= s;
    }
    return resolve_inside(candidate, *m.root);
}

response error_response(const request& req, http::status status) {
    auto res = make_response(req, status, "text/plain; charset=utf-8",
                             std::string(http::obsolete_reason(status)) + "\n");
    if (status == http::status::method_not_allowed)
        res.set(http::field::allow, allowed_methods);
    return res;
}

response redirect_to_directory(const request& req, std::string_view path) {
    std::string_view target = req.target();
    auto query = target.substr(path.size());
    std::string location = std::string(path) + "/" + std::string(query);
    auto res = make_response(req, http::status::moved_permanently, "text/plain; charset=utf-8",
                             location + "\n");
    res.set(http::field::location, location);
    return res;
}

std::string hex(std::uint64_t v) {
    std::array<char, 16> buf{};
    auto end = std::to_chars(buf.data(), buf.data() + buf.size(), v, 16).ptr;
    return std::string(buf.data(), end);
}

// Size and modification time, like most servers: cheap, and strong enough because a changed
// file gets a new mtime and, for the cache, a new read.
std::string make_etag(std::size_t size, std::chrono::nanoseconds mtime) {
    return '"' + hex(size) + '-' + hex(static_cast<std::uint64_t>(mtime.count())) + '"';
}

bool not_modified(const request& req, std::string_view etag,
                  std::chrono::sys_seconds last_modified) {
    // RFC 9110 §13.2.2: If-None-Match decides when present; If-Modified-Since only otherwise.
    if (auto inm = req.find(http::field::if_none_match); inm != req.end())
        return etag_matches(inm->value(), etag);
    if (auto ims = req.find(http::field::if_modified_since); ims != req.end()) {
        auto since = parse_http_date(ims->value());
        return since && last_modified <= *since;
    }
    return false;
}

response load_error(const request& req, const fs::path& file, boost::system::error_code ec) {
    namespace errc = boost::system::errc;
    if (ec == errc::no_such_file_or_directory || ec == errc::not_a_directory)
        return error_response(req, http::status::not_found);
    log_event(spdlog::level::warn, "static file not served",
              {{"path", file.native()}, {"error", ec.message()}});
    if (ec == errc::permission_denied)
        return error_response(req, http::status::forbidden);
    if (ec == errc::resource_unavailable_try_again)
        return error_response(req, http::status::service_unavailable);
    return error_response(req, http::status::internal_server_error);
}

// The precompressed sibling FILE.gz when the client takes gzip and it is not older than FILE
// (a page edited after compressing must not be answered with its old text).
std::optional<file_snapshot> gzip_sibling(const request& req, const found& f, const mount& m,
                                          const file_snapshot& plain, file_cache& cache) {
    if (!accepts_gzip(req[http::field::accept_encoding]))
        return std::nullopt;
    auto gz = resolve_inside(fs::path(f.path).concat(".gz"), *m.root);
    if (gz.what != kind::file)
        return std::nullopt;
    auto loaded = cache.load(gz.path);
    if (!loaded || loaded->mtime < plain.mtime)
        return std::nullopt;
    return *loaded;
}

response file_response(const request& req, const found& f, const mount& m, file_cache& cache) {
    auto plain = cache.load(f.path);
    if (!plain)
        return load_error(req, f.path, plain.error());
    auto gz = gzip_sibling(req, f, m, *plain, cache);
    const file_snapshot& chosen = gz ? *gz : *plain;
    const std::string& bytes = *chosen.bytes;

    auto etag = make_etag(bytes.size(), chosen.mtime);
    auto last_modified =
        std::chrono::sys_seconds(std::chrono::floor<std::chrono::seconds>(chosen.mtime));
    bool unchanged = not_modified(req, etag, last_modified);

    response res{unchanged ? http::status::not_modified : http::status::ok, req.version()};
    res.set(http::field::server, "switchboard");
    res.set(http::field::etag, etag);
    res.set(http::field::last_modified, format_http_date(last_modified));
    res.set(http::field::cache_control,
            m.policy == cache_policy::versioned ? "public, max-age=3600" : "no-cache");
    res.set(http::field::vary, "Accept-Encoding");
    res.keep_alive(req.keep_alive());
    if (unchanged)
        return res;
    res.set(http::field::content_type, content_type_for(f.path.filename().native()));
    if (gz)
        res.set(http::field::content_encoding, "gzip");
    res.set("X-Content-Type-Options", "nosniff");
    if (req.method() == http::verb::head) {
        res.content_length(bytes.size());
    } else {
        res.body() = bytes;
        res.prepare_payload();
    }
    return res;
}

// The cache shared by every connection of one io_context, created on first use.
class static_cache_service : public net::execution_context::service {
public:
    static inline net::execution_context::id id;

    explicit static_cache_service(net::execution_context& owner)
        : net::execution_context::service(owner)
        , cache(static_file_max_bytes, static_cache_max_bytes) {}

    file_cache cache;

private:
    void shutdown() override {}
};

} // namespace

std::optional<url_path> parse_url_path(std::string_view path) {
    url_path out;
    std::vector<std::string_view> raw;
    std::size_t start = 0;
    for (;;) {
        auto end = path.find('/', start);
        raw.push_back(path.substr(start, end == std::string_view::npos ? end : end - start));
        if (end == std::string_view::npos)
            break;
        start = end + 1;
    }
    if (raw.back().empty()) {
        out.directory = true;
        raw.pop_back();
    }
    for (auto r : raw) {
        if (r.empty())
            return std::nullopt;
        auto segment = decode_segment(r);
        if (!segment)
            return std::nullopt;
        out.segments.push_back(std::move(*segment));
    }
    return out;
}

std::string_view content_type_for(std::string_view filename) {
    static constexpr std::pair<std::string_view, std::string_view> types[] = {
        {"html", "text/html; charset=utf-8"},
        {"htm", "text/html; charset=utf-8"},
        {"js", "application/javascript; charset=utf-8"},
        {"mjs", "application/javascript; charset=utf-8"},
        {"css", "text/css; charset=utf-8"},
        {"json", "application/json"},
        {"map", "application/json"},
        {"webmanifest", "application/manifest+json"},
        {"txt", "text/plain; charset=utf-8"},
        {"md", "text/markdown; charset=utf-8"},
        {"xml", "application/xml"},
        {"vtt", "text/vtt; charset=utf-8"},
        {"png", "image/png"},
        {"jpg", "image/jpeg"},
        {"jpeg", "image/jpeg"},
        {"gif", "image/gif"},
        {"webp", "image/webp"},
        {"avif", "image/avif"},
        {"svg", "image/svg+xml"},
        {"ico", "image/x-icon"},
        {"wasm", "application/wasm"},
        {"webm", "video/webm"},
        {"mp4", "video/mp4"},
        {"ogg", "audio/ogg"},
        {"mp3", "audio/mpeg"},
        {"wav", "audio/wav"},
        {"woff", "font/woff"},
        {"woff2", "font/woff2"},
        {"ttf", "font/ttf"},
        {"otf", "font/otf"},
        {"pdf", "application/pdf"},
        {"gz", "application/gzip"},
    };
    auto name = filename.substr(filename.rfind('/') + 1);
    auto dot = name.rfind('.');
    if (dot != std::string_view::npos && dot > 0) {
        auto ext = name.substr(dot + 1);
        for (const auto& [e, type] : types)
            if (iequals(ext, e))
                return type;
    }
    return "application/octet-stream";
}

bool accepts_gzip(std::string_view accept_encoding) {
    std::optional<bool> gzip;
    std::optional<bool> any;
    std::size_t start = 0;
    while (start <= accept_encoding.size()) {
        auto end = accept_encoding.find(',', start);
        if (end == std::string_view::npos)
            end = accept_encoding.size();
        auto item = accept_encoding.substr(start, end - start);
        start = end + 1;
        auto semi = item.find(';');
        auto coding = trim(item.substr(0, semi));
        bool acceptable = true;
        while (semi != std::string_view::npos) {
            auto next = item.find(';', semi + 1);
            auto param =
                trim(item.substr(semi + 1, next == std::string_view::npos ? std::string_view::npos
                                                                          : next - semi - 1));
            if (param.size() >= 2 && lower(param[0]) == 'q' && param[1] == '=')
                acceptable = q_positive(param.substr(2));
            semi = next;
        }
        if (iequals(coding, "gzip") || iequals(coding, "x-gzip"))
            gzip = acceptable;
        else if (coding == "*")
            any = acceptable;
    }
    return gzip.value_or(any.value_or(false));
}

bool etag_matches(std::string_view if_none_match, std::string_view etag) {
    std::size_t i = 0;
    const auto n = if_none_match.size();
    while (i < n) {
        char c = if_none_match[i];
        if (c == ' ' || c == '\t' || c == ',') {
            ++i;
            continue;
        }
        if (c == '*')
            return true;
        if (if_none_match.substr(i, 2) == "W/")
            i += 2;
        if (i >= n || if_none_match[i] != '"')
            return false; // malformed: no match, so the full response is sent
        auto close = if_none_match.find('"', i + 1);
        if (close == std::string_view::npos)
            return false;
        if (if_none_match.substr(i, close - i + 1) == etag)
            return true;
        i = close + 1;
    }
    return false;
}

std::optional<response> serve_static(const request& req, const static_roots& roots,
                                     file_cache& cache) {
    std::string_view target = req.target();
    auto path = target.substr(0, target.find('?'));
    auto mounts = mounts_for(path, roots);
    if (mounts.empty())
        return std::nullopt;
    if (req.method() != http::verb::get && req.method() != http::verb::head)
        return error_response(req, http::status::method_not_allowed);
    for (const auto& m : mounts) {
        auto p = parse_url_path(path.substr(m.prefix.size()));
        if (!p)
            return error_response(req, http::status::bad_request);
        auto f = resolve(m, *p);
        if (f.what == kind::directory && m.directory_index) {
            // parse_url_path refused empty segments, so path cannot start with "//" and the
            // Location cannot name another host.
            if (!p->directory)
                return redirect_to_directory(req, path);
            f = resolve_inside(f.path / "index.html", *m.root);
        }
        if (f.what == kind::file)
            return file_response(req, f, m, cache);
    }
    return error_response(req, http::status::not_found);
}

std::optional<response> serve_static(const request& req, server_context& ctx) {
    auto& service =
        net::use_service<static_cache_service>(static_cast<net::execution_context&>(ctx.ioc));
    return serve_static(req, {ctx.config.client_assets_dir, ctx.config.static_dir}, service.cache);
}

} // namespace switchboard::server
