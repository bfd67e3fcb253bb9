// SPDX-License-Identifier: Apache-2.0
#include "framing.hpp"

#include <charconv>

namespace vigil_syslog {

void append_frame(std::string &out, std::string_view message)
{
    out += std::to_string(message.size());
    out += ' ';
    out += message;
}

std::optional<std::vector<std::string_view>> split_frames(std::string_view request)
{
    std::vector<std::string_view> messages;
    while (!request.empty()) {
        auto space = request.find(' ');
        if (space == std::string_view::npos || space == 0 || request.front() == '0') {
            return std::nullopt;
        }
        std::size_t length = 0;
        auto [end, error] = std::from_chars(request.data(), request.data() + space, length);
        if (error != std::errc() || end != request.data() + space || length > request.size() - space - 1) {
            return std::nullopt;
        }
        messages.push_back(request.substr(space + 1, length));
        request.remove_prefix(space + 1 + length);
    }
    return messages;
}

} // namespace vigil_syslog
