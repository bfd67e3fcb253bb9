#include "core/config/text_file.hpp"

#include <cerrno>
#include <fcntl.h>
#include <unistd.h>

namespace vigil::config {

namespace {

// Closes the descriptor on every return path.
class FileDescriptor {
public:
    explicit FileDescriptor(int descriptor) : descriptor_(descriptor) {}
    ~FileDescriptor()
    {
        if (descriptor_ >= 0) {
            ::close(descriptor_);
        }
    }
    FileDescriptor(const FileDescriptor &) = delete;
    FileDescriptor &operator=(const FileDescriptor &) = delete;
    int get() const { return descriptor_; }

private:
    int descriptor_;
};

} // namespace

std::expected<std::string, int> read_text_file(const std::string &path)
{
    FileDescriptor file(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
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
