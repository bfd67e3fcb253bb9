// SPDX-License-Identifier: Apache-2.0
// Where syslog messages go: a local datagram socket (/dev/log), UDP (RFC
// 5426) or TCP with octet counting (RFC 6587). Connects lazily, reconnects
// after any failure, and reports a failure as a retry: the sensor backs off
// and sends the same request again.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include <vigil/output.hpp>

namespace vigil_syslog {

enum class TransportKind { unix_datagram, udp, tcp };

struct TransportSettings {
    TransportKind kind = TransportKind::unix_datagram;
    std::string path = "/dev/log"; // unix
    std::string host;              // udp, tcp
    std::string port;
    int timeout_ms = 5000; // connecting, one send, and TCP's acknowledgement of a batch
};

struct HostPort {
    std::string host;
    std::string port;
};

// "host:port", "1.2.3.4:514" or "[::1]:514"; nullopt when it is none of these.
std::optional<HostPort> parse_host_port(std::string_view address);

class Transport {
public:
    explicit Transport(TransportSettings settings);
    ~Transport();
    Transport(const Transport &) = delete;
    Transport &operator=(const Transport &) = delete;

    // Sends every message of @request (octet-counted frames, see framing.hpp).
    // Datagrams: one per message; after a failure the same request resumes at
    // the first message not sent. TCP: the frames as they are, then a wait
    // until the receiver's TCP has acknowledged every byte; after a failure the
    // whole request is sent again on a new connection.
    vigil::SendResult send(std::string_view request);

    // Where it sends, for logs: "/dev/log", "udp 127.0.0.1:514", ...
    std::string describe() const;

private:
    int open_socket(); // 0 or a negative errno; reason_ says where
    bool stream_closed_by_peer() const;
    vigil::SendResult send_datagrams(std::string_view request);
    vigil::SendResult send_stream(std::string_view request);
    vigil::SendResult wait_acknowledged();
    vigil::SendResult failure(const std::string &what, int error, bool reconnect = true);
    void close();

    TransportSettings settings_;
    int fd_ = -1;
    std::string reason_; // the last failure, which a SendResult points into
    // A batch of datagrams a failure interrupted: its size, hash and how many were sent.
    std::size_t resume_size_ = 0;
    std::size_t resume_hash_ = 0;
    std::size_t resume_sent_ = 0;
};

} // namespace vigil_syslog
