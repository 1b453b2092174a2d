#include "switchboard/server/logging.hpp"

#include "switchboard/protocol/easyrtc_json.hpp"

#include <spdlog/sinks/stdout_sinks.h>

#include <atomic>

namespace switchboard::server {

namespace {

std::atomic<log_format> current_format{log_format::text};

using protocol::easyrtc::append_json_string;

// logfmt quotes a value that is empty or holds a space, '=', '"' or a control character.
void append_logfmt_value(std::string& out, std::string_view s) {
    bool quote = s.empty();
    for (unsigned char c : s)
        quote = quote || c <= ' ' || c == '=' || c == '"';
    if (!quote) {
        out += s;
        return;
    }
    append_json_string(out, s); // JSON string escaping is what logfmt readers accept
}

} // namespace

void setup_logging(log_format format, spdlog::level::level_enum level) {
    current_format = format;
    auto logger = spdlog::stderr_logger_mt("switchboard");
    switch (format) {
    case log_format::text:
        logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %l %v");
        break;
    case log_format::json:
        logger->set_pattern(R"({"time":"%Y-%m-%dT%H:%M:%S.%e%z","level":"%l",%v})");
        break;
    case log_format::logfmt:
        logger->set_pattern("time=%Y-%m-%dT%H:%M:%S.%e%z level=%l %v");
        break;
    }
    logger->set_level(level);
    logger->flush_on(spdlog::level::info);
    spdlog::set_default_logger(std::move(logger));
}

void log_event(spdlog::level::level_enum level, std::string_view message,
               std::initializer_list<log_field> fields) {
    if (!spdlog::should_log(level))
        return;
    const auto format = current_format.load(std::memory_order_relaxed);
    std::string line;
    line.reserve(128);
    if (format == log_format::json) {
        line += "\"msg\":";
        append_json_string(line, message);
    } else if (format == log_format::logfmt) {
        line += "msg=";
        append_logfmt_value(line, message);
    } else {
        line += message;
    }
    for (const auto& f : fields) {
        const auto* text = std::get_if<std::string_view>(&f.value);
        if (text && text->empty())
            continue;
        line += format == log_format::json ? "," : " ";
        if (format == log_format::json) {
            append_json_string(line, f.key);
            line += ':';
        } else {
            line += f.key;
            line += '=';
        }
        if (const auto* n = std::get_if<std::int64_t>(&f.value)) {
            line += std::to_string(*n);
        } else if (format == log_format::json) {
            append_json_string(line, *text);
        } else {
            append_logfmt_value(line, *text);
        }
    }
    spdlog::log(level, "{}", line);
}

void log_escaped(std::exception_ptr e) {
    if (!e)
        return;
    try {
        std::rethrow_exception(e);
    } catch (const std::exception& ex) {
        log_event(spdlog::level::err, "connection ended by an exception", {{"error", ex.what()}});
    }
}

} // namespace switchboard::server
