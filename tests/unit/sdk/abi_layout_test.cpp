// SPDX-License-Identifier: Apache-2.0
// The plugin ABI, frozen. plugin_abi.h is append-only: a plugin built against
// any minor keeps working with any later sensor, and the other way round, only
// if no field ever moves or changes size. This test holds, for every struct of
// plugin_abi.h, each field's offset and size, the minor that appended it, and
// the struct's size at every minor from 1.0 to 1.7, written down as figures
// (for x86-64, LP64; checked below). A field that moves, grows or shrinks,
// is inserted or removed, or is appended without figures fails here.
//
// Appending a field (see "The ABI" in sdk/README.md): add it last in its
// struct and bump VIGIL_ABI_MINOR; here, raise newest_minor, add a FIELD line
// with the new minor and a column to every size row (the struct's new size,
// or the same size again), and add the VIGIL_<STRUCT>_SIZE_1_<minor> marker
// to plugin_abi.h and to the markers below. Never change a figure that is here.
#include <doctest/doctest.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include <vigil/abi_support.hpp>
#include <vigil/plugin_abi.h>

static_assert(sizeof(void *) == 8 && sizeof(std::size_t) == 8 && alignof(uint64_t) == 8 && sizeof(long) == 8,
              "the golden figures are for x86-64 (LP64): pointers, size_t and uint64_t of 8 bytes, 8-aligned");

