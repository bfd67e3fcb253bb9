// SPDX-License-Identifier: Apache-2.0
// The kinds of kernel hook a BPF program can attach to, as named in its
// section (tp/..., tp_btf/..., raw_tp/...) and in the configuration.
#pragma once

#include <optional>
#include <string_view>

namespace vigil::probes {

enum class AttachType {
    tracepoint,     // tp/ and tracepoint/: stable tracepoints, through tracefs
    tp_btf,         // tp_btf/: BTF-typed raw tracepoints, no tracefs needed
    raw_tracepoint, // raw_tp/ and raw_tracepoint/
    fentry,
    fexit,
    lsm,
    kprobe,   // kprobe/ and kretprobe/
    cgroup,   // cgroup/..., cgroup_skb/...
    iterator, // iter/
    other,
};

// The configuration name: "tp", "tp_btf", "raw_tp", "fentry", "fexit", "lsm", "kprobe", "cgroup", "iter", "other".
std::string_view attach_type_name(AttachType type);
std::optional<AttachType> parse_attach_type(std::string_view name);
// From a program's ELF section name.
AttachType attach_type_of_section(std::string_view section);

} // namespace vigil::probes
