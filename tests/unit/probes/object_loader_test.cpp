// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include "core/probes/object_loader.hpp"
#include "core/probes/probe_specs.hpp"
#include "loader_cases.skel.h"
#include "probes/kernel_test_support.hpp"

using namespace vigil::probes;

namespace {

const ProgramReport &report_of(const LoadedObject &object, std::string_view name)
{
    for (const auto &program : object.programs()) {
        if (program.name == name) {
            return program;
        }
    }
    FAIL("no program named " << name);
    throw std::logic_error("unreachable");
}

ObjectSpec loader_cases_spec()
{
    ObjectSpec spec;
    spec.owner = "test";
    spec.name = "loader_cases";
    spec.elf = loader_cases__elf_bytes(&spec.elf_size);
    spec.programs = {
        {"hook_fentry", "hook", 0, false}, {"hook_tp_btf", "hook", 1, false}, {"missing_tracepoint", "", 0, true}};
    spec.ring_buffers = {"test_events"};
    return spec;
}

} // namespace

TEST_CASE("object loader: the core's lifecycle probes attach their preferred programs")
{
    VIGIL_REQUIRE_KERNEL_ACCESS();
    auto loaded = load_object(vigil::probes::core_lifecycle_spec(), {}, {});
    REQUIRE_MESSAGE(loaded.has_value(), (loaded ? "" : loaded.error()));
    const auto &object = **loaded;
    CHECK(report_of(object, "exec_tracepoint").state == ProgramState::attached);
    CHECK(report_of(object, "exec_btf").state == ProgramState::standby);
    CHECK(report_of(object, "fork_btf").state == ProgramState::attached);
    CHECK(report_of(object, "fork_raw").state == ProgramState::standby);
    CHECK(report_of(object, "cgroup_mkdir_tracepoint").state == ProgramState::attached);
    CHECK_FALSE(object.missing_required());
    REQUIRE(object.ring_buffers().size() == 1);
    CHECK(object.ring_buffers()[0].drops_map_fd >= 0);
}

TEST_CASE("object loader: a disabled attach type makes each group fall back")
{
    VIGIL_REQUIRE_KERNEL_ACCESS();
    LoadSettings settings;
    settings.disabled_types = {AttachType::tracepoint};
    auto loaded = load_object(vigil::probes::core_lifecycle_spec(), settings, {});
    REQUIRE(loaded.has_value());
    const auto &object = **loaded;
    CHECK(report_of(object, "exec_tracepoint").state == ProgramState::disabled);
    CHECK(report_of(object, "exec_tracepoint").reason.find("disabled in the configuration") != std::string::npos);
    CHECK(report_of(object, "exec_btf").state == ProgramState::attached);
    CHECK(report_of(object, "exit_btf").state == ProgramState::attached);
    CHECK(report_of(object, "cgroup_rmdir_btf").state == ProgramState::attached);
    CHECK_FALSE(object.missing_required());
}

TEST_CASE("object loader: a group with no working alternative is reported missing")
{
    VIGIL_REQUIRE_KERNEL_ACCESS();
    LoadSettings settings;
    settings.disabled_types = {AttachType::tracepoint, AttachType::tp_btf};
    auto loaded = load_object(vigil::probes::core_lifecycle_spec(), settings, {});
    REQUIRE(loaded.has_value());
    CHECK(report_of(**loaded, "fork_raw").state == ProgramState::attached); // raw_tp still covers fork
    CHECK((*loaded)->missing_required());                                   // nothing covers exec
}

TEST_CASE("object loader: a program the kernel refuses costs its level, not the object")
{
    VIGIL_REQUIRE_KERNEL_ACCESS();
    auto loaded = load_object(loader_cases_spec(), {}, {});
    REQUIRE_MESSAGE(loaded.has_value(), (loaded ? "" : loaded.error()));
    const auto &object = **loaded;
    const auto &fentry = report_of(object, "hook_fentry");
    // Where the kernel allows fentry it is preferred; these machines refuse it.
    if (fentry.state == ProgramState::attached) {
        CHECK(report_of(object, "hook_tp_btf").state == ProgramState::standby);
    } else {
        CHECK(fentry.state == ProgramState::load_failed);
        CHECK_FALSE(fentry.reason.empty());
        CHECK(report_of(object, "hook_tp_btf").state == ProgramState::attached);
    }
    const auto &missing = report_of(object, "missing_tracepoint");
    CHECK(missing.state == ProgramState::attach_failed);
    CHECK_FALSE(missing.reason.empty());
    CHECK_FALSE(object.missing_required()); // missing_tracepoint is optional
    CHECK(report_of(object, "ring_writer").state == ProgramState::attached);
}
