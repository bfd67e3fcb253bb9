// SPDX-License-Identifier: Apache-2.0
#include <doctest/doctest.h>

#include <string>

#include "rules.hpp"

using namespace vigil_drift;

TEST_CASE("drift rules: every row has a stable id, a severity and an ATT&CK mapping")
{
    for (const auto &row : rule_table.all()) {
        CHECK(std::string(row.id).starts_with("drift."));
        CHECK_FALSE(row.tactics.empty());
        CHECK_FALSE(row.techniques.empty());
    }
    CHECK(rule_table.find("drift.dropped_binary_exec") == Rule::dropped_binary_exec);
    CHECK(rule_table.at(Rule::dropped_binary_exec).severity == VIGIL_SEVERITY_HIGH);
}

TEST_CASE("drift rules: a new executable is a shell, an interpreter or another program by its name")
{
    CHECK(rule_for_new_executable("/bin/sh") == Rule::new_shell);
    CHECK(rule_for_new_executable("/usr/bin/bash") == Rule::new_shell);
    CHECK(rule_for_new_executable("/usr/bin/python3") == Rule::new_interpreter);
    CHECK(rule_for_new_executable("/usr/bin/python3.11") == Rule::new_interpreter);
    CHECK(rule_for_new_executable("perl") == Rule::new_interpreter);
    // A name that only starts like an interpreter's is another program.
    CHECK(rule_for_new_executable("/usr/bin/nodejs-helper") == Rule::new_executable);
    CHECK(rule_for_new_executable("/usr/bin/shred") == Rule::new_executable);
    CHECK(rule_for_new_executable("/tmp/xmrig") == Rule::new_executable);
    // busybox runs its applets as /proc/self/exe, named by argv[0]; a login shell's starts with '-'.
    CHECK(rule_for_new_executable("/proc/self/exe", "sh") == Rule::new_shell);
    CHECK(rule_for_new_executable("/bin/busybox", "-ash") == Rule::new_shell);
    CHECK(rule_for_new_executable("/proc/self/exe", "awk") == Rule::new_interpreter);
    CHECK(rule_for_new_executable("/proc/self/exe", "cat") == Rule::new_executable);
}

TEST_CASE("drift rules: writes under executable directories are their own rule")
{
    CHECK(rule_for_new_file("/usr/bin/curl", true) == Rule::executable_path_write);
    CHECK(rule_for_new_file("/lib/x86_64-linux-gnu/libc.so.6", true) == Rule::executable_path_write);
    CHECK(rule_for_new_file("/usr/local/bin/tool", true) == Rule::executable_path_write);
    CHECK(rule_for_new_file("/tmp/upload.png", true) == Rule::new_file_write);
    CHECK(rule_for_new_file("/etc/shadow", false) == Rule::new_sensitive_read);
}

TEST_CASE("drift rules: sensitive reads are /etc, /root, the secrets and per-process /proc files")
{
    CHECK(is_sensitive_read("/etc/passwd"));
    CHECK(is_sensitive_read("/root/.ssh/id_rsa"));
    CHECK(is_sensitive_read("/var/run/secrets/kubernetes.io/serviceaccount/token"));
    CHECK(is_sensitive_read("/run/secrets/kubernetes.io/serviceaccount/token"));
    CHECK(is_sensitive_read("/proc/1/environ"));
    CHECK(is_sensitive_read("/proc/self/maps"));
    CHECK(is_sensitive_read("/proc/thread-self/attr/current"));
    CHECK_FALSE(is_sensitive_read("/proc/meminfo"));
    CHECK_FALSE(is_sensitive_read("/proc/sys/kernel/cap_last_cap"));
    CHECK_FALSE(is_sensitive_read("/proc/1/"));
    CHECK_FALSE(is_sensitive_read("/var/run/nginx.pid"));
    CHECK_FALSE(is_sensitive_read("/etcetera/x"));
    CHECK_FALSE(is_sensitive_read("/usr/lib/libc.so"));
}
