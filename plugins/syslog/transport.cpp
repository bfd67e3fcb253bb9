// SPDX-License-Identifier: Apache-2.0
#include "transport.hpp"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <functional>
#include <thread>

#include <linux/sockios.h>
#include <netdb.h>
#include <poll.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "framing.hpp"

namespace vigil_syslog {
namespace {

void set_timeouts(int fd, int timeout_ms)
{
    timeval timeout{};
    timeout.tv_sec = timeout_ms / 1000;
    timeout.tv_usec = static_cast<suseconds_t>(timeout_ms % 1000) * 1000;
    ::setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, sizeof(timeout));
    ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
}

} // namespace

std::optional<HostPort> parse_host_port(std::string_view address)
{
    std::string_view host;
    std::string_view port;
    if (address.starts_with('[')) {
        auto close = address.find("]:");
        if (close == std::string_view::npos) {
            return std::nullopt;
        }
        host = address.substr(1, close - 1);
        port = address.substr(close + 2);
    } else {
        auto colon = address.rfind(':');
        if (colon == std::string_view::npos || address.find(':') != colon) {
            return std::nullopt;
        }
        host = address.substr(0, colon);
        port = address.substr(colon + 1);
    }
    if (host.empty() || port.empty() || port.size() > 5 ||
        port.find_first_not_of("0123456789") != std::string_view::npos || std::stoi(std::string(port)) == 0 ||
        std::stoi(std::string(port)) > 65535) {
        return std::nullopt;
    }
    return HostPort{std::string(host), std::string(port)};
}

Transport::Transport(TransportSettings settings) : settings_(std::move(settings)) {}

Transport::~Transport()
{
    close();
}

std::string Transport::describe() const
{
    switch (settings_.kind) {
    case TransportKind::unix_datagram:
        return "unix " + settings_.path;
    case TransportKind::udp:
        return "udp " + settings_.host + ":" + settings_.port;
    case TransportKind::tcp:
        return "tcp " + settings_.host + ":" + settings_.port;
    }
    return "?";
}

void Transport::close()
{
    if (fd_ >= 0) {
        ::close(fd_);
        fd_ = -1;
    }
}

vigil::SendResult Transport::failure(const std::string &what, int error, bool reconnect)
{
    if (reconnect) {
        close();
    }
    reason_ = what + " (" + describe() + "): " + std::strerror(error);
    return vigil::SendResult::retry(reason_);
}

int Transport::open_socket()
{
    if (settings_.kind == TransportKind::unix_datagram) {
        int fd = ::socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        if (fd < 0) {
            return -errno;
        }
        sockaddr_un address{};
        address.sun_family = AF_UNIX;
        if (settings_.path.size() >= sizeof(address.sun_path)) {
            ::close(fd);
            return -ENAMETOOLONG;
        }
        std::memcpy(address.sun_path, settings_.path.c_str(), settings_.path.size() + 1);
        set_timeouts(fd, settings_.timeout_ms);
        if (::connect(fd, reinterpret_cast<const sockaddr *>(&address), sizeof(address)) != 0) {
            int error = errno; // EPROTOTYPE: a stream socket, which this output does not speak
            ::close(fd);
            return -error;
        }
        fd_ = fd;
        return 0;
    }
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = settings_.kind == TransportKind::tcp ? SOCK_STREAM : SOCK_DGRAM;
    addrinfo *found = nullptr;
    if (int status = ::getaddrinfo(settings_.host.c_str(), settings_.port.c_str(), &hints, &found); status != 0) {
        return status == EAI_SYSTEM ? -errno : -EHOSTUNREACH;
    }
    int error = EHOSTUNREACH;
    for (addrinfo *candidate = found; candidate != nullptr; candidate = candidate->ai_next) {
        int fd = ::socket(candidate->ai_family, candidate->ai_socktype | SOCK_CLOEXEC, candidate->ai_protocol);
        if (fd < 0) {
            error = errno;
            continue;
        }
        set_timeouts(fd, settings_.timeout_ms); // connect(2) on TCP honours SO_SNDTIMEO
        if (::connect(fd, candidate->ai_addr, candidate->ai_addrlen) == 0) {
            fd_ = fd;
            break;
        }
        error = errno == EINPROGRESS ? ETIMEDOUT : errno;
        ::close(fd);
    }
    ::freeaddrinfo(found);
    return fd_ >= 0 ? 0 : -error;
}

