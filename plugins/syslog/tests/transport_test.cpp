// SPDX-License-Identifier: Apache-2.0
// The transports against real sockets on this machine.
#include <doctest/doctest.h>

#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include "framing.hpp"
#include "transport.hpp"

using namespace vigil_syslog;

namespace {

std::string two_messages()
{
    std::string request;
    append_frame(request, "<131>1 - - - - - - one");
    append_frame(request, "<131>1 - - - - - - two");
    return request;
}

std::string receive(int fd)
{
    char buffer[4096];
    auto size = ::recv(fd, buffer, sizeof(buffer), 0);
    return size > 0 ? std::string(buffer, static_cast<std::size_t>(size)) : std::string();
}

} // namespace

TEST_CASE("unix datagrams: a missing socket is a retry, then each message is one datagram")
{
    char directory[] = "/tmp/vigil-syslog-test-XXXXXX";
    REQUIRE(::mkdtemp(directory) != nullptr);
    const std::string path = std::string(directory) + "/log.sock";
    TransportSettings settings;
    settings.path = path;
    settings.timeout_ms = 1000;
    Transport transport(settings);
    const std::string request = two_messages();

    auto missing = transport.send(request);
    CHECK(missing.status == VIGIL_SEND_RETRY);
    CHECK(std::string(missing.reason).find(path) != std::string::npos);

    int receiver = ::socket(AF_UNIX, SOCK_DGRAM, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    std::strcpy(address.sun_path, path.c_str());
    REQUIRE(::bind(receiver, reinterpret_cast<sockaddr *>(&address), sizeof(address)) == 0);
    CHECK(transport.send(request).status == VIGIL_SEND_OK);
    CHECK(receive(receiver) == "<131>1 - - - - - - one");
    CHECK(receive(receiver) == "<131>1 - - - - - - two");
    ::close(receiver);
    ::unlink(path.c_str());
    ::rmdir(directory);
}

TEST_CASE("tcp: the batch goes as octet-counted frames, and a connection the receiver closed is replaced")
{
    int listener = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    REQUIRE(::bind(listener, reinterpret_cast<sockaddr *>(&address), sizeof(address)) == 0);
    socklen_t size = sizeof(address);
    ::getsockname(listener, reinterpret_cast<sockaddr *>(&address), &size);
    REQUIRE(::listen(listener, 4) == 0);

    TransportSettings settings;
    settings.kind = TransportKind::tcp;
    settings.host = "127.0.0.1";
    settings.port = std::to_string(ntohs(address.sin_port));
    settings.timeout_ms = 1000;
    Transport transport(settings);
    const std::string request = two_messages();

    CHECK(transport.send(request).status == VIGIL_SEND_OK);
    int first = ::accept(listener, nullptr, nullptr);
    CHECK(receive(first) == request);
    ::close(first);
    ::usleep(20000);

    CHECK(transport.send(request).status == VIGIL_SEND_OK);
    int second = ::accept(listener, nullptr, nullptr);
    CHECK(receive(second) == request);
    ::close(second);
    ::close(listener);

    ::usleep(20000);
    auto refused = transport.send(request);
    CHECK(refused.status == VIGIL_SEND_RETRY);
    CHECK(std::string(refused.reason).find("cannot connect") != std::string::npos);
}
