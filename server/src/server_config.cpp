#include "switchboard/server/server_config.hpp"

#include "switchboard/server/secret_file.hpp"

#include <boost/program_options.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <stdexcept>

namespace switchboard::server {

namespace po = boost::program_options;

namespace {

constexpr std::string_view env_prefix = "SWITCHBOARD_";

[[noreturn]] void bad(std::string_view option, std::string_view why) {
    throw std::invalid_argument("--" + std::string(option) + ": " + std::string(why));
}

// Values may be given repeatedly or comma-separated (the only way to pass several in one
// environment variable).
std::vector<std::string> split_list(const std::vector<std::string>& values) {
    std::vector<std::string> out;
    for (const auto& v : values) {
        std::size_t start = 0;
        while (start <= v.size()) {
            auto end = v.find(',', start);
            if (end == std::string::npos)
                end = v.size();
            if (end > start)
                out.emplace_back(v.substr(start, end - start));
            start = end + 1;
        }
    }
    return out;
}

listen_endpoint parse_endpoint(const std::string& text) {
    // HOST:PORT, with [v6]:PORT for IPv6 literals.
    auto colon = text.rfind(':');
    if (colon == std::string::npos || colon + 1 == text.size())
        bad("listen", "'" + text + "' is not HOST:PORT");
    std::string host = text.substr(0, colon);
    if (host.size() >= 2 && host.front() == '[' && host.back() == ']')
        host = host.substr(1, host.size() - 2);
    if (host.empty())
        bad("listen", "'" + text + "' has no host");
    unsigned port = 0;
    auto digits = std::string_view(text).substr(colon + 1);
    auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), port);
    if (ec != std::errc{} || p != digits.data() + digits.size() || port > 65535)
        bad("listen", "'" + text + "' has a bad port");
    return {host, static_cast<std::uint16_t>(port)};
}

template <class Int>
Int positive(std::string_view option, long long v, long long min, long long max) {
    if (v < min || v > max)
        bad(option, "must be between " + std::to_string(min) + " and " + std::to_string(max));
    return static_cast<Int>(v);
}

std::chrono::milliseconds millis(std::string_view option, long long v, long long min,
                                 long long max) {
    return std::chrono::milliseconds(positive<long long>(option, v, min, max));
}

// Canonical, the form the static file service checks containment against; empty = not served.
std::filesystem::path served_directory(std::string_view option, const std::string& dir) {
    if (dir.empty())
        return {};
    std::error_code ec;
    auto canonical = std::filesystem::canonical(dir, ec);
    if (ec || !std::filesystem::is_directory(canonical, ec))
        bad(option, "'" + dir + "' is not a directory");
    return canonical;
}

bool parse_bool(std::string_view option, const std::string& v) {
    if (v == "true" || v == "1" || v == "yes" || v == "on")
        return true;
    if (v == "false" || v == "0" || v == "no" || v == "off")
        return false;
    bad(option, "'" + v + "' is not a boolean (true/false)");
}

// The ICE settings of one scope: the defaults, or one [app.NAME] section of the config file.
struct ice_inputs {
    std::optional<std::string> ice_servers;
    std::vector<std::string> turn_urls;
    std::vector<std::string> turn_secrets;
    std::optional<std::string> turn_secret_file;
    long long turn_ttl_s = 86400;
    std::string turn_user_format = "easyrtcid";
};

