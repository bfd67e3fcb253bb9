// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <bpf/libbpf.h>

#include "core/probes/load_time_constants.hpp"
#include "loader_cases.skel.h"

using namespace vigil::probes;

TEST_CASE("load-time constants are found by name in the object's BTF")
{
    std::size_t size = 0;
    const void *elf = loader_cases__elf_bytes(&size);
    bpf_object *object = bpf_object__open_mem(elf, size, nullptr);
    REQUIRE(object != nullptr);

    uint32_t tgid = 1234;
    CHECK(set_load_time_constant(object, "target_tgid", &tgid, sizeof(tgid)) == ConstantStatus::set);
    uint16_t kind = 201;
    CHECK(set_load_time_constant(object, "record_kind", &kind, sizeof(kind)) == ConstantStatus::set);
    CHECK(set_load_time_constant(object, "no_such_constant", &tgid, sizeof(tgid)) == ConstantStatus::no_such_variable);
    uint64_t too_wide = 1;
    CHECK(set_load_time_constant(object, "target_tgid", &too_wide, sizeof(too_wide)) == ConstantStatus::size_mismatch);
    bpf_object__close(object);
}
