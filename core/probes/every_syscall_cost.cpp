// SPDX-License-Identifier: Apache-2.0
#include "core/probes/every_syscall_cost.hpp"

#include <cerrno>
#include <cstring>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <spdlog/spdlog.h>

namespace vigil::probes {
namespace {

bool runs_on_every_syscall(std::string_view section)
{
    for (std::string_view hook : {"raw_tp/sys_enter", "raw_tp/sys_exit", "raw_tracepoint/sys_enter",
                                  "raw_tracepoint/sys_exit", "tp_btf/sys_enter", "tp_btf/sys_exit"}) {
        if (section == hook) {
            return true;
        }
    }
    return false;
}

bool read_statistics(int program_fd, uint64_t &run_time_ns, uint64_t &run_count)
{
    bpf_prog_info info{};
    __u32 size = sizeof(info);
    if (bpf_obj_get_info_by_fd(program_fd, &info, &size) != 0) {
        return false;
    }
    run_time_ns = info.run_time_ns;
    run_count = info.run_cnt;
    return true;
}

} // namespace

std::vector<EverySyscallProgram> EverySyscallCost::find(const std::vector<const LoadedObject *> &objects)
{
    std::vector<EverySyscallProgram> found;
    for (const auto *object : objects) {
        for (const auto &program : object->programs()) {
            if (program.state != ProgramState::attached || !runs_on_every_syscall(program.section)) {
                continue;
            }
            bpf_program *loaded = bpf_object__find_program_by_name(object->object(), program.name.c_str());
            if (loaded == nullptr) {
                continue;
            }
            found.push_back(
                {object->owner() + "/" + object->name() + ": " + program.name + " (" + program.section + ")",
                 bpf_program__fd(loaded)});
        }
    }
    return found;
}

bool EverySyscallCost::start(std::vector<EverySyscallProgram> programs, uint64_t now_ns, uint64_t window_ns)
{
    programs_ = std::move(programs);
    if (programs_.empty()) {
        return false;
    }
    for (const auto &program : programs_) {
        spdlog::warn("{} runs on every syscall of the node: this kernel lacks the tracepoint it falls back from",
                     program.label);
    }
    int fd = bpf_enable_stats(BPF_STATS_RUN_TIME);
    if (fd < 0) {
        spdlog::warn("cannot measure what they cost: BPF run-time statistics unavailable ({})", std::strerror(errno));
        programs_.clear();
        return false;
    }
    stats_.reset(fd);
    for (auto &program : programs_) {
        read_statistics(program.program_fd, program.run_time_ns, program.run_count);
    }
    started_ns_ = now_ns;
    window_ns_ = window_ns;
    return true;
}

bool EverySyscallCost::report_when_due(uint64_t now_ns)
{
    if (stats_.get() < 0 || now_ns - started_ns_ < window_ns_) {
        return false;
    }
    double seconds = static_cast<double>(now_ns - started_ns_) / 1e9;
    for (const auto &program : programs_) {
        uint64_t run_time_ns = 0;
        uint64_t run_count = 0;
        if (!read_statistics(program.program_fd, run_time_ns, run_count) || run_count <= program.run_count) {
            continue;
        }
        auto calls = run_count - program.run_count;
        spdlog::warn("{} costs {:.0f} ns per syscall, {:.0f} syscalls/s on this node (measured over {:.0f} s)",
                     program.label, static_cast<double>(run_time_ns - program.run_time_ns) / static_cast<double>(calls),
                     static_cast<double>(calls) / seconds, seconds);
    }
    stats_.reset(); // the statistics cost every program while on
    programs_.clear();
    return true;
}

} // namespace vigil::probes
