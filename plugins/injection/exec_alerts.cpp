// SPDX-License-Identifier: Apache-2.0
// Alerts of the rules on suspicious execs: injection.memfd_exec,
// injection.shm_exec and injection.ld_preload_env.
#include <string>
#include <vector>

#include "alerting.hpp"
#include "detector.hpp"

namespace vigil_injection {

void InjectionDetector::on_exec(const vigil::Event &event, const injection_exec &record)
{
    const std::string exe_name(field_text(record.exe_name));
    const std::string filename(field_text(record.filename));
    const std::string ld_preload(field_text(record.ld_preload));
    ExecImage image{record.flags, exe_name, filename, ld_preload, event.in_container()};

    // Named, not iterated in place: all() is a view into the judgements, which must outlive the loop.
    const auto judgements = judge_exec(image, policy_);
    for (const auto &judgement : judgements.all()) {
        if (!admit(judgement)) {
            continue;
        }
        const auto &info = rule_table.at(judgement.rule);
        vigil::Alert alert(info.id, judgement.severity);
        alert.attack(info.tactics, info.techniques);
        alert.event(event)
            .evidence("filename", filename.c_str())
            .evidence("exe_name", exe_name.c_str())
            .evidence_bool("filename_truncated", (record.flags & INJECTION_EXEC_FILENAME_TRUNCATED) != 0);

        // Everything the alert points to lives until it is emitted.
        std::string key;
        std::string memfd;
        std::vector<std::string> libraries;
        std::vector<const char *> library_names;
        switch (judgement.rule) {
        case Rule::memfd_exec:
            memfd = memfd_name(exe_name).value_or(exe_name);
            key = "memfd:" + memfd;
            alert.summary("A program was executed from memory, memfd \"%s\" (%s), leaving no file on disk",
                          memfd.c_str(), filename.c_str());
            alert.evidence("memfd_name", memfd.c_str());
            break;
        case Rule::shm_exec:
            key = filename;
            alert.summary("%s was executed from /dev/shm, a memory-backed directory", filename.c_str());
            break;
        default: // Rule::ld_preload_env
            key = ld_preload;
            libraries = preload_libraries(ld_preload);
            for (const auto &library : libraries) {
                library_names.push_back(library.c_str());
            }
            alert.summary("%s was executed with LD_PRELOAD=%s", filename.c_str(), ld_preload.c_str());
            alert.evidence("ld_preload", ld_preload.c_str())
                .evidence_list("ld_preload_libraries", library_names.data(),
                               static_cast<uint32_t>(library_names.size()))
                .evidence_bool("ld_preload_truncated", (record.flags & INJECTION_EXEC_PRELOAD_TRUNCATED) != 0)
                .evidence_bool("ld_preload_repeated", (record.flags & INJECTION_EXEC_PRELOAD_REPEATED) != 0);
            break;
        }
        alert.dedup_key(key.c_str());
        alert.emit(host());
    }
}

} // namespace vigil_injection