// `prefix` names the scope in errors ("" or "app.NAME."); the secret file, if any, is returned
// in `secret_file` so SIGHUP can re-read it.
ice::ice_settings make_ice_settings(const ice_inputs& in, const std::string& prefix,
                                    std::string& secret_file) {
    ice::ice_settings out{ice::default_ice_servers(), std::nullopt};
    if (in.ice_servers)
        out.servers = ice::parse_ice_servers(*in.ice_servers).value();
    std::vector<ice::secret> secrets;
    for (const auto& v : in.turn_secrets)
        secrets.emplace_back(v);
    if (in.turn_secret_file) {
        if (!secrets.empty())
            bad(prefix + "turn-secret-file", "give either turn-secret or turn-secret-file");
        secret_file = *in.turn_secret_file;
        secrets = read_secret_file(secret_file);
    }
    if (!in.turn_urls.empty()) {
        if (secrets.empty())
            bad(prefix + "turn-urls", "needs turn-secret or turn-secret-file");
        out.turn = ice::turn_rest::make(in.turn_urls, std::move(secrets),
                                        std::chrono::seconds(in.turn_ttl_s),
                                        ice::parse_user_format(in.turn_user_format).value())
                       .value();
    } else if (!secrets.empty()) {
        bad(prefix + "turn-secret", "needs turn-urls");
    }
    return out;
}

// Keys of an [app.NAME] section; NAME may itself contain dots (easyrtc.audioVideoSimple).
void add_app_setting(std::map<std::string, ice_inputs>& apps, const std::string& key,
                     const std::string& value) {
    auto dot = key.rfind('.');
    auto app = key.substr(4, dot - 4);
    auto name = key.substr(dot + 1);
    if (app.empty())
        bad(key, "names no application");
    auto& in = apps[app];
    if (name == "ice-servers")
        in.ice_servers = value;
    else if (name == "turn-urls")
        in.turn_urls = split_list({value});
    else if (name == "turn-secret")
        in.turn_secrets = split_list({value});
    else if (name == "turn-secret-file")
        in.turn_secret_file = value;
    else if (name == "turn-ttl-s") {
        auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), in.turn_ttl_s);
        if (ec != std::errc{} || end != value.data() + value.size())
            bad(key, "'" + value + "' is not a number of seconds");
    } else if (name == "turn-user-format")
        in.turn_user_format = value;
    else
        bad(key, "is not a per-application setting (ice-servers, turn-urls, turn-secret, "
                 "turn-secret-file, turn-ttl-s, turn-user-format)");
}

} // namespace

