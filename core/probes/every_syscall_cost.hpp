// SPDX-License-Identifier: Apache-2.0
// What a program on every syscall of the node costs, measured once.
//
// A fallback on raw_tp/sys_enter or sys_exit runs for every syscall of every
// process, so the sensor says what it costs rather than leave it a guess: it
// turns the kernel's BPF run-time statistics on for a short window after
// start (they cost every program two clock reads while on, so never longer),
// then logs each such program's time per call and calls per second.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "core/probes/object_loader.hpp"
#include "core/util/file_descriptor.hpp"

namespace vigil::probes {

struct EverySyscallProgram {
    std::string label; // owner/object: name (section)
    int program_fd = -1;
    uint64_t run_time_ns = 0; // at the start of the window
    uint64_t run_count = 0;
};

class EverySyscallCost {
public:
    // The attached programs of @objects that run on every syscall; none: nothing to measure.
    static std::vector<EverySyscallProgram> find(const std::vector<const LoadedObject *> &objects);

    // Starts the window at @now_ns; false (and a log line) if the statistics cannot be turned on.
    bool start(std::vector<EverySyscallProgram> programs, uint64_t now_ns, uint64_t window_ns);
    // Once the window is over: logs the figures, turns the statistics off. True when reported.
    bool report_when_due(uint64_t now_ns);

private:
    std::vector<EverySyscallProgram> programs_;
    util::FileDescriptor stats_;
    uint64_t started_ns_ = 0;
    uint64_t window_ns_ = 0;
};

} // namespace vigil::probes
