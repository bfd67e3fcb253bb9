// SPDX-License-Identifier: Apache-2.0
#include "request_parts.hpp"

#include <charconv>

namespace vigil_datadog {

void append_part(std::string &request, PartKind kind, std::string_view body)
{
    request += static_cast<char>(kind);
    request += std::to_string(body.size());
    request += '\n';
    request += body;
}

std::optional<std::vector<Part>> split_parts(std::string_view request)
{
    std::vector<Part> parts;
    while (!request.empty()) {
        const char kind = request.front();
        if (kind != 'L' && kind != 'Z' && kind != 'E') {
            return std::nullopt;
        }
        auto newline = request.find('\n');
        if (newline == std::string_view::npos || newline < 2) {
            return std::nullopt;
        }
        std::size_t length = 0;
        auto digits = request.substr(1, newline - 1);
        auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), length);
        if (error != std::errc() || end != digits.data() + digits.size() || length > request.size() - newline - 1) {
            return std::nullopt;
        }
        parts.push_back(Part{static_cast<PartKind>(kind), request.substr(newline + 1, length)});
        request.remove_prefix(newline + 1 + length);
    }
    if (parts.empty()) {
        return std::nullopt;
    }
    return parts;
}

} // namespace vigil_datadog
