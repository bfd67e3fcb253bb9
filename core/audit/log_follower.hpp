// SPDX-License-Identifier: Apache-2.0
// Follows a JSON-lines file that another process appends to and rotates, as
// the API server's log backend (or logrotate) does, and hands over each
// complete line once. Synchronous and thread-free, so it can be tested step
// by step; LogSource calls poll() on its own thread.
//
// Polling (stat and read, every 200 ms from LogSource) rather than inotify:
// it works the same on every filesystem (overlay, NFS, a hostPath of a
// kubelet's node), needs no watch on the directory to see a rename, and an
// audit log is written in bursts anyway, so 200 ms adds nothing that matters.
//
//  - Rename rotation (the file moved away, a new one created at the path):
//    the old file, still open, is read to its end before the new one is
//    opened and read from its start.
//  - copytruncate (the file copied away, then truncated in place): the size
//    falls below the offset read so far, so reading starts over at 0. Lines
//    appended between the last poll and the truncation went to the copy only,
//    and a file truncated and refilled past the old offset between two polls
//    cannot be told from one that grew: both are limits of copytruncate.
//  - A last line without its newline is kept until the newline arrives.
//  - Nothing is remembered across restarts: the first open starts at the end
//    (or the beginning) of the file, as configured.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <sys/types.h>
#include <vector>

#include "core/util/file_descriptor.hpp"

namespace vigil::audit {

enum class StartAt { end, beginning };

struct FollowerStatistics {
    uint64_t lines = 0;
    uint64_t bytes = 0;
    uint64_t rotations = 0;      // renames followed
    uint64_t truncations = 0;    // copytruncates followed
    uint64_t overlong_lines = 0; // longer than max_line_bytes: skipped
    uint64_t open_failures = 0;  // polls that found no readable file at the path
};

class LogFollower {
public:
    using LineHandler = std::function<void(std::string_view line)>;

    LogFollower(std::string path, StartAt start_at, std::size_t max_line_bytes = 4 * 1024 * 1024);
    ~LogFollower();
    LogFollower(const LogFollower &) = delete;
    LogFollower &operator=(const LogFollower &) = delete;

    // Reads what was appended since the last poll, following a rotation, and
    // calls @handler with each complete line (without its newline), in order.
    // Reads at most @max_bytes, so that a caller can hand over what it has
    // before reading on; returns true when more may be waiting.
    bool poll(const LineHandler &handler, std::size_t max_bytes = 16 * 1024 * 1024);

    const std::string &path() const { return path_; }
    const FollowerStatistics &statistics() const { return statistics_; }
    bool is_open() const { return fd_.is_open(); }

private:
    bool open_current(bool at_end);
    void close_current();
    // Reads from the open file until its end or @budget bytes; true if it stopped at the budget.
    bool read_available(const LineHandler &handler, std::size_t &budget);
    void split_lines(std::string_view data, const LineHandler &handler);
    bool replaced_at_path() const;

    std::string path_;
    StartAt start_at_;
    std::size_t max_line_bytes_;
    util::FileDescriptor fd_;
    dev_t device_ = 0;
    ino_t inode_ = 0;
    uint64_t offset_ = 0;
    bool polled_once_ = false;
    std::string partial_;             // the start of a line whose newline has not been written yet
    bool discard_to_newline_ = false; // inside an overlong line, or the line the first open started in
    std::vector<char> buffer_;
    FollowerStatistics statistics_;
};

} // namespace vigil::audit
