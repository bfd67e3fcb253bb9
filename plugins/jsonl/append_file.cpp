// SPDX-License-Identifier: Apache-2.0
#include "append_file.hpp"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "make_directories.hpp"

namespace vigil_jsonl {

AppendFile::AppendFile(std::string path, bool create_directories)
    : path_(std::move(path)), create_directories_(create_directories)
{
}

AppendFile::~AppendFile()
{
    close();
}

int AppendFile::open()
{
    close();
    if (create_directories_) {
        if (int error = make_parent_directories(path_); error != 0) {
            return error;
        }
    }
    // O_APPEND: every write lands at the current end, also after the file was
    // truncated in place (copytruncate rotation). 0600: alerts name processes
    // and pods, which is not for every local user.
    int fd = ::open(path_.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) {
        return -errno;
    }
    struct stat status {};
    if (::fstat(fd, &status) != 0) {
        int error = errno;
        ::close(fd);
        return -error;
    }
    fd_ = fd;
    device_ = status.st_dev;
    inode_ = status.st_ino;
    return 0;
}

void AppendFile::close()
{
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
}

bool AppendFile::rotated_away() const
{
    struct stat status {};
    if (::stat(path_.c_str(), &status) != 0) {
        // Missing: rotated away and not recreated yet. Any other error (a
        // permission change on the directory, say) is no sign of rotation:
        // keep writing to the file that is open.
        return errno == ENOENT;
    }
    return status.st_dev != device_ || status.st_ino != inode_;
}

vigil::SendResult AppendFile::append(std::string_view bytes)
{
    std::size_t written = bytes.size() == resume_size_ ? resume_offset_ : 0;
    resume_size_ = 0;
    resume_offset_ = 0;

    if (fd_ < 0 || rotated_away()) {
        auto previous_device = device_;
        auto previous_inode = inode_;
        if (int error = open(); error != 0) {
            return retry("cannot open", -error);
        }
        if (device_ != previous_device || inode_ != previous_inode) {
            written = 0; // a new file: it gets the whole request
        }
    }
    while (written < bytes.size()) {
        auto result = ::write(fd_, bytes.data() + written, bytes.size() - written);
        if (result > 0) {
            written += static_cast<std::size_t>(result);
            continue;
        }
        int error = result == 0 ? EIO : errno;
        if (error == EINTR) {
            continue;
        }
        resume_size_ = bytes.size();
        resume_offset_ = written;
        if (error != ENOSPC && error != EDQUOT) {
            // EIO, EBADF, ...: the descriptor itself may be bad; the retry opens the file afresh.
            close();
        }
        return retry("cannot write", error);
    }
    return vigil::SendResult::ok();
}

vigil::SendResult AppendFile::retry(const char *what, int error)
{
    // A file that cannot be written now (disk full, I/O error, a directory
    // being recreated) usually can later, and the queue is bounded: retry.
    reason_ = std::string(what) + " " + path_ + ": " + std::strerror(error);
    return vigil::SendResult::retry(reason_);
}

} // namespace vigil_jsonl
