// SPDX-License-Identifier: Apache-2.0
// Writing requests to standard output with write(2): no stdio buffering, so a
// line is out of the process when send returns OK.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <unistd.h>

#include <vigil/output.hpp>

namespace vigil_stdout {

class StdoutWriter {
public:
    explicit StdoutWriter(int fd = STDOUT_FILENO) : fd_(fd) {}

    // Writes all of @request. After a RETRY that came after part of it was
    // written, the sensor sends the same request again, and writing resumes
    // where it stopped, so that no line is printed twice or half.
    vigil::SendResult write_all(std::string_view request);

private:
    vigil::SendResult retry(std::size_t written, std::size_t size, int error);
    vigil::SendResult reject(int error);
    // Waits a while for a full pipe or terminal to drain. True when writable.
    bool wait_writable() const;

    int fd_;
    std::size_t resume_size_ = 0;   // the size of the request a RETRY interrupted
    std::size_t resume_offset_ = 0; // how much of it was written
    std::string reason_;            // the last failure, which a SendResult points into
};

} // namespace vigil_stdout
