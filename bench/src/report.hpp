#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace switchboard::bench {

struct metric {
    std::string name; // snake_case key, also the JSON key
    double value = 0;
    std::string unit;
};

struct scenario_report {
    std::string scenario; // connect, relay, relay_open, joinstorm, fanout
    std::string label;    // which server, as given by --label
    std::vector<metric> metrics;
    std::uint64_t failures = 0;
    std::vector<std::string> first_failures;

    void add(std::string name, double value, std::string unit) {
        metrics.push_back({std::move(name), value, std::move(unit)});
    }
};

void print_table(std::ostream& out, const scenario_report& r);
// One JSON object on one line.
void print_json(std::ostream& out, const scenario_report& r);

} // namespace switchboard::bench
