// SPDX-License-Identifier: Apache-2.0
// The hook dispatcher on the real kernel: stages chained behind one core
// program, one path read shared by all, scopes, and the fallback when the
// dispatcher cannot run a stage.
#include <array>
#include <cstring>
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <doctest/doctest.h>

#include "core/probes/hook_dispatch.hpp"
#include "core/probes/load_time_constants.hpp"
#include "probes/kernel_test_support.hpp"
#include "stage_cases.skel.h"

using namespace vigil::probes;

namespace {

constexpr const char *opened_path = "/proc/self/stat";

ObjectSpec stage_cases_spec()
{
    ObjectSpec spec;
    spec.owner = "test";
    spec.name = "stage_cases";
    spec.elf = stage_cases__elf_bytes(&spec.elf_size);
    spec.programs = {
        {"first_stage", "open", 0, false}, {"second_stage", "open", 0, false}, {"open_fallback", "open", 1, false}};
    return spec;
}

// A child process that opens a file @times times when told to: the dispatcher
// drops the test's own calls, as the sensor's (it loaded the dispatcher).
class Opener {
public:
    Opener()
    {
        REQUIRE(pipe(go_) == 0);
        pid_ = fork();
        REQUIRE(pid_ >= 0);
        if (pid_ == 0) {
            int times = 0;
            if (read(go_[0], &times, sizeof(times)) != sizeof(times)) {
                _exit(1);
            }
            for (int i = 0; i < times; ++i) {
                int fd = open(opened_path, O_RDONLY);
                if (fd < 0) {
                    _exit(2);
                }
                close(fd);
            }
            _exit(0);
        }
        close(go_[0]);
    }
    ~Opener()
    {
        if (pid_ > 0) {
            close(go_[1]);
            waitpid(pid_, nullptr, 0);
        }
    }
    uint32_t pid() const { return static_cast<uint32_t>(pid_); }
    void open_times(int times)
    {
        REQUIRE(write(go_[1], &times, sizeof(times)) == sizeof(times));
        int status = 0;
        REQUIRE(waitpid(pid_, &status, 0) == pid_);
        pid_ = -1;
        CHECK(WIFEXITED(status));
        CHECK(WEXITSTATUS(status) == 0);
    }

private:
    int go_[2] = {-1, -1};
    pid_t pid_ = -1;
};

std::unique_ptr<LoadedObject> load_stages(const LoadSettings &settings, bool watch_host, uint32_t target)
{
    auto loaded = load_object(stage_cases_spec(), settings, [&](bpf_object *object) {
        set_load_time_constant(object, "target_tgid", &target, sizeof(target));
        set_load_time_constant(object, "vigil_watch_host", &watch_host, sizeof(watch_host));
    });
    REQUIRE_MESSAGE(loaded.has_value(), (loaded ? "" : loaded.error()));
    return std::move(*loaded);
}

ProgramState state_of(const LoadedObject &object, std::string_view name)
{
    for (const auto &program : object.programs()) {
        if (program.name == name) {
            return program.state;
        }
    }
    FAIL("no program named " << name);
    return ProgramState::load_failed;
}

std::array<uint64_t, 5> seen(const LoadedObject &object)
{
    std::array<uint64_t, 5> values{};
    int fd = bpf_map__fd(bpf_object__find_map_by_name(object.object(), "seen"));
    for (uint32_t index = 0; index < values.size(); ++index) {
        bpf_map_lookup_elem(fd, &index, &values[index]);
    }
    return values;
}

HookReport hook_named(const HookDispatch &dispatch, std::string_view name)
{
    for (auto &hook : dispatch.hooks()) {
        if (hook.name == name) {
            return hook;
        }
    }
    FAIL("no hook named " << name);
    return {};
}

std::unique_ptr<HookDispatch> load_dispatch(const LoadSettings &settings)
{
    // The test's own namespaces are the host's: it runs as a host task.
    auto dispatch = HookDispatch::load(settings, discover_host_namespaces("/proc"));
    REQUIRE_MESSAGE(dispatch.has_value(), (dispatch ? "" : dispatch.error()));
    return std::move(*dispatch);
}

} // namespace

