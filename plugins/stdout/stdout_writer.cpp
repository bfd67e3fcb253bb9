// SPDX-License-Identifier: Apache-2.0
#include "stdout_writer.hpp"

#include <cerrno>
#include <cstring>

#include <poll.h>

namespace vigil_stdout {
namespace {

// How long one send waits for a reader that is not keeping up before it hands
// the request back for a retry with backoff.
constexpr int writable_wait_ms = 1000;

} // namespace

vigil::SendResult StdoutWriter::write_all(std::string_view request)
{
    std::size_t written = request.size() == resume_size_ ? resume_offset_ : 0;
    resume_size_ = 0;
    resume_offset_ = 0;
    while (written < request.size()) {
        auto result = ::write(fd_, request.data() + written, request.size() - written);
        if (result > 0) {
            written += static_cast<std::size_t>(result);
            continue;
        }
        // A write that takes nothing and reports no error is not expected from
        // a pipe, terminal or file; read it as an I/O error rather than spin.
        int error = result == 0 ? EIO : errno;
        if (error == EINTR) {
            continue;
        }
        if ((error == EAGAIN || error == EWOULDBLOCK) && wait_writable()) {
            continue;
        }
        switch (error) {
        case EAGAIN:
#if EWOULDBLOCK != EAGAIN
        case EWOULDBLOCK:
#endif
        case ENOSPC:
        case EDQUOT:
        case EIO:
        case ENOBUFS:
        case EFBIG:
            return retry(written, request.size(), error);
        default:
            // EPIPE (the reader is gone), EBADF (no stdout), EINVAL...: no
            // amount of retrying brings the reader back.
            return reject(error);
        }
    }
    return vigil::SendResult::ok();
}

vigil::SendResult StdoutWriter::retry(std::size_t written, std::size_t size, int error)
{
    resume_size_ = size;
    resume_offset_ = written;
    reason_ = std::string("cannot write to stdout: ") + std::strerror(error);
    return vigil::SendResult::retry(reason_);
}

vigil::SendResult StdoutWriter::reject(int error)
{
    reason_ = std::string("cannot write to stdout: ") + std::strerror(error);
    return vigil::SendResult::reject(reason_);
}

bool StdoutWriter::wait_writable() const
{
    pollfd descriptor{fd_, POLLOUT, 0};
    int ready = 0;
    do {
        ready = ::poll(&descriptor, 1, writable_wait_ms);
    } while (ready < 0 && errno == EINTR);
    return ready > 0 && (descriptor.revents & POLLOUT) != 0;
}

} // namespace vigil_stdout
