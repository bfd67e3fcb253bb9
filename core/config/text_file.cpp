// SPDX-License-Identifier: Apache-2.0
#include "core/config/text_file.hpp"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

#include "core/util/file_descriptor.hpp"

namespace vigil::config {

std::expected<std::string, int> read_text_file(const std::string &path)
{
    util::FileDescriptor file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (file.get() < 0) {
        return std::unexpected(errno);
    }
    std::string content;
    char chunk[16384];
    for (;;) {
        auto count = ::read(file.get(), chunk, sizeof chunk);
        if (count < 0 && errno == EINTR) {
            continue;
        }
        if (count < 0) {
            // A directory opens fine and fails here with EISDIR.
            return std::unexpected(errno);
        }
        if (count == 0) {
            return content;
        }
        content.append(chunk, static_cast<std::size_t>(count));
    }
}

} // namespace vigil::config
