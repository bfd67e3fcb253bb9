// SPDX-License-Identifier: Apache-2.0
// The file the jsonl output appends to. Written with write(2) straight from
// the request (no user-space buffer), so a line is in the page cache when
// send returns OK; and reopened by path when log rotation moved it away.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <sys/types.h>

#include <vigil/output.hpp>

namespace vigil_jsonl {

class AppendFile {
public:
    AppendFile(std::string path, bool create_directories);
    ~AppendFile();
    AppendFile(const AppendFile &) = delete;
    AppendFile &operator=(const AppendFile &) = delete;

    // Opens (creating) the file now. Returns 0 or a negative errno.
    int open();

    // Appends all of @bytes, first reopening the file if its path no longer
    // names the file that is open. After a RETRY that came after part of it
    // was written, the sensor sends the same request again and writing
    // resumes where it stopped, unless the path now names another file (then
    // the whole request goes to the new file).
    vigil::SendResult append(std::string_view bytes);

    const std::string &path() const { return path_; }

private:
    // True when the path is missing or names another file than the one open.
    bool rotated_away() const;
    void close();
    vigil::SendResult retry(const char *what, int error);

    std::string path_;
    bool create_directories_;
    int fd_ = -1;
    dev_t device_ = 0;
    ino_t inode_ = 0;
    std::size_t resume_size_ = 0;   // the size of the request a RETRY interrupted
    std::size_t resume_offset_ = 0; // how much of it is in the open file
    std::string reason_;            // the last failure, which a SendResult points into
};

} // namespace vigil_jsonl
