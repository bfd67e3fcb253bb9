// SPDX-License-Identifier: Apache-2.0
// Tests that load BPF programs need root and a kernel with BTF; CI has both.
#pragma once

#include <unistd.h>

#include <doctest/doctest.h>

#include "core/probes/tracefs.hpp"

#define VIGIL_REQUIRE_KERNEL_ACCESS()                                                                                  \
    do {                                                                                                               \
        REQUIRE_MESSAGE(geteuid() == 0, "this test loads BPF programs: run the unit tests as root");                   \
        vigil::probes::ensure_tracefs(true);                                                                           \
    } while (false)
