// SPDX-License-Identifier: Apache-2.0
// The sensor's logging: spdlog to stderr, with libbpf's own messages routed into it.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <spdlog/spdlog.h>

namespace vigil::logging {

// Sets up the default logger (stderr, one line per message) at @level.
void initialise(spdlog::level::level_enum level = spdlog::level::info);

// "trace", "debug", "info", "warning", "error"; nullopt for anything else.
std::optional<spdlog::level::level_enum> parse_level(std::string_view name);

// Sends libbpf's messages to spdlog: its warnings as warnings, its debug chatter
// (verifier logs included) at debug and trace.
void route_libbpf_messages();

// Suppresses libbpf's messages while an expected failure is being probed.
class QuietLibbpf {
public:
    QuietLibbpf();
    ~QuietLibbpf();
    QuietLibbpf(const QuietLibbpf &) = delete;
    QuietLibbpf &operator=(const QuietLibbpf &) = delete;
};

// Collects libbpf's warnings (a verifier's complaint, a missing tracepoint) while
// alive instead of logging them, so a failure can be reported with its reason.
class CaptureLibbpf {
public:
    CaptureLibbpf();
    ~CaptureLibbpf();
    CaptureLibbpf(const CaptureLibbpf &) = delete;
    CaptureLibbpf &operator=(const CaptureLibbpf &) = delete;
    // The last few warning lines, most telling last, joined with "; ".
    std::string summary(std::size_t max_lines = 3) const;

private:
    friend int capture_line(std::string_view line);
    std::vector<std::string> lines_;
    CaptureLibbpf *previous_;
};

} // namespace vigil::logging
