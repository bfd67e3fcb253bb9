// SPDX-License-Identifier: Apache-2.0
#include "core/probes/bpf_permission.hpp"

#include <cerrno>
#include <cstring>
#include <unistd.h>

#include <bpf/bpf.h>

namespace vigil::probes {

std::optional<std::string> bpf_permission_problem()
{
    // "r0 = 0; exit": the smallest program the verifier accepts.
    const bpf_insn program[] = {
        {BPF_ALU64 | BPF_MOV | BPF_K, BPF_REG_0, 0, 0, 0},
        {BPF_JMP | BPF_EXIT, 0, 0, 0, 0},
    };
    int fd = bpf_prog_load(BPF_PROG_TYPE_TRACEPOINT, "vigil_permit", "GPL", program, 2, nullptr);
    if (fd >= 0) {
        close(fd);
        return std::nullopt;
    }
    int error = errno;
    std::string reason = std::string("the kernel refused to load a BPF program: ") + std::strerror(error);
    if (error == EPERM || error == EACCES) {
        reason += "; vigil must run as root (or with CAP_BPF, CAP_PERFMON and CAP_SYS_RESOURCE; "
                  "CAP_SYS_ADMIN on kernels before 5.8)";
        if (geteuid() != 0) {
            reason += ", and runs as uid " + std::to_string(geteuid());
        }
    }
    return reason;
}

} // namespace vigil::probes
