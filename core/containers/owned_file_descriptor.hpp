// A file descriptor closed when its owner goes away, so that no error path
// of the cgroup lookups can leak one.
#pragma once

#include <unistd.h>

#include <utility>

namespace vigil::containers {

class OwnedFileDescriptor {
public:
    OwnedFileDescriptor() = default;
    explicit OwnedFileDescriptor(int descriptor) : descriptor_(descriptor) {}
    OwnedFileDescriptor(OwnedFileDescriptor &&other) noexcept : descriptor_(std::exchange(other.descriptor_, -1)) {}
    OwnedFileDescriptor &operator=(OwnedFileDescriptor &&other) noexcept
    {
        if (this != &other) {
            close_if_open();
            descriptor_ = std::exchange(other.descriptor_, -1);
        }
        return *this;
    }
    OwnedFileDescriptor(const OwnedFileDescriptor &) = delete;
    OwnedFileDescriptor &operator=(const OwnedFileDescriptor &) = delete;
    ~OwnedFileDescriptor() { close_if_open(); }

    int get() const { return descriptor_; }
    bool is_open() const { return descriptor_ >= 0; }

private:
    void close_if_open()
    {
        if (descriptor_ >= 0)
            ::close(descriptor_);
        descriptor_ = -1;
    }

    int descriptor_ = -1;
};

} // namespace vigil::containers
