// SPDX-License-Identifier: Apache-2.0
// The drift plugin's rules: ids, severities and MITRE ATT&CK mapping (the
// choice of each is justified in README.md), and which rule a novelty of a
// stable profile raises. Pure functions, tested without a kernel.
#pragma once

#include <array>
#include <cstddef>
#include <span>
#include <string_view>

#include <vigil/plugin_abi.h>
#include <vigil/rule_table.hpp>

#include "profile/behaviour.hpp"

namespace vigil_drift {

enum class Rule {
    dropped_binary_exec,
    new_shell,
    new_interpreter,
    new_executable,
    executable_path_write,
    new_file_write,
    new_sensitive_read,
    new_connection,
    new_listening_port,
    new_dns_name,
};
inline constexpr std::size_t rule_count = 10;

struct RuleInfo {
    Rule rule;
    const char *id; // stable: "drift.<name>"
    vigil_severity severity;
    std::span<const vigil_attack_ref> tactics;
    std::span<const vigil_attack_ref> techniques;
};

extern const vigil::RuleTable<RuleInfo, rule_count> rule_table;

std::span<const vigil_attack_ref> all_tactics();
std::span<const vigil_attack_ref> all_techniques();

// The rule a new executable raises: by its name, a shell, an interpreter or another program.
// @argv0 counts too: a multi-call binary (busybox) runs its applets as "/proc/self/exe" with the
// applet's name in argv[0].
Rule rule_for_new_executable(std::string_view path, std::string_view argv0 = {});
// The rule a new file access raises: a write under a directory of executables or libraries,
// another write, or a read under a sensitive prefix.
Rule rule_for_new_file(std::string_view path, bool write);
// True for paths a read of which the profile learns: /etc, /root, the secrets directories,
// and /proc/<pid>/... (per-process files, not /proc/meminfo).
bool is_sensitive_read(std::string_view path);

} // namespace vigil_drift
