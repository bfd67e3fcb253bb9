// SPDX-License-Identifier: Apache-2.0
#include "core/alerts/alert_context.hpp"

#include <array>
#include <cstring>

#include "core/util/boot_clock.hpp"

namespace vigil::alerts {

AlertContext::AlertContext(const processes::ProcessTable &processes, std::string node_name)
    : processes_(processes), node_name_(std::move(node_name))
{
}

void AlertContext::fill(alerts::Alert &alert, const AlertSubject &subject) const
{
    alert.time_unix_ns = subject.header != nullptr ? boot_to_unix_ns(subject.header->timestamp_ns) : unix_time_now_ns();
    alert.k8s.node = node_name_;

    if (subject.process != nullptr || subject.header != nullptr) {
        alerts::ProcessContext process;
        if (subject.process != nullptr) {
            process.pid = subject.process->tgid;
            process.uid = subject.process->uid;
            process.gid = subject.process->gid;
            process.exe = subject.process->exe;
            process.cmdline = subject.process->cmdline;
        }
        if (subject.header != nullptr) {
            process.pid = subject.header->tgid;
            process.tid = subject.header->tid;
            process.uid = subject.header->uid;
            process.gid = subject.header->gid;
            if (process.exe.empty()) {
                process.exe.assign(subject.header->comm, strnlen(subject.header->comm, sizeof(subject.header->comm)));
            }
        }
        if (process.tid == 0) {
            process.tid = process.pid;
        }
        std::array<const processes::ProcessEntry *, max_ancestry> ancestors{};
        auto count = processes_.ancestry(process.pid, subject.container != nullptr, ancestors);
        for (std::size_t index = 0; index < count; ++index) {
            process.ancestry.push_back({ancestors[index]->tgid, ancestors[index]->exe, ancestors[index]->cmdline});
        }
        alert.process = std::move(process);
    }

    if (subject.container != nullptr) {
        alert.container = alerts::ContainerContext{subject.container->id,
                                                   std::string(containers::runtime_name(subject.container->runtime))};
        alert.k8s.pod_uid = subject.container->pod_uid;
        alert.k8s.source = "cgroup";
    }
}

} // namespace vigil::alerts
