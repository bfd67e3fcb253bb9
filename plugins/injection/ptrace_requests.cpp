// SPDX-License-Identifier: Apache-2.0
#include "ptrace_requests.hpp"

#include "injection_events.h"

namespace vigil_injection {

PtraceAction classify_ptrace_request(int64_t request)
{
    switch (request) {
    case INJECTION_PTRACE_ATTACH:
    case INJECTION_PTRACE_SEIZE:
        return PtraceAction::attach;
    case INJECTION_PTRACE_POKETEXT:
    case INJECTION_PTRACE_POKEDATA:
    case INJECTION_PTRACE_POKEUSER:
    case INJECTION_PTRACE_SETREGS:
    case INJECTION_PTRACE_SETFPREGS:
    case INJECTION_PTRACE_SETREGSET:
        return PtraceAction::write;
    default:
        return PtraceAction::other;
    }
}

const char *ptrace_request_name(int64_t request)
{
    // Numbers from the kernel's uapi (the same on x86-64 and arm64).
    switch (request) {
    case 0:
        return "PTRACE_TRACEME";
    case 1:
        return "PTRACE_PEEKTEXT";
    case 2:
        return "PTRACE_PEEKDATA";
    case 3:
        return "PTRACE_PEEKUSER";
    case INJECTION_PTRACE_POKETEXT:
        return "PTRACE_POKETEXT";
    case INJECTION_PTRACE_POKEDATA:
        return "PTRACE_POKEDATA";
    case INJECTION_PTRACE_POKEUSER:
        return "PTRACE_POKEUSER";
    case 7:
        return "PTRACE_CONT";
    case 8:
        return "PTRACE_KILL";
    case 9:
        return "PTRACE_SINGLESTEP";
    case 12:
        return "PTRACE_GETREGS";
    case INJECTION_PTRACE_SETREGS:
        return "PTRACE_SETREGS";
    case 14:
        return "PTRACE_GETFPREGS";
    case INJECTION_PTRACE_SETFPREGS:
        return "PTRACE_SETFPREGS";
    case INJECTION_PTRACE_ATTACH:
        return "PTRACE_ATTACH";
    case 17:
        return "PTRACE_DETACH";
    case 24:
        return "PTRACE_SYSCALL";
    case 0x4200:
        return "PTRACE_SETOPTIONS";
    case 0x4204:
        return "PTRACE_GETREGSET";
    case INJECTION_PTRACE_SETREGSET:
        return "PTRACE_SETREGSET";
    case INJECTION_PTRACE_SEIZE:
        return "PTRACE_SEIZE";
    case 0x4207:
        return "PTRACE_INTERRUPT";
    default:
        return nullptr;
    }
}

} // namespace vigil_injection
