// SPDX-License-Identifier: Apache-2.0
#include "rules.hpp"

#include <algorithm>

#include <vigil/attack.hpp>

namespace vigil_drift {
namespace {

namespace attack = vigil::attack;

constexpr std::array execution{attack::TA0002};
constexpr std::array dropped_tactics{attack::TA0002, attack::TA0005};
constexpr std::array persistence{attack::TA0003, attack::TA0005};
constexpr std::array impact{attack::TA0040};
constexpr std::array credential_access{attack::TA0006};
constexpr std::array command_and_control{attack::TA0011};

constexpr std::array tool_transfer{attack::T1105};
constexpr std::array unix_shell{attack::T1059_004};
constexpr std::array interpreter{attack::T1059};
constexpr std::array administration_command{attack::T1609};
constexpr std::array binary_compromise{attack::T1554};
constexpr std::array stored_data{attack::T1565_001};
constexpr std::array credentials_in_files{attack::T1552_001};
constexpr std::array application_protocol{attack::T1071};
constexpr std::array non_standard_port{attack::T1571};
constexpr std::array dns_protocol{attack::T1071_004};

constexpr std::array<RuleInfo, rule_count> rules{{
    {Rule::dropped_binary_exec, "drift.dropped_binary_exec", VIGIL_SEVERITY_HIGH, dropped_tactics, tool_transfer},
    {Rule::new_shell, "drift.new_shell", VIGIL_SEVERITY_HIGH, execution, unix_shell},
    {Rule::new_interpreter, "drift.new_interpreter", VIGIL_SEVERITY_HIGH, execution, interpreter},
    {Rule::new_executable, "drift.new_executable", VIGIL_SEVERITY_MEDIUM, execution, administration_command},
    {Rule::executable_path_write, "drift.executable_path_write", VIGIL_SEVERITY_HIGH, persistence, binary_compromise},
    {Rule::new_file_write, "drift.new_file_write", VIGIL_SEVERITY_LOW, impact, stored_data},
    {Rule::new_sensitive_read, "drift.new_sensitive_read", VIGIL_SEVERITY_MEDIUM, credential_access,
     credentials_in_files},
    {Rule::new_connection, "drift.new_connection", VIGIL_SEVERITY_MEDIUM, command_and_control, application_protocol},
    {Rule::new_listening_port, "drift.new_listening_port", VIGIL_SEVERITY_MEDIUM, command_and_control,
     non_standard_port},
    {Rule::new_dns_name, "drift.new_dns_name", VIGIL_SEVERITY_LOW, command_and_control, dns_protocol},
}};

constexpr std::array every_tactic{attack::TA0002, attack::TA0003, attack::TA0005,
                                  attack::TA0006, attack::TA0011, attack::TA0040};
constexpr std::array every_technique{attack::T1059, attack::T1059_004, attack::T1071, attack::T1105, attack::T1552_001,
                                     attack::T1554, attack::T1565_001, attack::T1571, attack::T1609};

constexpr std::array<std::string_view, 9> shells{"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh", "csh", "tcsh"};
constexpr std::array<std::string_view, 9> interpreters{"python", "perl",  "ruby", "node", "php",
                                                       "lua",    "tclsh", "awk",  "gawk"};
// Where a write changes what runs: executables and the libraries they load.
constexpr std::array<std::string_view, 8> executable_directories{"/bin/",       "/sbin/", "/usr/bin/", "/usr/sbin/",
                                                                 "/usr/local/", "/lib/",  "/lib64/",   "/usr/lib"};
constexpr std::array<std::string_view, 4> sensitive_prefixes{"/etc/", "/root/", "/var/run/secrets/", "/run/secrets/"};

std::string_view base_name(std::string_view path)
{
    auto slash = path.rfind('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

bool starts_with_any(std::string_view path, std::span<const std::string_view> prefixes)
{
    for (auto prefix : prefixes) {
        if (path.starts_with(prefix)) {
            return true;
        }
    }
    return false;
}

bool is_shell(std::string_view name)
{
    for (auto shell : shells) {
        if (name == shell) {
            return true;
        }
    }
    return false;
}

bool is_interpreter(std::string_view name)
{
    for (auto interpreter_name : interpreters) {
        // "python3", "python3.11", "perl5.36": a versioned name is the same interpreter.
        if (name.starts_with(interpreter_name) &&
            (name.size() == interpreter_name.size() ||
             (name[interpreter_name.size()] >= '0' && name[interpreter_name.size()] <= '9'))) {
            return true;
        }
    }
    return false;
}

} // namespace

const vigil::RuleTable<RuleInfo, rule_count> rule_table{rules};
static_assert(vigil::RuleTable<RuleInfo, rule_count>(rules).in_enum_order());

std::span<const vigil_attack_ref> all_tactics()
{
    return every_tactic;
}

std::span<const vigil_attack_ref> all_techniques()
{
    return every_technique;
}

Rule rule_for_new_executable(std::string_view path, std::string_view argv0)
{
    auto name = base_name(path);
    // A login shell's argv[0] starts with '-': "-sh".
    auto called = base_name(argv0.starts_with('-') ? argv0.substr(1) : argv0);
    if (is_shell(name) || is_shell(called)) {
        return Rule::new_shell;
    }
    if (is_interpreter(name) || is_interpreter(called)) {
        return Rule::new_interpreter;
    }
    return Rule::new_executable;
}

Rule rule_for_new_file(std::string_view path, bool write)
{
    if (!write) {
        return Rule::new_sensitive_read;
    }
    return starts_with_any(path, executable_directories) ? Rule::executable_path_write : Rule::new_file_write;
}

bool is_sensitive_read(std::string_view path)
{
    if (starts_with_any(path, sensitive_prefixes)) {
        return true;
    }
    if (!path.starts_with("/proc/")) {
        return false;
    }
    // /proc/<pid>/..., /proc/self/..., /proc/thread-self/...: a process's files, not /proc/sys or /proc/meminfo.
    auto rest = path.substr(6);
    auto slash = rest.find('/');
    if (slash == std::string_view::npos || slash == 0 || slash + 1 >= rest.size()) {
        return false;
    }
    auto process = rest.substr(0, slash);
    if (process == "self" || process == "thread-self") {
        return true;
    }
    return std::all_of(process.begin(), process.end(), [](char c) { return c >= '0' && c <= '9'; });
}

} // namespace vigil_drift