namespace {

// The newest minor the figures cover.
constexpr int newest_minor = 7;
constexpr int minor_count = newest_minor + 1;

// Converts to whatever a member is, so that T{Any{}, ...} counts T's members.
struct Any {
    template <class T> operator T() const; // only ever used unevaluated
};

template <class T, std::size_t... I> constexpr bool brace_initializable(std::index_sequence<I...>)
{
    return requires
    {
        T{(static_cast<void>(I), Any{})...};
    };
}

// How many initializers T's aggregate initialization takes: one per member,
// and one per element of an array member (brace elision). A member the
// figures do not list shows here, even one hidden in padding.
template <class T, std::size_t N = 0> constexpr std::size_t initializer_count()
{
    if constexpr (brace_initializable<T>(std::make_index_sequence<N + 1>{})) {
        return initializer_count<T, N + 1>();
    } else {
        return N;
    }
}

template <class Member> constexpr std::size_t initializers_of()
{
    if constexpr (std::is_array_v<Member>) {
        return std::extent_v<Member>;
    } else {
        return 1;
    }
}

struct Field {
    const char *name;
    std::size_t offset; // golden
    std::size_t size;   // golden
    int minor;          // the minor that appended it
    // What the header compiles to today.
    std::size_t actual_offset;
    std::size_t actual_size;
    std::size_t actual_alignment;
    std::size_t actual_initializers;
    // VIGIL_HAS_FIELD of this field on an object whose struct_size is @struct_size.
    bool (*present)(uint32_t struct_size);
};

struct Layout {
    const char *name;
    std::size_t actual_size;
    std::size_t actual_alignment;
    std::size_t actual_initializers;
    // Golden: sizeof() of the struct as a side built against 1.0, 1.1, ... had
    // it, the struct_size it sets; 0 before the struct existed.
    std::array<std::size_t, minor_count> size_at;
    std::vector<Field> fields;
};

// clang-format off
#define STRUCT(type) #type, sizeof(type), alignof(type), initializer_count<type>()
#define FIELD(type, field, offset, size, minor)                                                                        \
    Field{#field, offset, size, minor, offsetof(type, field), sizeof(type::field), alignof(decltype(type::field)),     \
          initializers_of<decltype(type::field)>(),                                                                    \
          [](uint32_t struct_size) {                                                                                   \
              type object{};                                                                                           \
              object.struct_size = struct_size;                                                                        \
              return VIGIL_HAS_FIELD(&object, type, field);                                                            \
          }}
// clang-format on

const std::vector<Layout> &layouts()
{
    static const std::vector<Layout> all{
        Layout{STRUCT(vigil_attack_ref),
               {24, 24, 24, 24, 24, 24, 24, 24},
               {
                   FIELD(vigil_attack_ref, struct_size, 0, 4, 0),
                   FIELD(vigil_attack_ref, id, 8, 8, 0),
                   FIELD(vigil_attack_ref, name, 16, 8, 0),
               }},
        Layout{STRUCT(vigil_config_key),
               {40, 40, 40, 40, 40, 40, 40, 40},
               {
                   FIELD(vigil_config_key, struct_size, 0, 4, 0),
                   FIELD(vigil_config_key, name, 8, 8, 0),
                   FIELD(vigil_config_key, type, 16, 4, 0),
                   FIELD(vigil_config_key, default_value, 24, 8, 0),
                   FIELD(vigil_config_key, doc, 32, 8, 0),
               }},
        Layout{STRUCT(vigil_bpf_program),
               {32, 32, 32, 32, 32, 32, 32, 32},
               {
                   FIELD(vigil_bpf_program, struct_size, 0, 4, 0),
                   FIELD(vigil_bpf_program, name, 8, 8, 0),
                   FIELD(vigil_bpf_program, group, 16, 8, 0),
                   FIELD(vigil_bpf_program, preference, 24, 4, 0),
                   FIELD(vigil_bpf_program, flags, 28, 4, 0),
               }},
        Layout{STRUCT(vigil_bpf_object),
               {64, 64, 64, 64, 64, 64, 64, 64},
               {
                   FIELD(vigil_bpf_object, struct_size, 0, 4, 0),
                   FIELD(vigil_bpf_object, name, 8, 8, 0),
                   FIELD(vigil_bpf_object, elf, 16, 8, 0),
                   FIELD(vigil_bpf_object, elf_size, 24, 8, 0),
                   FIELD(vigil_bpf_object, programs, 32, 8, 0),
                   FIELD(vigil_bpf_object, program_count, 40, 4, 0),
                   FIELD(vigil_bpf_object, ring_buffers, 48, 8, 0),
                   FIELD(vigil_bpf_object, ring_buffer_count, 56, 4, 0),
               }},
        Layout{STRUCT(vigil_route),
               {0, 0, 72, 72, 72, 72, 72, 72},
               {
                   FIELD(vigil_route, struct_size, 0, 4, 2),
                   FIELD(vigil_route, min_severity, 4, 4, 2),
                   FIELD(vigil_route, tactics, 8, 8, 2),
                   FIELD(vigil_route, tactic_count, 16, 4, 2),
                   FIELD(vigil_route, exclude_tactics, 24, 8, 2),
                   FIELD(vigil_route, exclude_tactic_count, 32, 4, 2),
                   FIELD(vigil_route, rules, 40, 8, 2),
                   FIELD(vigil_route, rule_count, 48, 4, 2),
                   FIELD(vigil_route, exclude_rules, 56, 8, 2),
                   FIELD(vigil_route, exclude_rule_count, 64, 4, 2),
               }},
        Layout{STRUCT(vigil_plugin_descriptor),
               {128, 128, 136, 136, 136, 136, 136, 136},
               {
                   FIELD(vigil_plugin_descriptor, struct_size, 0, 4, 0),
                   FIELD(vigil_plugin_descriptor, abi_major, 4, 4, 0),
                   FIELD(vigil_plugin_descriptor, abi_minor, 8, 4, 0),
                   FIELD(vigil_plugin_descriptor, kind, 12, 4, 0),
                   FIELD(vigil_plugin_descriptor, name, 16, 8, 0),
                   FIELD(vigil_plugin_descriptor, version, 24, 8, 0),
                   FIELD(vigil_plugin_descriptor, description, 32, 8, 0),
                   FIELD(vigil_plugin_descriptor, tactics, 40, 8, 0),
                   FIELD(vigil_plugin_descriptor, tactic_count, 48, 4, 0),
                   FIELD(vigil_plugin_descriptor, techniques, 56, 8, 0),
                   FIELD(vigil_plugin_descriptor, technique_count, 64, 4, 0),
                   FIELD(vigil_plugin_descriptor, config_keys, 72, 8, 0),
                   FIELD(vigil_plugin_descriptor, config_key_count, 80, 4, 0),
                   FIELD(vigil_plugin_descriptor, subscribed_kinds, 88, 8, 0),
                   FIELD(vigil_plugin_descriptor, subscribed_kind_count, 96, 4, 0),
                   FIELD(vigil_plugin_descriptor, bpf_objects, 104, 8, 0),
                   FIELD(vigil_plugin_descriptor, bpf_object_count, 112, 4, 0),
                   FIELD(vigil_plugin_descriptor, hooks, 120, 8, 0),
                   FIELD(vigil_plugin_descriptor, default_route, 128, 8, 2),
               }},
        Layout{STRUCT(vigil_config_view),
               {64, 64, 64, 64, 64, 64, 64, 64},
               {
                   FIELD(vigil_config_view, struct_size, 0, 4, 0),
                   FIELD(vigil_config_view, context, 8, 8, 0),
                   FIELD(vigil_config_view, get_bool, 16, 8, 0),
                   FIELD(vigil_config_view, get_integer, 24, 8, 0),
                   FIELD(vigil_config_view, get_float, 32, 8, 0),
                   FIELD(vigil_config_view, get_string, 40, 8, 0),
                   FIELD(vigil_config_view, get_list_size, 48, 8, 0),
                   FIELD(vigil_config_view, get_list_item, 56, 8, 0),
               }},
        Layout{STRUCT(vigil_bpf_setup),
               {24, 24, 24, 24, 24, 24, 32, 32},
               {
                   FIELD(vigil_bpf_setup, struct_size, 0, 4, 0),
                   FIELD(vigil_bpf_setup, context, 8, 8, 0),
                   FIELD(vigil_bpf_setup, set_constant, 16, 8, 0),
                   FIELD(vigil_bpf_setup, skip_program, 24, 8, 6),
               }},
        Layout{STRUCT(vigil_process),
               {72, 72, 72, 72, 72, 72, 72, 72},
               {
                   FIELD(vigil_process, struct_size, 0, 4, 0),
                   FIELD(vigil_process, tgid, 4, 4, 0),
                   FIELD(vigil_process, ns_tgid, 8, 4, 0),
                   FIELD(vigil_process, parent_tgid, 12, 4, 0),
                   FIELD(vigil_process, uid, 16, 4, 0),
                   FIELD(vigil_process, gid, 20, 4, 0),
                   FIELD(vigil_process, start_ns, 24, 8, 0),
                   FIELD(vigil_process, cgroup_id, 32, 8, 0),
                   FIELD(vigil_process, mnt_ns, 40, 4, 0),
                   FIELD(vigil_process, pid_ns, 44, 4, 0),
                   FIELD(vigil_process, net_ns, 48, 4, 0),
                   FIELD(vigil_process, exited, 52, 4, 0),
                   FIELD(vigil_process, exe, 56, 8, 0),
                   FIELD(vigil_process, cmdline, 64, 8, 0),
               }},
        Layout{STRUCT(vigil_container),
               {48, 48, 48, 48, 48, 48, 48, 128},
               {
                   FIELD(vigil_container, struct_size, 0, 4, 0),
                   FIELD(vigil_container, cgroup_id, 8, 8, 0),
                   FIELD(vigil_container, id, 16, 8, 0),
                   FIELD(vigil_container, runtime, 24, 8, 0),
                   FIELD(vigil_container, pod_uid, 32, 8, 0),
                   FIELD(vigil_container, cgroup_path, 40, 8, 0),
                   FIELD(vigil_container, name, 48, 8, 7),
                   FIELD(vigil_container, image, 56, 8, 7),
                   FIELD(vigil_container, image_id, 64, 8, 7),
                   FIELD(vigil_container, pod_namespace, 72, 8, 7),
                   FIELD(vigil_container, pod_name, 80, 8, 7),
                   FIELD(vigil_container, workload_kind, 88, 8, 7),
                   FIELD(vigil_container, workload_name, 96, 8, 7),
                   FIELD(vigil_container, template_hash, 104, 8, 7),
                   FIELD(vigil_container, started_ns, 112, 8, 7),
                   FIELD(vigil_container, metadata_source, 120, 4, 7),
                   FIELD(vigil_container, existed_at_start, 124, 4, 7),
               }},
        Layout{STRUCT(vigil_audit_event),
               {0, 0, 0, 0, 232, 232, 232, 232},
               {
                   FIELD(vigil_audit_event, struct_size, 0, 4, 4),
                   FIELD(vigil_audit_event, stage, 4, 4, 4),
                   FIELD(vigil_audit_event, source, 8, 4, 4),
                   FIELD(vigil_audit_event, response_code, 12, 4, 4),
                   FIELD(vigil_audit_event, request_received_unix_ns, 16, 8, 4),
                   FIELD(vigil_audit_event, stage_unix_ns, 24, 8, 4),
                   FIELD(vigil_audit_event, audit_id, 32, 8, 4),
                   FIELD(vigil_audit_event, level, 40, 8, 4),
                   FIELD(vigil_audit_event, verb, 48, 8, 4),
                   FIELD(vigil_audit_event, request_uri, 56, 8, 4),
                   FIELD(vigil_audit_event, user_agent, 64, 8, 4),
                   FIELD(vigil_audit_event, username, 72, 8, 4),
                   FIELD(vigil_audit_event, user_uid, 80, 8, 4),
                   FIELD(vigil_audit_event, user_groups, 88, 8, 4),
                   FIELD(vigil_audit_event, user_group_count, 96, 4, 4),
                   FIELD(vigil_audit_event, service_account_namespace, 104, 8, 4),
                   FIELD(vigil_audit_event, service_account_name, 112, 8, 4),
                   FIELD(vigil_audit_event, pod_name, 120, 8, 4),
                   FIELD(vigil_audit_event, pod_uid, 128, 8, 4),
                   FIELD(vigil_audit_event, impersonated_username, 136, 8, 4),
                   FIELD(vigil_audit_event, source_ips, 144, 8, 4),
                   FIELD(vigil_audit_event, source_ip_count, 152, 4, 4),
                   FIELD(vigil_audit_event, resource, 160, 8, 4),
                   FIELD(vigil_audit_event, subresource, 168, 8, 4),
                   FIELD(vigil_audit_event, object_namespace, 176, 8, 4),
                   FIELD(vigil_audit_event, object_name, 184, 8, 4),
                   FIELD(vigil_audit_event, object_uid, 192, 8, 4),
                   FIELD(vigil_audit_event, api_group, 200, 8, 4),
                   FIELD(vigil_audit_event, api_version, 208, 8, 4),
                   FIELD(vigil_audit_event, raw_json, 216, 8, 4),
                   FIELD(vigil_audit_event, raw_json_size, 224, 8, 4),
               }},
        Layout{STRUCT(vigil_raised_alert),
               {0, 0, 0, 0, 0, 152, 152, 152},
               {
                   FIELD(vigil_raised_alert, struct_size, 0, 4, 5),
                   FIELD(vigil_raised_alert, severity, 4, 4, 5),
                   FIELD(vigil_raised_alert, rule, 8, 8, 5),
                   FIELD(vigil_raised_alert, plugin, 16, 8, 5),
                   FIELD(vigil_raised_alert, summary, 24, 8, 5),
                   FIELD(vigil_raised_alert, time_unix_ns, 32, 8, 5),
                   FIELD(vigil_raised_alert, tactics, 40, 8, 5),
                   FIELD(vigil_raised_alert, tactic_count, 48, 4, 5),
                   FIELD(vigil_raised_alert, techniques, 56, 8, 5),
                   FIELD(vigil_raised_alert, technique_count, 64, 4, 5),
                   FIELD(vigil_raised_alert, pid, 68, 4, 5),
                   FIELD(vigil_raised_alert, exe, 72, 8, 5),
                   FIELD(vigil_raised_alert, container_id, 80, 8, 5),
                   FIELD(vigil_raised_alert, pod_uid, 88, 8, 5),
                   FIELD(vigil_raised_alert, pod_namespace, 96, 8, 5),
                   FIELD(vigil_raised_alert, pod_name, 104, 8, 5),
                   FIELD(vigil_raised_alert, service_account, 112, 8, 5),
                   FIELD(vigil_raised_alert, node, 120, 8, 5),
                   FIELD(vigil_raised_alert, evidence, 128, 8, 5),
                   FIELD(vigil_raised_alert, evidence_count, 136, 4, 5),
                   FIELD(vigil_raised_alert, finding_key, 144, 8, 5),
               }},
        Layout{STRUCT(vigil_event),
               {40, 40, 40, 40, 48, 56, 56, 56},
               {
                   FIELD(vigil_event, struct_size, 0, 4, 0),
                   FIELD(vigil_event, kind, 4, 4, 0),
                   FIELD(vigil_event, record, 8, 8, 0),
                   FIELD(vigil_event, record_size, 16, 4, 0),
                   FIELD(vigil_event, process, 24, 8, 0),
                   FIELD(vigil_event, container, 32, 8, 0),
                   FIELD(vigil_event, audit, 40, 8, 4),
                   FIELD(vigil_event, alert, 48, 8, 5),
               }},
        Layout{STRUCT(vigil_evidence_field),
               {64, 64, 64, 64, 64, 64, 64, 64},
               {
                   FIELD(vigil_evidence_field, struct_size, 0, 4, 0),
                   FIELD(vigil_evidence_field, key, 8, 8, 0),
                   FIELD(vigil_evidence_field, type, 16, 4, 0),
                   FIELD(vigil_evidence_field, string_value, 24, 8, 0),
                   FIELD(vigil_evidence_field, integer_value, 32, 8, 0),
                   FIELD(vigil_evidence_field, unsigned_value, 40, 8, 0),
                   FIELD(vigil_evidence_field, list_values, 48, 8, 0),
                   FIELD(vigil_evidence_field, list_count, 56, 4, 0),
               }},
        Layout{STRUCT(vigil_alert_request),
               {104, 104, 104, 104, 104, 104, 104, 104},
               {
                   FIELD(vigil_alert_request, struct_size, 0, 4, 0),
                   FIELD(vigil_alert_request, rule, 8, 8, 0),
                   FIELD(vigil_alert_request, severity, 16, 4, 0),
                   FIELD(vigil_alert_request, summary, 24, 8, 0),
                   FIELD(vigil_alert_request, tactics, 32, 8, 0),
                   FIELD(vigil_alert_request, tactic_count, 40, 4, 0),
                   FIELD(vigil_alert_request, techniques, 48, 8, 0),
                   FIELD(vigil_alert_request, technique_count, 56, 4, 0),
                   FIELD(vigil_alert_request, event, 64, 8, 0),
                   FIELD(vigil_alert_request, subject_tgid, 72, 4, 0),
                   FIELD(vigil_alert_request, evidence, 80, 8, 0),
                   FIELD(vigil_alert_request, evidence_count, 88, 4, 0),
                   FIELD(vigil_alert_request, dedup_key, 96, 8, 0),
               }},
        Layout{STRUCT(vigil_host_info),
               {0, 48, 48, 48, 48, 48, 48, 56},
               {
                   FIELD(vigil_host_info, struct_size, 0, 4, 1),
                   FIELD(vigil_host_info, node_name, 8, 8, 1),
                   FIELD(vigil_host_info, proc_root, 16, 8, 1),
                   FIELD(vigil_host_info, cgroup2_root, 24, 8, 1),
                   FIELD(vigil_host_info, mnt_ns, 32, 4, 1),
                   FIELD(vigil_host_info, pid_ns, 36, 4, 1),
                   FIELD(vigil_host_info, net_ns, 40, 4, 1),
                   FIELD(vigil_host_info, started_ns, 48, 8, 7),
               }},
        Layout{STRUCT(vigil_host_api),
               {96, 104, 104, 104, 104, 104, 104, 136},
               {
                   FIELD(vigil_host_api, struct_size, 0, 4, 0),
                   FIELD(vigil_host_api, abi_major, 4, 4, 0),
                   FIELD(vigil_host_api, abi_minor, 8, 4, 0),
                   FIELD(vigil_host_api, context, 16, 8, 0),
                   FIELD(vigil_host_api, log, 24, 8, 0),
                   FIELD(vigil_host_api, emit_alert, 32, 8, 0),
                   FIELD(vigil_host_api, find_process, 40, 8, 0),
                   FIELD(vigil_host_api, process_ancestry, 48, 8, 0),
                   FIELD(vigil_host_api, find_container, 56, 8, 0),
                   FIELD(vigil_host_api, metric_register, 64, 8, 0),
                   FIELD(vigil_host_api, metric_add, 72, 8, 0),
                   FIELD(vigil_host_api, now_ns, 80, 8, 0),
                   FIELD(vigil_host_api, find_process_in_namespace, 88, 8, 0),
                   FIELD(vigil_host_api, host_info, 96, 8, 1),
                   FIELD(vigil_host_api, state_directory, 104, 8, 7),
                   FIELD(vigil_host_api, records_lost, 112, 8, 7),
                   FIELD(vigil_host_api, map_update, 120, 8, 7),
                   FIELD(vigil_host_api, map_delete, 128, 8, 7),
               }},
        Layout{STRUCT(vigil_alert),
               {136, 136, 136, 144, 144, 144, 144, 144},
               {
                   FIELD(vigil_alert, struct_size, 0, 4, 0),    FIELD(vigil_alert, json, 8, 8, 0),
                   FIELD(vigil_alert, json_size, 16, 8, 0),     FIELD(vigil_alert, rule, 24, 8, 0),
                   FIELD(vigil_alert, plugin, 32, 8, 0),        FIELD(vigil_alert, summary, 40, 8, 0),
                   FIELD(vigil_alert, severity, 48, 4, 0),      FIELD(vigil_alert, time_unix_ns, 56, 8, 0),
                   FIELD(vigil_alert, tactics, 64, 8, 0),       FIELD(vigil_alert, tactic_count, 72, 4, 0),
                   FIELD(vigil_alert, techniques, 80, 8, 0),    FIELD(vigil_alert, technique_count, 88, 4, 0),
                   FIELD(vigil_alert, pid, 92, 4, 0),           FIELD(vigil_alert, exe, 96, 8, 0),
                   FIELD(vigil_alert, container_id, 104, 8, 0), FIELD(vigil_alert, pod_uid, 112, 8, 0),
                   FIELD(vigil_alert, node, 120, 8, 0),         FIELD(vigil_alert, repeat_count, 128, 8, 0),
                   FIELD(vigil_alert, finding_key, 136, 8, 3),
               }},
        Layout{STRUCT(vigil_buffer),
               {24, 24, 24, 24, 24, 24, 24, 24},
               {
                   FIELD(vigil_buffer, struct_size, 0, 4, 0),
                   FIELD(vigil_buffer, context, 8, 8, 0),
                   FIELD(vigil_buffer, append, 16, 8, 0),
               }},
        Layout{STRUCT(vigil_send_result),
               {272, 272, 272, 272, 272, 272, 272, 272},
               {
                   FIELD(vigil_send_result, struct_size, 0, 4, 0),
                   FIELD(vigil_send_result, status, 4, 4, 0),
                   FIELD(vigil_send_result, retry_after_ms, 8, 8, 0),
                   FIELD(vigil_send_result, reason, 16, 256, 0),
               }},
        Layout{STRUCT(vigil_plugin_hooks),
               {64, 64, 64, 64, 64, 64, 64, 64},
               {
                   FIELD(vigil_plugin_hooks, struct_size, 0, 4, 0),
                   FIELD(vigil_plugin_hooks, init, 8, 8, 0),
                   FIELD(vigil_plugin_hooks, destroy, 16, 8, 0),
                   FIELD(vigil_plugin_hooks, configure_bpf, 24, 8, 0),
                   FIELD(vigil_plugin_hooks, on_event, 32, 8, 0),
                   FIELD(vigil_plugin_hooks, on_tick, 40, 8, 0),
                   FIELD(vigil_plugin_hooks, format, 48, 8, 0),
                   FIELD(vigil_plugin_hooks, send, 56, 8, 0),
               }},
    };
    return all;
}

#undef FIELD
#undef STRUCT

// A per-minor size marker of plugin_abi.h.
struct Marker {
    const char *name;
    const char *layout;
    int minor;
    std::size_t value;
};

// clang-format off
#define MARKER(name, layout, minor) Marker{#name, #layout, minor, name}
// clang-format on

const std::vector<Marker> &markers()
{
    static const std::vector<Marker> all{
        MARKER(VIGIL_ATTACK_REF_SIZE_1_0, vigil_attack_ref, 0),
        MARKER(VIGIL_CONFIG_KEY_SIZE_1_0, vigil_config_key, 0),
        MARKER(VIGIL_BPF_PROGRAM_SIZE_1_0, vigil_bpf_program, 0),
        MARKER(VIGIL_BPF_OBJECT_SIZE_1_0, vigil_bpf_object, 0),
        MARKER(VIGIL_ROUTE_SIZE_1_2, vigil_route, 2),
        MARKER(VIGIL_PLUGIN_DESCRIPTOR_SIZE_1_0, vigil_plugin_descriptor, 0),
        MARKER(VIGIL_PLUGIN_DESCRIPTOR_SIZE_1_2, vigil_plugin_descriptor, 2),
        MARKER(VIGIL_CONFIG_VIEW_SIZE_1_0, vigil_config_view, 0),
        MARKER(VIGIL_BPF_SETUP_SIZE_1_0, vigil_bpf_setup, 0),
        MARKER(VIGIL_BPF_SETUP_SIZE_1_6, vigil_bpf_setup, 6),
        MARKER(VIGIL_PROCESS_SIZE_1_0, vigil_process, 0),
        MARKER(VIGIL_CONTAINER_SIZE_1_0, vigil_container, 0),
        MARKER(VIGIL_CONTAINER_SIZE_1_7, vigil_container, 7),
        MARKER(VIGIL_AUDIT_EVENT_SIZE_1_4, vigil_audit_event, 4),
        MARKER(VIGIL_RAISED_ALERT_SIZE_1_5, vigil_raised_alert, 5),
        MARKER(VIGIL_EVENT_SIZE_1_0, vigil_event, 0),
        MARKER(VIGIL_EVENT_SIZE_1_4, vigil_event, 4),
        MARKER(VIGIL_EVENT_SIZE_1_5, vigil_event, 5),
        MARKER(VIGIL_EVIDENCE_FIELD_SIZE_1_0, vigil_evidence_field, 0),
        MARKER(VIGIL_ALERT_REQUEST_SIZE_1_0, vigil_alert_request, 0),
        MARKER(VIGIL_HOST_INFO_SIZE_1_1, vigil_host_info, 1),
        MARKER(VIGIL_HOST_INFO_SIZE_1_7, vigil_host_info, 7),
        MARKER(VIGIL_HOST_API_SIZE_1_0, vigil_host_api, 0),
        MARKER(VIGIL_HOST_API_SIZE_1_1, vigil_host_api, 1),
        MARKER(VIGIL_HOST_API_SIZE_1_7, vigil_host_api, 7),
        MARKER(VIGIL_ALERT_SIZE_1_0, vigil_alert, 0),
        MARKER(VIGIL_ALERT_SIZE_1_3, vigil_alert, 3),
        MARKER(VIGIL_BUFFER_SIZE_1_0, vigil_buffer, 0),
        MARKER(VIGIL_SEND_RESULT_SIZE_1_0, vigil_send_result, 0),
        MARKER(VIGIL_PLUGIN_HOOKS_SIZE_1_0, vigil_plugin_hooks, 0),
    };
    return all;
}

#undef MARKER

std::size_t align_up(std::size_t value, std::size_t alignment)
{
    return (value + alignment - 1) / alignment * alignment;
}

std::string version(int minor)
{
    return "1." + std::to_string(minor);
}

// The golden end of the last field a side of @minor has: 0 if the struct did not exist yet.
std::size_t golden_end_at(const Layout &layout, int minor)
{
    std::size_t end = 0;
    for (const auto &field : layout.fields) {
        if (field.minor <= minor) {
            end = std::max(end, field.offset + field.size);
        }
    }
    return end;
}

} // namespace

