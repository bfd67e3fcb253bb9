// SPDX-License-Identifier: Apache-2.0
#include "core/audit/log_follower.hpp"

#include <algorithm>
#include <cerrno>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace vigil::audit {

LogFollower::LogFollower(std::string path, StartAt start_at, std::size_t max_line_bytes)
    : path_(std::move(path)), start_at_(start_at), max_line_bytes_(max_line_bytes), buffer_(256 * 1024)
{
}

LogFollower::~LogFollower()
{
    close_current();
}

void LogFollower::close_current()
{
    fd_.reset();
    partial_.clear();
    discard_to_newline_ = false;
}

bool LogFollower::open_current(bool at_end)
{
    util::FileDescriptor fd(::open(path_.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK));
    if (!fd.is_open()) {
        return false;
    }
    struct stat status {};
    // A FIFO or device at the path would block or never end: only regular files are followed.
    if (::fstat(fd.get(), &status) != 0 || !S_ISREG(status.st_mode)) {
        return false;
    }
    fd_ = std::move(fd);
    device_ = status.st_dev;
    inode_ = status.st_ino;
    offset_ = 0;
    if (at_end && status.st_size > 0) {
        offset_ = static_cast<uint64_t>(status.st_size);
        // Starting at the end of a line still being written would hand over its tail as a line.
        char last = '\n';
        if (::pread(fd_.get(), &last, 1, status.st_size - 1) == 1 && last != '\n') {
            discard_to_newline_ = true;
        }
    }
    return true;
}

bool LogFollower::replaced_at_path() const
{
    struct stat status {};
    // A missing path is a rotation half done (moved away, not created yet):
    // the old file is kept, since the writer may still be appending to it.
    if (::stat(path_.c_str(), &status) != 0) {
        return false;
    }
    return status.st_dev != device_ || status.st_ino != inode_;
}

void LogFollower::split_lines(std::string_view data, const LineHandler &handler)
{
    auto deliver = [&](std::string_view line) {
        if (!line.empty() && line.back() == '\r') {
            line.remove_suffix(1);
        }
        if (line.find_first_not_of(" \t") == std::string_view::npos) {
            return;
        }
        ++statistics_.lines;
        handler(line);
    };
    std::size_t start = 0;
    while (start < data.size()) {
        auto newline = data.find('\n', start);
        if (newline == std::string_view::npos) {
            auto rest = data.substr(start);
            if (discard_to_newline_) {
                return;
            }
            if (partial_.size() + rest.size() > max_line_bytes_) {
                ++statistics_.overlong_lines;
                partial_.clear();
                discard_to_newline_ = true;
                return;
            }
            partial_.append(rest);
            return;
        }
        auto piece = data.substr(start, newline - start);
        start = newline + 1;
        if (discard_to_newline_) {
            discard_to_newline_ = false;
            continue;
        }
        if (partial_.empty()) {
            if (piece.size() > max_line_bytes_) {
                ++statistics_.overlong_lines;
                continue;
            }
            deliver(piece);
            continue;
        }
        if (partial_.size() + piece.size() > max_line_bytes_) {
            ++statistics_.overlong_lines;
        } else {
            partial_.append(piece);
            deliver(partial_);
        }
        partial_.clear();
    }
}

bool LogFollower::read_available(const LineHandler &handler, std::size_t &budget)
{
    while (budget > 0) {
        auto wanted = std::min(buffer_.size(), budget);
        auto got = ::pread(fd_.get(), buffer_.data(), wanted, static_cast<off_t>(offset_));
        if (got < 0) {
            if (errno == EINTR) {
                continue;
            }
            return false;
        }
        if (got == 0) {
            return false;
        }
        auto size = static_cast<std::size_t>(got);
        offset_ += size;
        budget -= size;
        statistics_.bytes += size;
        split_lines(std::string_view(buffer_.data(), size), handler);
    }
    return true;
}

bool LogFollower::poll(const LineHandler &handler, std::size_t max_bytes)
{
    std::size_t budget = max_bytes;
    if (!fd_.is_open()) {
        // Only a file there at the first poll has lines from before the start to skip;
        // one created later holds only new lines.
        bool at_end = !polled_once_ && start_at_ == StartAt::end;
        polled_once_ = true;
        if (!open_current(at_end)) {
            ++statistics_.open_failures;
            return false;
        }
    }
    struct stat status {};
    if (::fstat(fd_.get(), &status) == 0 && static_cast<uint64_t>(status.st_size) < offset_) {
        // copytruncate: what is in the file now was written after the truncation.
        ++statistics_.truncations;
        offset_ = 0;
        partial_.clear();
        discard_to_newline_ = false;
    }
    if (read_available(handler, budget)) {
        return true;
    }
    if (!replaced_at_path()) {
        return false;
    }
    // Renamed away and replaced. The writer may have appended to the old file
    // between the read above and the check: read it to its end once more.
    if (read_available(handler, budget)) {
        return true;
    }
    // The old file is finished, so a last line without a newline is complete.
    if (!partial_.empty() && !discard_to_newline_) {
        std::string last = std::move(partial_);
        partial_.clear();
        split_lines(last + "\n", handler);
    }
    close_current();
    ++statistics_.rotations;
    if (!open_current(false)) {
        ++statistics_.open_failures;
        return false;
    }
    read_available(handler, budget);
    return true;
}

} // namespace vigil::audit
