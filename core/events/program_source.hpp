// SPDX-License-Identifier: Apache-2.0
// Where the event router asks what program a process runs when no exec record
// says it: the host's /proc in the sensor, a fake in the router's tests.
#pragma once

#include <string>

#include "core/processes/process_table.hpp"

namespace vigil::events {

class ProgramSource {
public:
    virtual ~ProgramSource() = default;
    // Replaces @process's executable and arguments with what the source says
    // of it now; false (and @process unchanged) if the process is gone.
    virtual bool refresh_program(processes::ProcessEntry &process) = 0;
};

// Reads /proc/<pid>/exe and cmdline under @proc_root (the host's /proc).
class ProcPrograms : public ProgramSource {
public:
    explicit ProcPrograms(std::string proc_root) : proc_root_(std::move(proc_root)) {}
    bool refresh_program(processes::ProcessEntry &process) override;

private:
    std::string proc_root_;
};

} // namespace vigil::events
