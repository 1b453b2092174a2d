// switchboard_bench: EasyRTC load generator. One scenario per run against a server on loopback,
// or `smoke` to start a switchboard binary and run every scenario briefly, checking only
// correctness.
#include "scenarios.hpp"
#include "server_process.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/program_options.hpp>

#include <exception>
#include <functional>
#include <iostream>
#include <optional>

namespace {

namespace sb = switchboard::bench;
namespace po = boost::program_options;
using std::chrono::milliseconds;

struct run_settings {
    sb::tcp::endpoint server;
    sb::common_options common;
    bool tolerate_reference = false;
    bool tls = false;
};

// Runs one scenario on a fresh io_context and client set.
sb::scenario_report
run_scenario(const run_settings& s,
             const std::function<sb::net::awaitable<sb::scenario_report>(sb::run_context&)>& body) {
    sb::net::io_context ioc;
    sb::net::ssl::context tls(sb::net::ssl::context::tls_client);
    tls.set_verify_mode(sb::net::ssl::verify_none);
    sb::run_context ctx{ioc, s.server, s.tolerate_reference, s.tls ? &tls : nullptr, {}, {}, 0,
                        0,   0};
    std::optional<sb::scenario_report> out;
    std::exception_ptr error;
    sb::net::co_spawn(ioc, body(ctx), [&](std::exception_ptr e, sb::scenario_report r) {
        error = e;
        out = std::move(r);
    });
    ioc.run();
    if (error)
        std::rethrow_exception(error);
    return std::move(*out);
}

int usage() {
    std::cerr << "usage: switchboard_bench {connect|relay|joinstorm|fanout|smoke} [options]\n"
                 "       switchboard_bench <scenario> --help\n";
    return 2;
}

int smoke(const std::string& binary) {
    // Fast pings so the idle phase proves the generator answers them (a missed pong closes the
    // connection, which the checks report); no limits that would refuse the load.
    sb::server_process server(binary, {"--log-level", "info", "--room-max-connections", "0",
                                       "--rate-limit-burst", "0", "--rate-limit-per-second", "0",
                                       "--ping-interval-ms", "200", "--ping-timeout-ms", "1000"});
    run_settings s;
    s.server = {sb::net::ip::make_address("127.0.0.1"), server.port()};
    s.common.server_pid = server.pid();
    s.common.concurrency = 16;
    std::vector<sb::scenario_report> reports;
    reports.push_back(run_scenario(s, [&](sb::run_context& ctx) {
        return sb::run_connect(ctx, s.common, {40, 4, milliseconds(1500)});
    }));
    reports.push_back(run_scenario(s, [&](sb::run_context& ctx) {
        return sb::run_relay(ctx, s.common, {8, 4, 0, milliseconds(200), milliseconds(500)});
    }));
    reports.push_back(run_scenario(s, [&](sb::run_context& ctx) {
        return sb::run_relay(ctx, s.common, {8, 1, 1000, milliseconds(200), milliseconds(500)});
    }));
    reports.push_back(run_scenario(
        s, [&](sb::run_context& ctx) { return sb::run_joinstorm(ctx, s.common, {40}); }));
    reports.push_back(run_scenario(s, [&](sb::run_context& ctx) {
        return sb::run_fanout(ctx, s.common, {4, 5, 2, milliseconds(200), milliseconds(500)});
    }));
    int failed = 0;
    for (auto& r : reports) {
        sb::print_table(std::cout, r);
        // Work must have happened for the checks to mean anything.
        for (const auto& m : r.metrics) {
            if ((m.name == "relays_total" || m.name == "deliveries_total" || m.name == "join_ms" ||
                 m.name == "leave_ms") &&
                m.value <= 0) {
                std::cout << "  FAILED: " << m.name << " is " << m.value << '\n';
                ++failed;
            }
        }
        if (r.failures != 0)
            ++failed;
    }
    if (!server.alive()) {
        std::cout << "FAILED: the server exited during the run\n";
        ++failed;
    }
    std::cout << (failed == 0 ? "smoke: ok\n" : "smoke: FAILED\n");
    return failed == 0 ? 0 : 1;
}

} // namespace