TEST_CASE("hook dispatch: stages run in order from the core's program and share one path read")
{
    VIGIL_REQUIRE_KERNEL_ACCESS();
    auto dispatch = load_dispatch({});
    CHECK_FALSE(hook_named(*dispatch, "open_enter").attached); // nothing subscribed: nothing on open

    LoadSettings settings;
    settings.stages = dispatch.get();
    Opener opener;
    auto stages = load_stages(settings, true, opener.pid());
    CHECK(state_of(*stages, "first_stage") == ProgramState::attached);
    CHECK(state_of(*stages, "second_stage") == ProgramState::attached);
    CHECK(state_of(*stages, "open_fallback") == ProgramState::standby);
    auto hook = hook_named(*dispatch, "open_enter");
    CHECK(hook.attached);
    CHECK(hook.container_stages ==
          std::vector<std::string>{"test/stage_cases:first_stage", "test/stage_cases:second_stage"});
    CHECK(hook.host_stages == hook.container_stages);

    opener.open_times(10);
    auto counts = seen(*stages);
    CHECK(counts[0] >= 10);
    CHECK(counts[1] == counts[0]); // the second stage ran after the first, every time
    CHECK(counts[2] == counts[1]); // and found the path already read
    CHECK(counts[3] == 0);         // the fallback never ran
    CHECK(counts[4] == std::strlen(opened_path) + 1);

    // The last stage leaving takes the core's program off the tracepoint.
    stages.reset();
    CHECK_FALSE(hook_named(*dispatch, "open_enter").attached);
}

TEST_CASE("hook dispatch: container-only stages do not run for a host task")
{
    VIGIL_REQUIRE_KERNEL_ACCESS();
    auto dispatch = load_dispatch({});
    LoadSettings settings;
    settings.stages = dispatch.get();
    Opener opener;
    auto stages = load_stages(settings, false, opener.pid());
    auto hook = hook_named(*dispatch, "open_enter");
    CHECK(hook.container_stages.size() == 2);
    CHECK(hook.host_stages.empty());
    opener.open_times(10);
    CHECK(seen(*stages)[0] == 0);
}

TEST_CASE("hook dispatch: where the dispatcher cannot run a stage, the group falls back")
{
    VIGIL_REQUIRE_KERNEL_ACCESS();
    SUBCASE("no dispatcher loaded")
    {
        Opener opener;
        auto stages = load_stages({}, true, opener.pid());
        CHECK(state_of(*stages, "first_stage") == ProgramState::attach_failed);
        CHECK(state_of(*stages, "open_fallback") == ProgramState::attached);
        opener.open_times(10);
        auto counts = seen(*stages);
        CHECK(counts[3] >= 10);
        CHECK(counts[0] == counts[3]); // the fallback ran the first stage's body
    }
    SUBCASE("tracepoints disabled in the configuration")
    {
        LoadSettings settings;
        settings.disabled_types = {AttachType::tracepoint};
        auto dispatch = load_dispatch(settings);
        settings.stages = dispatch.get();
        auto stages = load_stages(settings, true, 0);
        CHECK(state_of(*stages, "first_stage") == ProgramState::disabled);
        CHECK(state_of(*stages, "open_fallback") == ProgramState::attached);
        CHECK_FALSE(hook_named(*dispatch, "open_enter").attached);
    }
}

TEST_CASE("hook dispatch: a stage of an unknown hook is refused by name")
{
    VIGIL_REQUIRE_KERNEL_ACCESS();
    auto dispatch = load_dispatch({});
    auto refused = dispatch->subscribe("close_enter", false, -1, "test");
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().find("close_enter") != std::string::npos);
    CHECK(refused.error().find("open_enter") != std::string::npos);
}
