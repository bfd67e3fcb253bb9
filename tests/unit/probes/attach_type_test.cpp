// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include "core/probes/attach_type.hpp"

using namespace vigil::probes;

TEST_CASE("attach types are classified from libbpf section names")
{
    CHECK(attach_type_of_section("tp/syscalls/sys_enter_ptrace") == AttachType::tracepoint);
    CHECK(attach_type_of_section("tracepoint/sched/sched_process_exec") == AttachType::tracepoint);
    CHECK(attach_type_of_section("tp_btf/sched_process_fork") == AttachType::tp_btf);
    CHECK(attach_type_of_section("raw_tp/sys_enter") == AttachType::raw_tracepoint);
    CHECK(attach_type_of_section("raw_tracepoint/sys_exit") == AttachType::raw_tracepoint);
    CHECK(attach_type_of_section("fentry/vfs_read") == AttachType::fentry);
    CHECK(attach_type_of_section("lsm/file_open") == AttachType::lsm);
    CHECK(attach_type_of_section("kretprobe/do_exit") == AttachType::kprobe);
    CHECK(attach_type_of_section("cgroup/connect4") == AttachType::cgroup);
    CHECK(attach_type_of_section("iter/task") == AttachType::iterator);
    CHECK(attach_type_of_section("xdp") == AttachType::other);
}

TEST_CASE("attach type names round-trip through the configuration spelling")
{
    for (auto name : {"tp", "tp_btf", "raw_tp", "fentry", "fexit", "lsm", "kprobe", "cgroup", "iter"}) {
        auto type = parse_attach_type(name);
        REQUIRE(type.has_value());
        CHECK(attach_type_name(*type) == name);
    }
    CHECK_FALSE(parse_attach_type("tracepoints").has_value());
}