int main(int argc, char** argv) try {
    if (argc < 2)
        return usage();
    const std::string scenario = argv[1];
    po::options_description common("Common options");
    // clang-format off
    common.add_options()
        ("help", "this help")
        ("host", po::value<std::string>()->default_value("127.0.0.1"), "server address")
        ("port", po::value<unsigned>()->default_value(8080), "server port")
        ("pid", po::value<int>()->default_value(0), "server pid, for its CPU time and RSS (0 = none)")
        ("concurrency", po::value<std::size_t>()->default_value(64), "handshakes in flight while connecting")
        ("label", po::value<std::string>()->default_value(""), "name of the server in the report")
        ("json", "print one JSON object instead of the table")
        ("tls", "connect with TLS (wss://); the certificate is not verified")
        ("tolerate-reference", "accept the reference server's documented duplicate join deltas");
    // clang-format on
    po::options_description specific("Scenario options");
    const sb::connect_options cd;
    const sb::relay_options rd;
    const sb::joinstorm_options jd;
    const sb::fanout_options fd;
    if (scenario == "connect") {
        specific.add_options()("clients", po::value<std::size_t>()->default_value(cd.clients), "")(
            "room-size", po::value<std::size_t>()->default_value(cd.room_size),
            "")("idle-ms", po::value<long>()->default_value(cd.idle.count()), "idle phase");
    } else if (scenario == "relay") {
        specific.add_options()("pairs", po::value<std::size_t>()->default_value(rd.pairs), "")(
            "window", po::value<std::size_t>()->default_value(rd.window),
            "in flight per pair")("rate", po::value<double>()->default_value(0),
                                  "total relays/s, open loop (0 = closed)")(
            "warmup-ms", po::value<long>()->default_value(rd.warmup.count()),
            "")("duration-ms", po::value<long>()->default_value(rd.duration.count()), "");
    } else if (scenario == "joinstorm") {
        specific.add_options()("clients", po::value<std::size_t>()->default_value(jd.clients), "");
    } else if (scenario == "fanout") {
        specific.add_options()("rooms", po::value<std::size_t>()->default_value(fd.rooms), "")(
            "room-size", po::value<std::size_t>()->default_value(fd.room_size),
            "")("window", po::value<std::size_t>()->default_value(fd.window), "in flight per room")(
            "warmup-ms", po::value<long>()->default_value(fd.warmup.count()),
            "")("duration-ms", po::value<long>()->default_value(fd.duration.count()), "");
    } else if (scenario == "smoke") {
        specific.add_options()("server", po::value<std::string>()->required(),
                               "switchboard binary to start on a loopback port");
    } else {
        return usage();
    }
    po::options_description all;
    all.add(common).add(specific);
    po::variables_map vm;
    po::store(po::parse_command_line(argc - 1, argv + 1, all), vm);
    if (vm.count("help")) {
        std::cout << all << '\n';
        return 0;
    }
    po::notify(vm);
    if (scenario == "smoke")
        return smoke(vm["server"].as<std::string>());

    run_settings s;
    s.server = {sb::net::ip::make_address(vm["host"].as<std::string>()),
                static_cast<std::uint16_t>(vm["port"].as<unsigned>())};
    s.common.server_pid = vm["pid"].as<int>();
    s.common.concurrency = vm["concurrency"].as<std::size_t>();
    s.tolerate_reference = vm.count("tolerate-reference") != 0;
    s.tls = vm.count("tls") != 0;
    auto ms = [&](const char* name) { return milliseconds(vm[name].as<long>()); };
    sb::scenario_report r = run_scenario(s, [&](sb::run_context& ctx) {
        if (scenario == "connect")
            return sb::run_connect(ctx, s.common,
                                   {vm["clients"].as<std::size_t>(),
                                    vm["room-size"].as<std::size_t>(), ms("idle-ms")});
        if (scenario == "relay")
            return sb::run_relay(ctx, s.common,
                                 {vm["pairs"].as<std::size_t>(), vm["window"].as<std::size_t>(),
                                  vm["rate"].as<double>(), ms("warmup-ms"), ms("duration-ms")});
        if (scenario == "joinstorm")
            return sb::run_joinstorm(ctx, s.common, {vm["clients"].as<std::size_t>()});
        return sb::run_fanout(ctx, s.common,
                              {vm["rooms"].as<std::size_t>(), vm["room-size"].as<std::size_t>(),
                               vm["window"].as<std::size_t>(), ms("warmup-ms"), ms("duration-ms")});
    });
    r.label = vm["label"].as<std::string>();
    if (vm.count("json"))
        sb::print_json(std::cout, r);
    else
        sb::print_table(std::cout, r);
    return r.failures == 0 ? 0 : 1;
} catch (const std::exception& e) {
    std::cerr << "switchboard_bench: " << e.what() << '\n';
    return 2;
}
