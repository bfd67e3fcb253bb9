// SPDX-License-Identifier: Apache-2.0
// The one owner of a file descriptor in the sensor: closed when its owner goes
// away, so that no error path can leak one.
#pragma once

#include <unistd.h>

#include <utility>

namespace vigil::util {

class FileDescriptor {
public:
    FileDescriptor() = default;
    explicit FileDescriptor(int descriptor) : descriptor_(descriptor) {}
    FileDescriptor(FileDescriptor &&other) noexcept : descriptor_(std::exchange(other.descriptor_, -1)) {}
    FileDescriptor &operator=(FileDescriptor &&other) noexcept
    {
        if (this != &other) {
            reset(std::exchange(other.descriptor_, -1));
        }
        return *this;
    }
    FileDescriptor(const FileDescriptor &) = delete;
    FileDescriptor &operator=(const FileDescriptor &) = delete;
    ~FileDescriptor() { reset(); }

    int get() const { return descriptor_; }
    bool is_open() const { return descriptor_ >= 0; }

    // Closes what is held (if anything) and holds @descriptor instead.
    void reset(int descriptor = -1)
    {
        if (descriptor_ >= 0) {
            ::close(descriptor_);
        }
        descriptor_ = descriptor;
    }

private:
    int descriptor_ = -1;
};

} // namespace vigil::util