TEST_CASE("abi layout: the figures cover the header's minor")
{
    CHECK(VIGIL_ABI_MAJOR == 1);
    // A new minor needs its figures here first (see the top of this file).
    CHECK(VIGIL_ABI_MINOR == newest_minor);
}

TEST_CASE("abi layout: every field of every struct keeps its offset and size")
{
    for (const auto &layout : layouts()) {
        for (const auto &field : layout.fields) {
            INFO(layout.name, ".", field.name);
            CHECK(field.actual_offset == field.offset);
            CHECK(field.actual_size == field.size);
        }
    }
}

TEST_CASE("abi layout: the figures list every field, in order, appended by minor")
{
    for (const auto &layout : layouts()) {
        INFO(layout.name);
        REQUIRE(!layout.fields.empty());
        CHECK(std::string(layout.fields.front().name) == "struct_size");
        CHECK(layout.fields.front().offset == 0);
        CHECK(layout.fields.front().size == sizeof(uint32_t));
        std::size_t end = 0;
        std::size_t alignment = 1;
        std::size_t initializers = 0;
        int minor = 0;
        for (const auto &field : layout.fields) {
            INFO(field.name);
            // Nothing hides between two listed fields but the padding the next one needs.
            CHECK(field.actual_offset == align_up(end, field.actual_alignment));
            CHECK(field.minor >= minor); // a later minor only ever appends
            end = field.actual_offset + field.actual_size;
            alignment = std::max(alignment, field.actual_alignment);
            initializers += field.actual_initializers;
            minor = field.minor;
        }
        // ... nor after the last one, in its tail padding or beyond.
        CHECK(layout.actual_alignment == alignment);
        CHECK(layout.actual_size == align_up(end, alignment));
        CHECK(layout.actual_initializers == initializers);
    }
}

