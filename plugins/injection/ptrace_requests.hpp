// SPDX-License-Identifier: Apache-2.0
// ptrace requests: which ones the rules care about, and their names.
#pragma once

#include <cstdint>

namespace vigil_injection {

enum class PtraceAction {
    other,  // reads, continues, detaches...: the day-to-day of a debugger already attached
    attach, // PTRACE_ATTACH, PTRACE_SEIZE: takes control of a process
    write,  // POKETEXT, POKEDATA, POKEUSER, SETREGS, SETFPREGS, SETREGSET: changes its memory or registers
};

PtraceAction classify_ptrace_request(int64_t request);

// "PTRACE_ATTACH", ...; nullptr for a request this table does not name.
const char *ptrace_request_name(int64_t request);

} // namespace vigil_injection