std::optional<server_config> parse_server_config(int argc, const char* const argv[],
                                                 char** environ_vars) {
    server_config c;
    const server_config d; // defaults, shown in --help
    auto ms = [](std::chrono::milliseconds v) { return static_cast<long long>(v.count()); };

    po::options_description desc(
        "Usage: switchboard [options]\n"
        "Every option can also be set as an environment variable SWITCHBOARD_<OPTION>,\n"
        "upper-case with '-' as '_' (e.g. SWITCHBOARD_PING_INTERVAL_MS); flags win.\n\nOptions");
    // clang-format off
    desc.add_options()
        ("help", "print this help and exit")
        ("config", po::value<std::string>(),
            "INI file with these settings (name = value, no dashes in front); flags and environment "
            "win over it. [app.NAME] sections set ice-servers and turn-* per application")
        ("listen", po::value<std::vector<std::string>>()->composing(),
            "HOST:PORT to accept on; repeat or comma-separate for several (default 0.0.0.0:8080)")
        ("tls-cert", po::value<std::string>(), "PEM certificate chain; with --tls-key, each port serves TLS and plain")
        ("tls-key", po::value<std::string>(), "PEM private key")
        ("tls-only", po::value<std::string>()->implicit_value("true"), "refuse plain connections (default false)")
        ("threads", po::value<long long>()->default_value(d.threads), "I/O threads")
        ("ping-interval-ms", po::value<long long>()->default_value(ms(d.ping_interval)), "Engine.IO ping interval")
        ("ping-timeout-ms", po::value<long long>()->default_value(ms(d.ping_timeout)), "Engine.IO pong deadline")
        ("max-payload-bytes", po::value<long long>()->default_value(static_cast<long long>(d.max_payload_bytes)),
            "largest Engine.IO message or polling body")
        ("cors-origins", po::value<std::vector<std::string>>()->composing(),
            "origins allowed on polling requests and websocket upgrades; '*' = any (default *)")
        ("write-queue-max-messages", po::value<long long>()->default_value(static_cast<long long>(d.write_queue_max_messages)),
            "per-connection outbound queue limit, messages; over it the connection is closed")
        ("write-queue-max-bytes", po::value<long long>()->default_value(static_cast<long long>(d.write_queue_max_bytes)),
            "per-connection outbound queue limit, bytes")
        ("drain-timeout-ms", po::value<long long>()->default_value(ms(d.drain_timeout)),
            "on SIGTERM/SIGINT, how long connections get to close before exit")
        ("log-level", po::value<std::string>()->default_value(d.log_level), "trace, debug, info, warn, error, off")
        ("log-format", po::value<std::string>()->default_value("text"), "text, json (one JSON object per line) or logfmt")
        ("default-app", po::value<std::string>()->default_value(d.signaling.default_app), "application used when a client names none")
        ("default-room", po::value<std::string>()->default_value(d.signaling.default_room), "room joined when a client names none")
        ("applications", po::value<std::vector<std::string>>()->composing(), "applications created at start")
        ("app-auto-create", po::value<std::string>()->default_value("true"), "create unknown applications on first authenticate")
        ("room-auto-create", po::value<std::string>()->default_value("true"), "create unknown rooms on first join")
        ("room-default-enable", po::value<std::string>()->default_value("true"), "join the default room when a client names none")
        ("room-max-connections", po::value<long long>()->default_value(static_cast<long long>(d.signaling.room_max_connections)),
            "most connections in one room; 0 = no limit")
        ("still-alive-interval-ms", po::value<long long>()->default_value(ms(d.signaling.still_alive_interval)),
            "EasyRTC stillAlive interval announced in the token; 0 = off")
        ("still-alive-grace-ms", po::value<long long>()->default_value(ms(d.signaling.still_alive_grace)),
            "silence tolerated past the stillAlive interval before a connection is dropped")
        ("relay-scope", po::value<std::string>()->default_value("application"),
            "who may receive offer/answer/candidate: 'application' (EasyRTC) or 'room' (must share a room)")
        ("room-delta-delay-ms", po::value<long long>()->default_value(ms(d.signaling.room_delta_delay)),
            "how long room join/leave deltas may wait to be merged into one push per member; 0 = at once")
        ("rate-limit-burst", po::value<long long>()->default_value(static_cast<long long>(d.signaling.rate_limit_burst)),
            "EasyRTC messages a connection may send at once; 0 = no limit")
        ("rate-limit-per-second", po::value<long long>()->default_value(static_cast<long long>(d.signaling.rate_limit_per_second)),
            "sustained EasyRTC messages per second per connection; 0 = no limit")
        ("ice-servers", po::value<std::string>(),
            "JSON array of RTCIceServer entries (STUN, static TURN) handed to clients; "
            "default: stun:stun.l.google.com:19302 and stun:stun.cloudflare.com:3478")
        ("turn-urls", po::value<std::vector<std::string>>()->composing(),
            "turn:/turns: URLs of a TURN server using TURN REST credentials (coturn use-auth-secret)")
        ("turn-secret", po::value<std::vector<std::string>>()->composing(),
            "TURN REST shared secret(s); the first mints credentials (prefer --turn-secret-file)")
        ("turn-secret-file", po::value<std::string>(), "file with TURN secrets, one per line, first used; re-read on SIGHUP")
        ("turn-ttl-s", po::value<long long>()->default_value(86400), "lifetime of minted TURN credentials, seconds")
        ("turn-user-format", po::value<std::string>()->default_value("easyrtcid"),
            "part of the TURN username after the expiry: 'easyrtcid' or 'username'")
        ("client-assets", po::value<std::string>(),
            "directory filled by scripts/client-assets.sh; serves /socket.io/socket.io.js and /easyrtc/* from it")
        ("static-dir", po::value<std::string>(), "your own pages, served at / (index.html for a directory)");
    // clang-format on

    po::variables_map vm;
    po::store(
        po::command_line_parser(argc, argv)
            .options(desc)
            // No abbreviations: "--static" must not silently mean --static-dir.
            .style(po::command_line_style::default_style & ~po::command_line_style::allow_guessing)
            .run(),
        vm);
    if (environ_vars != nullptr) {
        po::store(po::parse_environment(
                      desc,
                      [&desc](const std::string& var) -> std::string {
                          if (var.rfind(env_prefix, 0) != 0)
                              return {};
                          std::string name = var.substr(env_prefix.size());
                          std::transform(
                              name.begin(), name.end(), name.begin(), [](unsigned char ch) {
                                  return ch == '_' ? '-' : static_cast<char>(std::tolower(ch));
                              });
                          return desc.find_nothrow(name, false) ? name : std::string{};
                      }),
                  vm);
    }
    std::map<std::string, ice_inputs> app_ice;
    if (vm.count("config")) {
        const auto path = vm["config"].as<std::string>();
        std::ifstream file(path);
        if (!file)
            bad("config", path + " cannot be read");
        auto parsed = po::parse_config_file(file, desc, /*allow_unregistered=*/true);
        for (const auto& o : parsed.options) {
            if (!o.unregistered)
                continue;
            if (o.string_key.rfind("app.", 0) != 0 ||
                o.string_key.find('.', 4) == std::string::npos)
                bad(o.string_key, "is not a setting (in " + path + ")");
            add_app_setting(app_ice, o.string_key,
                            o.value.empty() ? std::string{} : o.value.front());
        }
        // Stored last: a setting already given as a flag or environment variable keeps that value.
        po::store(parsed, vm);
    }
    po::notify(vm);

    if (vm.count("help")) {
        std::cout << desc << '\n';
        return std::nullopt;
    }

    if (vm.count("listen")) {
        c.listen.clear();
        for (const auto& e : split_list(vm["listen"].as<std::vector<std::string>>()))
            c.listen.push_back(parse_endpoint(e));
        if (c.listen.empty())
            bad("listen", "no endpoint given");
    }
    if (vm.count("tls-cert"))
        c.tls_cert_file = vm["tls-cert"].as<std::string>();
    if (vm.count("tls-key"))
        c.tls_key_file = vm["tls-key"].as<std::string>();
    if (c.tls_cert_file.empty() != c.tls_key_file.empty())
        bad(c.tls_cert_file.empty() ? "tls-cert" : "tls-key",
            "--tls-cert and --tls-key must be given together");
    if (vm.count("tls-only"))
        c.tls_only = parse_bool("tls-only", vm["tls-only"].as<std::string>());
    if (c.tls_only && c.tls_cert_file.empty())
        bad("tls-only", "needs --tls-cert and --tls-key");

    c.threads = positive<unsigned>("threads", vm["threads"].as<long long>(), 1, 256);
    c.ping_interval =
        millis("ping-interval-ms", vm["ping-interval-ms"].as<long long>(), 50, 3600000);
    c.ping_timeout = millis("ping-timeout-ms", vm["ping-timeout-ms"].as<long long>(), 50, 3600000);
    c.max_payload_bytes = positive<std::uint64_t>(
        "max-payload-bytes", vm["max-payload-bytes"].as<long long>(), 1024, 64LL * 1024 * 1024);
    if (vm.count("cors-origins"))
        c.cors_origins = split_list(vm["cors-origins"].as<std::vector<std::string>>());
    c.write_queue_max_messages = positive<std::size_t>(
        "write-queue-max-messages", vm["write-queue-max-messages"].as<long long>(), 1, 1000000);
    c.write_queue_max_bytes =
        positive<std::size_t>("write-queue-max-bytes", vm["write-queue-max-bytes"].as<long long>(),
                              1024, 1024LL * 1024 * 1024);
    c.drain_timeout = millis("drain-timeout-ms", vm["drain-timeout-ms"].as<long long>(), 0, 600000);
    c.log_level = vm["log-level"].as<std::string>();
    static constexpr std::string_view levels[] = {"trace", "debug", "info", "warn", "error", "off"};
    if (std::find(std::begin(levels), std::end(levels), c.log_level) == std::end(levels))
        bad("log-level",
            "'" + c.log_level + "' is not one of trace, debug, info, warn, error, off");

    const auto style = vm["log-format"].as<std::string>();
    if (style == "text")
        c.log_style = log_format::text;
    else if (style == "json")
        c.log_style = log_format::json;
    else if (style == "logfmt")
        c.log_style = log_format::logfmt;
    else
        bad("log-format", "'" + style + "' is not one of text, json, logfmt");

    auto& s = c.signaling;
    s.default_app = vm["default-app"].as<std::string>();
    s.default_room = vm["default-room"].as<std::string>();
    if (vm.count("applications"))
        s.applications = split_list(vm["applications"].as<std::vector<std::string>>());
    s.app_auto_create = parse_bool("app-auto-create", vm["app-auto-create"].as<std::string>());
    s.room_auto_create = parse_bool("room-auto-create", vm["room-auto-create"].as<std::string>());
    s.room_default_enable =
        parse_bool("room-default-enable", vm["room-default-enable"].as<std::string>());
    s.room_max_connections = positive<std::size_t>(
        "room-max-connections", vm["room-max-connections"].as<long long>(), 0, 1000000);
    s.still_alive_interval = millis("still-alive-interval-ms",
                                    vm["still-alive-interval-ms"].as<long long>(), 0, 3600000);
    s.still_alive_grace =
        millis("still-alive-grace-ms", vm["still-alive-grace-ms"].as<long long>(), 0, 3600000);
    s.room_delta_delay =
        millis("room-delta-delay-ms", vm["room-delta-delay-ms"].as<long long>(), 0, 1000);
    s.rate_limit_burst = positive<decltype(s.rate_limit_burst)>(
        "rate-limit-burst", vm["rate-limit-burst"].as<long long>(), 0, 1000000);
    s.rate_limit_per_second = positive<decltype(s.rate_limit_per_second)>(
        "rate-limit-per-second", vm["rate-limit-per-second"].as<long long>(), 0, 1000000);
    const auto scope = vm["relay-scope"].as<std::string>();
    if (scope == "application")
        s.relay = core::relay_scope::application;
    else if (scope == "room")
        s.relay = core::relay_scope::room;
    else
        bad("relay-scope", "'" + scope + "' is not 'application' or 'room'");

    ice_inputs defaults;
    if (vm.count("ice-servers"))
        defaults.ice_servers = vm["ice-servers"].as<std::string>();
    if (vm.count("turn-urls"))
        defaults.turn_urls = split_list(vm["turn-urls"].as<std::vector<std::string>>());
    if (vm.count("turn-secret"))
        defaults.turn_secrets = split_list(vm["turn-secret"].as<std::vector<std::string>>());
    if (vm.count("turn-secret-file"))
        defaults.turn_secret_file = vm["turn-secret-file"].as<std::string>();
    defaults.turn_ttl_s = vm["turn-ttl-s"].as<long long>();
    defaults.turn_user_format = vm["turn-user-format"].as<std::string>();
    c.ice = make_ice_settings(defaults, "", c.turn_secret_file);
    for (auto& [app, inputs] : app_ice) {
        std::string file;
        c.ice_apps.emplace(app, make_ice_settings(inputs, "app." + app + ".", file));
        if (!file.empty())
            c.app_turn_secret_files.emplace(app, std::move(file));
    }

    if (vm.count("client-assets"))
        c.client_assets_dir =
            served_directory("client-assets", vm["client-assets"].as<std::string>());
    if (vm.count("static-dir"))
        c.static_dir = served_directory("static-dir", vm["static-dir"].as<std::string>());
    return c;
}

} // namespace switchboard::server
