// SPDX-License-Identifier: Apache-2.0
#include "core/events/program_source.hpp"

#include "core/processes/proc_reader.hpp"

namespace vigil::events {

bool ProcPrograms::refresh_program(processes::ProcessEntry &process)
{
    return processes::refresh_program_from_proc(proc_root_, process);
}

} // namespace vigil::events
