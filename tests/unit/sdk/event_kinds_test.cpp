// SPDX-License-Identifier: Apache-2.0
// The event kinds are one list: plugin_abi.h alone gives a plugin every
// VIGIL_KIND_*, with the numbers the BPF records and the sensor use.
#include <doctest/doctest.h>

#include <vigil/plugin_abi.h> // and nothing else: the kinds must come with the ABI header

TEST_CASE("abi kinds: plugin_abi.h gives the event kinds, with their numbers")
{
    // Numbers are never changed or reused: BPF objects and plugins carry them compiled in.
    CHECK(VIGIL_KIND_NONE == 0);
    CHECK(VIGIL_KIND_PROCESS_EXEC == 1);
    CHECK(VIGIL_KIND_PROCESS_FORK == 2);
    CHECK(VIGIL_KIND_PROCESS_EXIT == 3);
    CHECK(VIGIL_KIND_CGROUP_CREATED == 4);
    CHECK(VIGIL_KIND_CGROUP_REMOVED == 5);
    CHECK(VIGIL_KIND_AUDIT_EVENT == 6);  // ABI 1.4
    CHECK(VIGIL_KIND_ALERT_RAISED == 7); // ABI 1.5
    CHECK(VIGIL_KIND_PLUGIN_BASE == 128);
    CHECK(VIGIL_KIND_LIMIT == 256);

    // And the enum's name, for code that keeps a kind typed.
    vigil_event_kind kind = VIGIL_KIND_ALERT_RAISED;
    CHECK(kind == 7);
}
