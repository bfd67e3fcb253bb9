// SPDX-License-Identifier: Apache-2.0
// A fake sensor with the cryptomining plugin loaded and a small world around
// it: a container with a shell, and a host process.
#pragma once

#include <arpa/inet.h>

#include <cstring>
#include <initializer_list>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <vigil/testing/fake_host.hpp>

#include "cryptomining_events.h"

namespace cryptomining_test {

inline constexpr uint64_t container_cgroup = 7001;
inline constexpr const char *container_cgroup_path = "/kubepods/burstable/pod0f0e0d0c-1111-2222-3333-444455556666/"
                                                     "cccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccccc";
inline constexpr uint32_t shell = 1000;     // in the container
inline constexpr uint32_t host_tool = 2000; // on the host

inline std::vector<std::string> strings(std::initializer_list<const char *> items)
{
    return {items.begin(), items.end()};
}

// Bytes of a standard DNS query for @name (type A), as a resolver sends it over UDP.
inline std::vector<uint8_t> dns_query(const std::string &name, uint16_t type = 1)
{
    std::vector<uint8_t> bytes{0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};
    std::size_t start = 0;
    while (start <= name.size()) {
        auto end = name.find('.', start);
        if (end == std::string::npos) {
            end = name.size();
        }
        bytes.push_back(static_cast<uint8_t>(end - start));
        bytes.insert(bytes.end(), name.begin() + static_cast<long>(start), name.begin() + static_cast<long>(end));
        start = end + 1;
    }
    bytes.push_back(0);
    bytes.push_back(static_cast<uint8_t>(type >> 8));
    bytes.push_back(static_cast<uint8_t>(type));
    bytes.push_back(0);
    bytes.push_back(1);
    return bytes;
}

inline cryptomining_endpoint ipv4(const char *address, uint16_t port)
{
    cryptomining_endpoint endpoint{};
    endpoint.family = 2;
    endpoint.port = port;
    REQUIRE(inet_pton(AF_INET, address, endpoint.address) == 1);
    return endpoint;
}

struct Sensor {
    vigil::testing::FakeHost host{CRYPTOMINING_PLUGIN_PATH};

    Sensor()
    {
        vigil::testing::FakeContainer container;
        container.cgroup_id = container_cgroup;
        container.id = std::string(64, 'c');
        container.cgroup_path = container_cgroup_path;
        host.add_container(container);
        add(shell, container_cgroup, "/bin/sh", "sh -c ./run.sh");
        add(host_tool, 1, "/usr/bin/less", "less notes.txt");
    }

    void add(uint32_t tgid, uint64_t cgroup, const char *exe, const char *cmdline)
    {
        vigil::testing::FakeProcess process;
        process.tgid = tgid;
        process.parent_tgid = 1;
        process.cgroup_id = cgroup;
        process.exe = exe;
        process.cmdline = cmdline;
        host.add_process(process);
    }

    void start() { REQUIRE(host.start() == 0); }

    const std::vector<vigil::testing::RecordedAlert> &alerts()
    {
        CHECK(host.problems().empty());
        return host.alerts();
    }

    const vigil::testing::RecordedAlert &only_alert()
    {
        REQUIRE(alerts().size() == 1);
        return host.alerts().front();
    }

    // A core exec event of @tgid running @exe with @arguments (argv[0] first).
    int exec(uint32_t tgid, const std::string &exe, std::initializer_list<std::string> arguments, uint32_t flags = 0)
    {
        auto record = host.make_record<vigil_process_exec>(VIGIL_KIND_PROCESS_EXEC, tgid);
        std::memcpy(record.filename, exe.data(), std::min(exe.size(), sizeof(record.filename) - 1));
        record.filename_size = static_cast<uint16_t>(std::min(exe.size() + 1, sizeof(record.filename)));
        std::string packed;
        for (const auto &argument : arguments) {
            packed += argument;
            packed.push_back('\0');
        }
        auto size = std::min(packed.size(), sizeof(record.args));
        std::memcpy(record.args, packed.data(), size);
        record.args_size = static_cast<uint16_t>(size);
        record.flags = flags;
        return host.deliver(record);
    }

    int connect(uint32_t tgid, const char *address, uint16_t port)
    {
        auto record = host.make_record<cryptomining_connect>(CRYPTOMINING_KIND_POOL_CONNECT, tgid);
        record.remote = ipv4(address, port);
        record.fd = 3;
        return host.deliver(record);
    }

    int dns(uint32_t tgid, const std::vector<uint8_t> &payload, uint16_t syscall = CRYPTOMINING_SYSCALL_SENDTO,
            const char *server = "10.96.0.10")
    {
        auto record = host.make_record<cryptomining_dns>(CRYPTOMINING_KIND_DNS_QUERY, tgid);
        record.server = ipv4(server, 53);
        auto size = std::min(payload.size(), sizeof(record.payload));
        std::memcpy(record.payload, payload.data(), size);
        record.payload_size = static_cast<uint32_t>(size);
        record.total_size = static_cast<uint32_t>(payload.size());
        record.syscall = syscall;
        record.fd = 4;
        return host.deliver(record);
    }
};

} // namespace cryptomining_test
