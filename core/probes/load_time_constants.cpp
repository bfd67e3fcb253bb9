// SPDX-License-Identifier: Apache-2.0
#include "core/probes/load_time_constants.hpp"

#include <cstring>
#include <vector>

#include <bpf/btf.h>
#include <bpf/libbpf.h>

namespace vigil::probes {
namespace {

// The object's .rodata map: libbpf names internal maps "<object>.rodata" in the
// kernel but keeps ".rodata" as the suffix of bpf_map__name().
bpf_map *find_rodata(bpf_object *object)
{
    bpf_map *map = nullptr;
    bpf_object__for_each_map(map, object)
    {
        std::string_view name = bpf_map__name(map);
        if (bpf_map__is_internal(map) && name.ends_with(".rodata")) {
            return map;
        }
    }
    return nullptr;
}

// Where @variable lives in the object's .rodata: its offset, or the reason it cannot be used.
struct Placement {
    ConstantStatus status = ConstantStatus::no_such_variable;
    bpf_map *rodata = nullptr;
    std::size_t offset = 0;
    const unsigned char *data = nullptr; // the .rodata initial value, read-only in this libbpf
    std::size_t data_size = 0;
};

Placement find_variable(bpf_object *object, std::string_view variable, std::size_t size)
{
    const btf *types = bpf_object__btf(object);
    bpf_map *rodata = find_rodata(object);
    if (types == nullptr || rodata == nullptr) {
        return {};
    }
    auto section_id = btf__find_by_name_kind(types, ".rodata", BTF_KIND_DATASEC);
    if (section_id < 0) {
        return {};
    }
    const btf_type *section = btf__type_by_id(types, static_cast<__u32>(section_id));
    const btf_var_secinfo *entries = btf_var_secinfos(section);
    for (unsigned short index = 0; index < btf_vlen(section); ++index) {
        const btf_type *var = btf__type_by_id(types, entries[index].type);
        if (variable != btf__name_by_offset(types, var->name_off)) {
            continue;
        }
        if (entries[index].size != size) {
            return {ConstantStatus::size_mismatch};
        }
        Placement placement{ConstantStatus::set, rodata, entries[index].offset};
        placement.data = static_cast<const unsigned char *>(bpf_map__initial_value(rodata, &placement.data_size));
        if (placement.data == nullptr || placement.offset + size > placement.data_size) {
            placement.status = ConstantStatus::object_already_loaded;
        }
        return placement;
    }
    return {};
}

} // namespace

ConstantStatus set_load_time_constant(bpf_object *object, std::string_view variable, const void *value,
                                      std::size_t size)
{
    auto placement = find_variable(object, variable, size);
    if (placement.status != ConstantStatus::set) {
        return placement.status;
    }
    // This libbpf hands out the initial value read-only: change a copy and set it back.
    std::vector<unsigned char> data(placement.data, placement.data + placement.data_size);
    std::memcpy(data.data() + placement.offset, value, size);
    if (bpf_map__set_initial_value(placement.rodata, data.data(), data.size()) != 0) {
        return ConstantStatus::object_already_loaded;
    }
    return ConstantStatus::set;
}

ConstantStatus get_load_time_constant(bpf_object *object, std::string_view variable, void *value, std::size_t size)
{
    auto placement = find_variable(object, variable, size);
    if (placement.status != ConstantStatus::set) {
        return placement.status;
    }
    std::memcpy(value, placement.data + placement.offset, size);
    return ConstantStatus::set;
}

std::string_view constant_status_text(ConstantStatus status)
{
    switch (status) {
    case ConstantStatus::set:
        return "set";
    case ConstantStatus::no_such_variable:
        return "no such const volatile variable";
    case ConstantStatus::size_mismatch:
        return "size differs from the variable's";
    case ConstantStatus::object_already_loaded:
        return "object already loaded";
    }
    return "unknown";
}

} // namespace vigil::probes
