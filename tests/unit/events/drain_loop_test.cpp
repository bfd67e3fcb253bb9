// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <sys/syscall.h>
#include <unistd.h>

#include <vigil/bpf/event.h>

#include "core/events/drain_loop.hpp"
#include "core/probes/load_time_constants.hpp"
#include "core/probes/object_loader.hpp"
#include "loader_cases.skel.h"
#include "probes/kernel_test_support.hpp"

using namespace vigil;

namespace {

struct CountingHandler : events::RecordHandler {
    std::size_t records = 0;
    uint32_t last_tgid = 0;
    uint16_t last_kind = 0;
    void handle_record(const void *data, std::size_t size) override
    {
        REQUIRE(size >= sizeof(vigil_event_header));
        const auto *header = static_cast<const vigil_event_header *>(data);
        last_tgid = header->tgid;
        last_kind = header->kind;
        ++records;
    }
};

std::unique_ptr<probes::LoadedObject> load_ring_writer()
{
    probes::ObjectSpec spec;
    spec.owner = "test";
    spec.name = "loader_cases";
    spec.elf = loader_cases__elf_bytes(&spec.elf_size);
    spec.programs = {
        {"hook_fentry", "hook", 0, true}, {"hook_tp_btf", "hook", 1, true}, {"missing_tracepoint", "", 0, true}};
    spec.ring_buffers = {"test_events"};
    auto loaded = probes::load_object(spec, {}, [](bpf_object *object) {
        auto self = static_cast<uint32_t>(getpid());
        probes::set_load_time_constant(object, "target_tgid", &self, sizeof(self));
        // Never wake: the loop must find records by its periodic drain alone.
        uint64_t never = UINT64_MAX;
        probes::set_load_time_constant(object, "vigil_wakeup_bytes", &never, sizeof(never));
    });
    REQUIRE_MESSAGE(loaded.has_value(), (loaded ? "" : loaded.error()));
    return std::move(*loaded);
}

} // namespace

TEST_CASE("drain loop: records submitted without wakeup are drained in batches")
{
    VIGIL_REQUIRE_KERNEL_ACCESS();
    auto object = load_ring_writer();
    CountingHandler handler;
    events::DrainLoop loop(4);
    std::string error;
    REQUIRE(loop.add_ring("test", object->ring_buffers().at(0), handler, error));

    for (int call = 0; call < 10; ++call) {
        syscall(SYS_getppid);
    }
    bool saturated = false;
    CHECK(loop.drain_once(saturated) == 4); // the budget per ring per round
    CHECK(saturated);
    std::size_t total = 4;
    while (saturated) {
        total += loop.drain_once(saturated);
    }
    CHECK(total == 10);
    CHECK(handler.records == 10);
    CHECK(handler.last_tgid == static_cast<uint32_t>(getpid()));
    CHECK(handler.last_kind == 200);
    CHECK(loop.statistics().at(0).dropped == 0);
}

TEST_CASE("drain loop: a full ring counts what it could not take, by kind")
{
    VIGIL_REQUIRE_KERNEL_ACCESS();
    auto object = load_ring_writer();
    CountingHandler handler;
    events::DrainLoop loop;
    std::string error;
    REQUIRE(loop.add_ring("test", object->ring_buffers().at(0), handler, error));

    // 4096 bytes hold about 46 records of 80 bytes plus their 8-byte ring headers.
    constexpr int calls = 500;
    for (int call = 0; call < calls; ++call) {
        syscall(SYS_getppid);
    }
    bool saturated = false;
    std::size_t drained = loop.drain_once(saturated);
    auto statistics = loop.statistics().at(0);
    CHECK(drained > 0);
    CHECK(drained < calls);
    CHECK(statistics.dropped == calls - drained);
    CHECK(statistics.dropped_by_kind.at(200) == statistics.dropped);
    CHECK(statistics.records == drained);
}

namespace {

// Before its first record, asks the loop for what waits in another ring.
struct CatchingUpHandler : events::RecordHandler {
    events::DrainLoop *loop = nullptr;
    const events::RecordHandler *first = nullptr;
    std::size_t records = 0;
    std::size_t caught_up = 0;
    void handle_record(const void *, std::size_t) override
    {
        if (records++ == 0) {
            caught_up = loop->catch_up(*first);
        }
    }
};

} // namespace

TEST_CASE("drain loop: a handler can catch up on another ring before judging its record")
{
    VIGIL_REQUIRE_KERNEL_ACCESS();
    // Two objects writing to two rings on the same syscall. The second ring
    // is drained first here, as a plugin's ring can be drained before a
    // record in the core's ring that happened earlier is seen.
    auto second_object = load_ring_writer();
    auto first_object = load_ring_writer();
    CountingHandler first;
    CatchingUpHandler second;
    events::DrainLoop loop;
    second.loop = &loop;
    second.first = &first;
    std::string error;
    REQUIRE(loop.add_ring("second", second_object->ring_buffers().at(0), second, error));
    REQUIRE(loop.add_ring("first", first_object->ring_buffers().at(0), first, error));

    for (int call = 0; call < 3; ++call) {
        syscall(SYS_getppid);
    }
    bool saturated = false;
    CHECK(loop.drain_once(saturated) == 3 + 3);
    CHECK(second.caught_up == 3); // all of the other ring's records, before the first of its own
    CHECK(first.records == 3);
    CHECK(second.records == 3);
    CHECK(loop.statistics().at(1).records == 3);
}