TEST_CASE("abi layout: each struct's size at every minor from 1.0 to 1.7")
{
    for (const auto &layout : layouts()) {
        INFO(layout.name);
        CHECK(layout.actual_size == layout.size_at[newest_minor]);
        std::size_t previous = 0;
        for (int minor = 0; minor < minor_count; ++minor) {
            INFO("ABI ", version(minor));
            auto size = layout.size_at[minor];
            CHECK(size >= previous);
            previous = size;
            for (const auto &field : layout.fields) {
                INFO(field.name, " of ABI ", version(field.minor));
                if (field.minor <= minor) {
                    CHECK(field.offset + field.size <= size);
                } else {
                    // Appended fields start past the old size, tail padding included: a side
                    // of the older minor never sends bytes that a reader would take for them.
                    CHECK(field.offset >= size);
                }
            }
            if (size == 0) {
                continue; // not in the ABI yet
            }
            // The size is that of the fields the minor had, with the struct's padding.
            std::size_t alignment = 1;
            for (const auto &field : layout.fields) {
                if (field.minor <= minor) {
                    alignment = std::max(alignment, field.actual_alignment);
                }
            }
            CHECK(size == align_up(golden_end_at(layout, minor), alignment));
        }
    }
}

TEST_CASE("abi layout: VIGIL_HAS_FIELD finds exactly the fields a side of each minor sends")
{
    for (const auto &layout : layouts()) {
        INFO(layout.name);
        for (int minor = 0; minor < minor_count; ++minor) {
            auto size = layout.size_at[minor];
            if (size == 0) {
                continue;
            }
            INFO("struct_size ", size, " from ABI ", version(minor));
            for (const auto &field : layout.fields) {
                INFO(field.name, " of ABI ", version(field.minor));
                CHECK(field.present(static_cast<uint32_t>(size)) == (field.minor <= minor));
                // One byte short of the field's end: not there.
                CHECK_FALSE(field.present(static_cast<uint32_t>(field.offset + field.size - 1)));
            }
        }
    }
}

