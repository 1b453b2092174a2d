#pragma once

#include <spdlog/spdlog.h>

#include <cstdint>
#include <exception>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>

namespace switchboard::server {

enum class log_format : std::uint8_t { text, json, logfmt };

// Routes spdlog's default logger to stderr with a line layout for `format`. spdlog does the
// sinks, levels and timestamps; log_event() renders the fields of one event.
void setup_logging(log_format format, spdlog::level::level_enum level);

struct log_field {
    std::string_view key;
    std::variant<std::string_view, std::int64_t> value;
};

// One structured event: a short message plus fields, one line in the selected format. Callers
// pass identifiers, counts and reasons only: never SDP, message bodies or credentials. A field
// whose text is empty is left out, so optional details need no separate call.
void log_event(spdlog::level::level_enum level, std::string_view message,
               std::initializer_list<log_field> fields = {});

// Completion of a detached connection coroutine: one misbehaving connection must never take
// the process down, so what escaped is logged and the server goes on.
void log_escaped(std::exception_ptr e);

} // namespace switchboard::server
