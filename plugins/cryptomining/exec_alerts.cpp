// SPDX-License-Identifier: Apache-2.0
// cryptomining.miner_exec: an exec of a known miner, or of any program whose
// arguments carry a pool URL or miner-only flags. Reads the core's exec event:
// the path exec was given and argv as the new image holds it (its first
// VIGIL_EXEC_ARGS_SIZE bytes; later arguments are not seen).
#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include <vigil/alert.hpp>

#include "detector.hpp"
#include "miner_command.hpp"
#include <vigil/alert.hpp>

namespace vigil_cryptomining {
namespace {

std::string_view field_text(const char *field, std::size_t capacity, std::size_t used)
{
    auto size = std::min(capacity, used);
    return std::string_view(field, size > 0 ? strnlen(field, size) : 0);
}

} // namespace

void CryptominingDetector::on_exec(const vigil::Event &event, const vigil_process_exec &record)
{
    if (!settings_.rules.enabled(Rule::miner_exec)) {
        return;
    }
    const auto exe = field_text(record.filename, sizeof(record.filename), record.filename_size);
    const auto packed_size = std::min<std::size_t>(record.args_size, sizeof(record.args));
    split_arguments(std::string_view(record.args, packed_size), arguments_);
    auto found = find_miner_signals(exe, arguments_, settings_.miner_names);
    if (!found.any()) {
        return;
    }
    const auto &info = rule_table.at(Rule::miner_exec);
    // A stratum URL is what a miner is pointed at: no other program takes one.
    auto severity = found.pool_url.empty() ? info.severity : VIGIL_SEVERITY_CRITICAL;
    const std::string exe_text(exe);
    const std::string argv0(arguments_.empty() ? std::string_view{} : arguments_.front());
    std::vector<const char *> flags;
    for (const auto &flag : found.miner_flags) {
        flags.push_back(flag.c_str());
    }
    std::string why;
    if (!found.matched_name.empty()) {
        why = "is named like the miner \"" + found.matched_name + "\"";
    }
    if (!found.pool_url.empty()) {
        why += (why.empty() ? "" : " and ") + std::string("was given the mining pool ") + found.pool_url;
    } else if (!found.miner_flags.empty()) {
        why += (why.empty() ? "" : " and ") + std::string("was given the miner option ") + found.miner_flags.front();
    }
    const auto *process = event.process();
    const std::string key = exe_text + "|" + found.pool_url;

    vigil::Alert alert(info.id, severity);
    alert.attack(all_tactics(), all_techniques());
    alert.summary("Cryptocurrency miner started: %s %s", exe_text.c_str(), why.c_str())
        .event(event)
        .evidence("exe", exe_text.c_str())
        .evidence("argv0", argv0.c_str())
        .evidence("cmdline", process != nullptr && process->cmdline != nullptr ? process->cmdline : "")
        .evidence_bool("args_truncated", (record.flags & VIGIL_EXEC_ARGS_TRUNCATED) != 0)
        .dedup_key(key.c_str());
    if (!found.matched_name.empty()) {
        alert.evidence("miner_name", found.matched_name.c_str());
    }
    if (!found.pool_url.empty()) {
        alert.evidence("pool_url", found.pool_url.c_str());
    }
    if (!flags.empty()) {
        alert.evidence_list("miner_flags", flags.data(), static_cast<uint32_t>(flags.size()));
    }
    alert.emit(host());
}

} // namespace vigil_cryptomining
