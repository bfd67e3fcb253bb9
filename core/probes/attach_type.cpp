// SPDX-License-Identifier: Apache-2.0
#include "core/probes/attach_type.hpp"

#include <array>
#include <utility>

namespace vigil::probes {
namespace {

constexpr std::array<std::pair<AttachType, std::string_view>, 10> names{{
    {AttachType::tracepoint, "tp"},
    {AttachType::tp_btf, "tp_btf"},
    {AttachType::raw_tracepoint, "raw_tp"},
    {AttachType::fentry, "fentry"},
    {AttachType::fexit, "fexit"},
    {AttachType::lsm, "lsm"},
    {AttachType::kprobe, "kprobe"},
    {AttachType::cgroup, "cgroup"},
    {AttachType::iterator, "iter"},
    {AttachType::other, "other"},
}};

// Section prefixes as libbpf spells them, longest first where one prefixes another.
constexpr std::array<std::pair<std::string_view, AttachType>, 13> section_prefixes{{
    {"tp_btf/", AttachType::tp_btf},
    {"tp/", AttachType::tracepoint},
    {"tracepoint/", AttachType::tracepoint},
    {"raw_tp/", AttachType::raw_tracepoint},
    {"raw_tracepoint/", AttachType::raw_tracepoint},
    {"fentry/", AttachType::fentry},
    {"fexit/", AttachType::fexit},
    {"lsm/", AttachType::lsm},
    {"kprobe/", AttachType::kprobe},
    {"kretprobe/", AttachType::kprobe},
    {"cgroup/", AttachType::cgroup},
    {"cgroup_skb/", AttachType::cgroup},
    {"iter/", AttachType::iterator},
}};

} // namespace

std::string_view attach_type_name(AttachType type)
{
    for (const auto &[candidate, name] : names) {
        if (candidate == type) {
            return name;
        }
    }
    return "other";
}

std::optional<AttachType> parse_attach_type(std::string_view name)
{
    for (const auto &[type, candidate] : names) {
        if (candidate == name) {
            return type;
        }
    }
    return std::nullopt;
}

AttachType attach_type_of_section(std::string_view section)
{
    for (const auto &[prefix, type] : section_prefixes) {
        if (section.starts_with(prefix)) {
            return type;
        }
    }
    return AttachType::other;
}

} // namespace vigil::probes
