#pragma once

#include "switchboard/server/file_cache.hpp"
#include "switchboard/server/http_responses.hpp"
#include "switchboard/server/server_context.hpp"

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace switchboard::server {

// Per-file and total limits of the in-memory copies. The largest file the server reads is
// 16 MiB, so one read stalls its I/O thread only briefly.
inline constexpr std::size_t static_file_max_bytes = 16 * 1024 * 1024;
inline constexpr std::size_t static_cache_max_bytes = 64 * 1024 * 1024;

// The directories served; an empty path is not served. Both must be canonical (absolute,
// symlinks resolved): requested files are resolved and must stay inside them.
struct static_roots {
    // DIR/socket.io/* at /socket.io/ and DIR/easyrtc/* at /easyrtc/
    const std::filesystem::path& client_assets;
    // a user's own pages at /
    const std::filesystem::path& pages;
};

// The answer to a request for a static file, or nullopt when no root claims the path (the
// caller's own 404 stands). Client assets are tried first, then pages: a miss under /easyrtc/
// falls through to the user's directory. Methods other than GET and HEAD get 405.
std::optional<response> serve_static(const request& req, const static_roots& roots,
                                     file_cache& cache);

// The same with the server's configured roots and the cache of ctx's io_context.
std::optional<response> serve_static(const request& req, server_context& ctx);

// The pieces, exposed for tests.

// A URL path below a mount: percent-decoded segments. nullopt (400) for what could name a file
// outside the root or a different file than it appears to: "." and ".." segments (also
// encoded), empty segments ("//", so never an absolute path), encoded '/', backslash, NUL,
// malformed escapes.
struct url_path {
    std::vector<std::string> segments;
    bool directory = false; // ended in '/' (or was empty)
};
std::optional<url_path> parse_url_path(std::string_view path);

// By file name extension, case-insensitive; application/octet-stream when unknown.
std::string_view content_type_for(std::string_view filename);

// Whether an Accept-Encoding value admits gzip (explicitly or by '*', with q > 0).
bool accepts_gzip(std::string_view accept_encoding);

// Whether an If-None-Match value lists `etag` ('*' matches anything). Weak comparison, as the
// RFC asks for If-None-Match: W/"x" matches "x".
bool etag_matches(std::string_view if_none_match, std::string_view etag);

} // namespace switchboard::server