bool Transport::stream_closed_by_peer() const
{
    // A syslog receiver never writes: anything readable is its end of the
    // stream or an error, and writing would only fill a dead socket's buffer.
    pollfd watched{fd_, POLLIN | POLLRDHUP, 0};
    return ::poll(&watched, 1, 0) > 0 && watched.revents != 0;
}

vigil::SendResult Transport::send(std::string_view request)
{
    if (settings_.kind == TransportKind::tcp) {
        return send_stream(request);
    }
    return send_datagrams(request);
}

vigil::SendResult Transport::send_datagrams(std::string_view request)
{
    auto messages = split_frames(request);
    if (!messages) {
        return vigil::SendResult::reject("the request is not a sequence of octet-counted syslog messages");
    }
    const std::size_t hash = std::hash<std::string_view>{}(request);
    std::size_t next = request.size() == resume_size_ && hash == resume_hash_ ? resume_sent_ : 0;
    resume_size_ = resume_hash_ = resume_sent_ = 0;
    auto interrupted = [&](const std::string &what, int error, bool reconnect) {
        resume_size_ = request.size();
        resume_hash_ = hash;
        resume_sent_ = next;
        return failure(what, error, reconnect);
    };
    if (fd_ < 0) {
        if (int error = open_socket(); error != 0) {
            return interrupted("cannot connect", -error, true);
        }
    }
    for (; next < messages->size(); ++next) {
        const auto &message = (*messages)[next];
        if (::send(fd_, message.data(), message.size(), MSG_NOSIGNAL) < 0) {
            int error = errno;
            if (error == EMSGSIZE) {
                reason_ = "a " + std::to_string(message.size()) + "-byte message is larger than " + describe() +
                          " takes: lower max_message_bytes";
                return vigil::SendResult::reject(reason_);
            }
            // A full receiver (EAGAIN after timeout_ms, ENOBUFS) keeps the socket; anything else reconnects.
            bool reconnect = error != EAGAIN && error != ENOBUFS && error != EINTR;
            return interrupted("cannot send", error, reconnect);
        }
        if (settings_.kind == TransportKind::udp) {
            // An ICMP "port unreachable" for this datagram (immediate on
            // loopback and a local relay) means it was lost: send it again.
            int pending = 0;
            socklen_t size = sizeof(pending);
            if (::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &pending, &size) == 0 && pending != 0) {
                return interrupted("not received", pending, true);
            }
        }
    }
    return vigil::SendResult::ok();
}

vigil::SendResult Transport::send_stream(std::string_view request)
{
    if (fd_ >= 0 && stream_closed_by_peer()) {
        close();
    }
    if (fd_ < 0) {
        if (int error = open_socket(); error != 0) {
            return failure("cannot connect", -error);
        }
    }
    std::size_t written = 0;
    while (written < request.size()) {
        auto sent = ::send(fd_, request.data() + written, request.size() - written, MSG_NOSIGNAL);
        if (sent < 0) {
            if (errno == EINTR) {
                continue;
            }
            return failure(errno == EAGAIN ? "send timed out" : "cannot send", errno == EAGAIN ? ETIMEDOUT : errno);
        }
        written += static_cast<std::size_t>(sent);
    }
    return wait_acknowledged();
}

vigil::SendResult Transport::wait_acknowledged()
{
    // Written is not received: wait until the receiver's TCP has acknowledged
    // every byte (SIOCOUTQ: sent but unacknowledged, plus unsent). A
    // connection that breaks before then gets the whole batch again.
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(settings_.timeout_ms);
    auto pause = std::chrono::microseconds(50);
    for (;;) {
        int unacknowledged = 0;
        if (::ioctl(fd_, SIOCOUTQ, &unacknowledged) != 0) {
            return failure("cannot read the send queue", errno);
        }
        if (unacknowledged == 0) {
            return vigil::SendResult::ok();
        }
        int pending = 0;
        socklen_t size = sizeof(pending);
        if (::getsockopt(fd_, SOL_SOCKET, SO_ERROR, &pending, &size) == 0 && pending != 0) {
            return failure("connection lost before the receiver acknowledged", pending);
        }
        if (std::chrono::steady_clock::now() >= deadline) {
            return failure("the receiver did not acknowledge within timeout_ms", ETIMEDOUT);
        }
        std::this_thread::sleep_for(pause);
        pause = std::min(pause * 2, std::chrono::microseconds(5000));
    }
}

} // namespace vigil_syslog
