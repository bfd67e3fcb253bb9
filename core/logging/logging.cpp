// SPDX-License-Identifier: Apache-2.0
#include "core/logging/logging.hpp"

#include <cstdarg>
#include <cstdio>
#include <string>

#include <bpf/libbpf.h>
#include <spdlog/sinks/stdout_color_sinks.h>

namespace vigil::logging {

int capture_line(std::string_view line);

namespace {

int print_to_spdlog(libbpf_print_level level, const char *format, va_list arguments)
{
    char message[2048];
    int length = std::vsnprintf(message, sizeof(message), format, arguments);
    std::string_view text(
        message, length < 0 ? 0 : std::min<std::size_t>(static_cast<std::size_t>(length), sizeof(message) - 1));
    while (!text.empty() && text.back() == '\n') {
        text.remove_suffix(1);
    }
    switch (level) {
    case LIBBPF_WARN:
        spdlog::warn("libbpf: {}", text);
        break;
    case LIBBPF_INFO:
        spdlog::debug("libbpf: {}", text);
        break;
    case LIBBPF_DEBUG:
        spdlog::trace("libbpf: {}", text);
        break;
    }
    return 0;
}

thread_local int quiet_depth = 0;
thread_local CaptureLibbpf *active_capture = nullptr;

int print_routed(libbpf_print_level level, const char *format, va_list arguments)
{
    if (active_capture != nullptr) {
        if (level == LIBBPF_WARN) {
            char message[2048];
            int length = std::vsnprintf(message, sizeof(message), format, arguments);
            if (length > 0) {
                capture_line(std::string_view(
                    message, std::min<std::size_t>(static_cast<std::size_t>(length), sizeof(message) - 1)));
            }
        }
        return 0;
    }
    if (quiet_depth > 0) {
        return 0;
    }
    return print_to_spdlog(level, format, arguments);
}

} // namespace

int capture_line(std::string_view line)
{
    while (!line.empty() && (line.back() == '\n' || line.back() == ' ')) {
        line.remove_suffix(1);
    }
    if (!line.empty()) {
        active_capture->lines_.emplace_back(line);
    }
    return 0;
}

CaptureLibbpf::CaptureLibbpf() : previous_(active_capture)
{
    active_capture = this;
}
CaptureLibbpf::~CaptureLibbpf()
{
    active_capture = previous_;
}

std::string CaptureLibbpf::summary(std::size_t max_lines) const
{
    std::string joined;
    auto first = lines_.size() > max_lines ? lines_.size() - max_lines : 0;
    for (auto index = first; index < lines_.size(); ++index) {
        if (!joined.empty()) {
            joined += "; ";
        }
        joined += lines_[index];
    }
    return joined;
}

void initialise(spdlog::level::level_enum level)
{
    auto logger = spdlog::stderr_color_mt("vigil");
    logger->set_pattern("%Y-%m-%dT%H:%M:%S.%e%z %^%l%$ %v");
    logger->set_level(level);
    logger->flush_on(spdlog::level::trace);
    spdlog::set_default_logger(logger);
}

std::optional<spdlog::level::level_enum> parse_level(std::string_view name)
{
    if (name == "trace")
        return spdlog::level::trace;
    if (name == "debug")
        return spdlog::level::debug;
    if (name == "info")
        return spdlog::level::info;
    if (name == "warning")
        return spdlog::level::warn;
    if (name == "error")
        return spdlog::level::err;
    return std::nullopt;
}

void route_libbpf_messages()
{
    libbpf_set_print(print_routed);
}

QuietLibbpf::QuietLibbpf()
{
    ++quiet_depth;
}
QuietLibbpf::~QuietLibbpf()
{
    --quiet_depth;
}

} // namespace vigil::logging
