// SPDX-License-Identifier: Apache-2.0
#include "core/probes/program_report.hpp"

#include <map>
#include <string>

#include <spdlog/spdlog.h>

#include "core/probes/attach_type.hpp"

namespace vigil::probes {

void report_programs(const LoadedObject &object)
{
    std::map<std::string, int> attached_by_type;
    for (const auto &program : object.programs()) {
        auto where = object.owner() + "/" + object.name() + ": " + program.name + " (" + program.section + ")";
        switch (program.state) {
        case ProgramState::attached:
            // A stage runs from the core's dispatcher: it adds no program to the tracepoint.
            ++attached_by_type[stage_hook_of_section(program.section).empty()
                                   ? std::string(attach_type_name(program.attach_type))
                                   : std::string("stage")];
            spdlog::debug("{} attached", where);
            break;
        case ProgramState::skipped:
            spdlog::info("{} not needed: {}", where, program.reason);
            break;
        case ProgramState::standby:
        case ProgramState::loaded:
            spdlog::debug("{} standby: {}", where, program.reason);
            break;
        case ProgramState::disabled:
            spdlog::info("{} {}", where, program.reason);
            break;
        case ProgramState::load_failed:
        case ProgramState::attach_failed:
            spdlog::warn("{} {}: {}", where, program_state_text(program.state), program.reason);
            break;
        }
    }
    std::string summary;
    for (const auto &[type, count] : attached_by_type) {
        summary += (summary.empty() ? "" : ", ") + std::to_string(count) + " " + type;
    }
    spdlog::info("{}/{}: {} programs attached ({})", object.owner(), object.name(), object.attached_count(),
                 summary.empty() ? "none" : summary);
    if (object.missing_required()) {
        spdlog::error("{}/{}: some required programs have no working alternative; the detections that need them "
                      "are off (see the warnings above)",
                      object.owner(), object.name());
    }
}

} // namespace vigil::probes
