#include "report.hpp"

#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <cstdio>

namespace switchboard::bench {

void print_table(std::ostream& out, const scenario_report& r) {
    out << "== " << r.scenario << (r.label.empty() ? "" : " [" + r.label + "]") << '\n';
    for (const auto& m : r.metrics) {
        char line[160];
        std::snprintf(line, sizeof line, "  %-34s %14.3f %s\n", m.name.c_str(), m.value,
                      m.unit.c_str());
        out << line;
    }
    out << "  correctness: " << (r.failures == 0 ? "ok" : std::to_string(r.failures) + " FAILED")
        << '\n';
    for (const auto& f : r.first_failures)
        out << "    " << f << '\n';
}

void print_json(std::ostream& out, const scenario_report& r) {
    boost::json::object metrics;
    boost::json::object units;
    for (const auto& m : r.metrics) {
        metrics[m.name] = m.value;
        units[m.name] = m.unit;
    }
    boost::json::array failures;
    for (const auto& f : r.first_failures)
        failures.emplace_back(f);
    boost::json::object o{{"scenario", r.scenario},        {"label", r.label},
                          {"metrics", std::move(metrics)}, {"units", std::move(units)},
                          {"failures", r.failures},        {"first_failures", std::move(failures)}};
    out << boost::json::serialize(o) << '\n';
}

} // namespace switchboard::bench
