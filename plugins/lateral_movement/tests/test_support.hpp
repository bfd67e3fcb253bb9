// SPDX-License-Identifier: Apache-2.0
// A fake sensor with the lateral_movement plugin loaded and a small world
// around it: a pod whose shell runs cat and wget, a known API client in
// another container, and an unrelated process in a third.
#pragma once

#include <fcntl.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <vigil/testing/fake_host.hpp>

#include "lateral_events.h"

namespace lateral_movement_test {

inline constexpr uint64_t second = 1'000'000'000ull;

inline constexpr uint64_t pod_cgroup = 7001;
inline constexpr uint64_t client_cgroup = 7002;
inline constexpr uint64_t other_cgroup = 7003;

// The pod: its entry point, a shell exec'd into it, and the shell's children.
inline constexpr uint32_t runc = 900;         // on the host: the runtime that started the shell
inline constexpr uint32_t init = 1000;        // the container's entry point
inline constexpr uint32_t shell = 1001;       // a shell exec'd into the container (its parent is runc)
inline constexpr uint32_t cat = 1002;         // the shell's child
inline constexpr uint32_t wget = 1003;        // the shell's child too
inline constexpr uint32_t python = 1004;      // reads and connects by itself; child of init
inline constexpr uint32_t other_shell = 1005; // a second exec'd shell in the same container
inline constexpr uint32_t other_wget = 1006;  // its child
// Another container: a known API client.
inline constexpr uint32_t operator_process = 2000;
// A third container: an unrelated process.
inline constexpr uint32_t stranger = 3000;

inline const std::string pod_container_id(64, 'a');

inline constexpr const char *token_path = "/var/run/secrets/kubernetes.io/serviceaccount/token";

struct Sensor {
    vigil::testing::FakeHost host{LATERAL_PLUGIN_PATH};

    Sensor()
    {
        container(pod_cgroup, pod_container_id, "0d5c3b0e-1111-4c4c-9d9d-000000000001");
        container(client_cgroup, std::string(64, 'b'), "0d5c3b0e-1111-4c4c-9d9d-000000000002");
        container(other_cgroup, std::string(64, 'c'), "0d5c3b0e-1111-4c4c-9d9d-000000000003");
        add(runc, 1, 1, "/usr/sbin/runc");
        add(init, runc, pod_cgroup, "/bin/sleep");
        add(shell, runc, pod_cgroup, "/bin/sh");
        add(cat, shell, pod_cgroup, "/bin/cat");
        add(wget, shell, pod_cgroup, "/bin/wget");
        add(python, init, pod_cgroup, "/usr/bin/python3");
        add(other_shell, runc + 1, pod_cgroup, "/bin/sh");
        add(other_wget, other_shell, pod_cgroup, "/bin/wget");
        add(operator_process, runc, client_cgroup, "/usr/local/bin/operator");
        add(stranger, runc, other_cgroup, "/bin/wget");
        host.set_option("api_server_endpoints", std::vector<std::string>{"10.96.0.1:443"});
        host.set_option("api_server_from_environment", false);
        host.set_now(1000 * second);
    }

    void container(uint64_t cgroup, const std::string &id, const std::string &pod)
    {
        vigil::testing::FakeContainer container;
        container.cgroup_id = cgroup;
        container.id = id;
        container.pod_uid = pod;
        host.add_container(container);
    }

    void add(uint32_t tgid, uint32_t parent, uint64_t cgroup, const char *exe)
    {
        vigil::testing::FakeProcess process;
        process.tgid = tgid;
        process.parent_tgid = parent;
        process.cgroup_id = cgroup;
        process.exe = exe;
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

    std::vector<std::string> rules()
    {
        std::vector<std::string> ids;
        for (const auto &alert : alerts()) {
            ids.push_back(alert.rule);
        }
        return ids;
    }

    // An open record as the kernel side sends it, at the fake clock's time.
    lateral_open open(uint32_t tgid, const std::string &path, uint32_t flags = O_RDONLY,
                      uint16_t syscall = LATERAL_SYSCALL_OPENAT)
    {
        auto record = host.make_record<lateral_open>(LATERAL_KIND_OPEN, tgid);
        record.syscall = syscall;
        record.dirfd = -100;
        record.open_flags = flags;
        std::memcpy(record.path, path.data(), std::min(path.size(), sizeof(record.path)));
        record.path_size = static_cast<uint16_t>(std::min(path.size() + 1, sizeof(record.path)));
        return record;
    }

    // A relative open from a directory named @base inside one named @parent.
    lateral_open relative_open(uint32_t tgid, const std::string &path, const std::string &base,
                               const std::string &parent, bool from_fd = false)
    {
        auto record = open(tgid, path);
        record.flags = LATERAL_OPEN_RELATIVE | (from_fd ? LATERAL_OPEN_BASE_FROM_FD : 0);
        record.dirfd = from_fd ? 3 : -100;
        std::memcpy(record.base_name, base.data(), std::min(base.size(), sizeof(record.base_name) - 1));
        std::memcpy(record.base_parent_name, parent.data(),
                    std::min(parent.size(), sizeof(record.base_parent_name) - 1));
        return record;
    }

    lateral_connect connect4(uint32_t tgid, std::array<uint8_t, 4> address, uint16_t port)
    {
        auto record = host.make_record<lateral_connect>(LATERAL_KIND_CONNECT, tgid);
        record.endpoint.family = LATERAL_AF_INET;
        record.endpoint.port = port;
        std::copy(address.begin(), address.end(), record.endpoint.address);
        record.fd = 3;
        return record;
    }

    lateral_connect connect6(uint32_t tgid, std::array<uint8_t, 16> address, uint16_t port)
    {
        auto record = host.make_record<lateral_connect>(LATERAL_KIND_CONNECT, tgid);
        record.endpoint.family = LATERAL_AF_INET6;
        record.endpoint.port = port;
        std::copy(address.begin(), address.end(), record.endpoint.address);
        record.fd = 3;
        return record;
    }

    lateral_connect api_connect(uint32_t tgid) { return connect4(tgid, {10, 96, 0, 1}, 443); }
};

inline std::vector<std::string> strings(std::initializer_list<const char *> items)
{
    return {items.begin(), items.end()};
}

} // namespace lateral_movement_test