TEST_CASE("abi layout: a host of the first 1.0 headers has no find_process_in_namespace")
{
    // find_process_in_namespace was appended without a minor of its own: a 1.0
    // host may end at now_ns, and only VIGIL_HAS_FIELD tells.
    vigil_host_api early{};
    early.struct_size = VIGIL_SIZE_THROUGH(struct vigil_host_api, now_ns);
    early.abi_minor = 0;
    CHECK(early.struct_size == 88);
    CHECK(VIGIL_HAS_FIELD(&early, vigil_host_api, now_ns));
    CHECK_FALSE(VIGIL_HAS_FIELD(&early, vigil_host_api, find_process_in_namespace));
    early.struct_size = VIGIL_HOST_API_SIZE_1_0;
    CHECK(VIGIL_HAS_FIELD(&early, vigil_host_api, find_process_in_namespace));
    CHECK_FALSE(VIGIL_HAS_FIELD(&early, vigil_host_api, host_info));
}

TEST_CASE("abi layout: plugin_abi.h's size markers, one per struct and minor that changed it")
{
    for (const auto &marker : markers()) {
        INFO(marker.name);
        auto found = std::find_if(layouts().begin(), layouts().end(),
                                  [&](const Layout &layout) { return std::string(layout.name) == marker.layout; });
        REQUIRE(found != layouts().end());
        CHECK(marker.value == golden_end_at(*found, marker.minor));
        CHECK(golden_end_at(*found, marker.minor) > golden_end_at(*found, marker.minor - 1));
    }
    // Every minor that introduced or grew a struct has its marker.
    for (const auto &layout : layouts()) {
        for (int minor = 0; minor < minor_count; ++minor) {
            if (golden_end_at(layout, minor) == golden_end_at(layout, minor - 1)) {
                continue;
            }
            INFO(layout.name, " at ABI ", version(minor));
            CHECK(std::any_of(markers().begin(), markers().end(), [&](const Marker &marker) {
                return marker.layout == std::string(layout.name) && marker.minor == minor;
            }));
        }
    }
}
