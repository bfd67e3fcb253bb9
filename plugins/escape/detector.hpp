// SPDX-License-Identifier: Apache-2.0
// The escape detector: reads the records of the "escape_events" ring and the
// core's exec events, asks the rules (rules.hpp) for a judgement and raises
// the alerts.
#pragma once

#include <vigil/detector.hpp>

#include "cgroups_in_setup.hpp"
#include "escape_events.h"
#include "rules.hpp"
#include "sequences.hpp"

namespace vigil_escape {

// The BPF object's name in the descriptor.
inline constexpr const char *bpf_object_name = "escape";

class EscapeDetector final : public vigil::Detector {
public:
    EscapeDetector(vigil::Host host, const vigil::Config &config);

    void configure_bpf(const vigil::BpfSetup &setup) override;
    void on_event(const vigil::Event &event) override;
    void on_tick(uint64_t now_ns) override;

private:
    // One per record kind; each in the file of its rules.
    void on_control_open(const vigil::Event &event, const escape_control_open &record); // file_alerts.cpp
    void on_root_open(const vigil::Event &event, const escape_root_open &record);       // file_alerts.cpp
    void on_mount(const vigil::Event &event, const escape_mount &record);               // mount_alerts.cpp
    void on_root_change(const vigil::Event &event, const escape_root_change &record);   // mount_alerts.cpp
    void on_setns(const vigil::Event &event, const escape_namespace_change &record);    // namespace_alerts.cpp
    void on_unshare(const vigil::Event &event, const escape_namespace_change &record);  // namespace_alerts.cpp
    void on_exec(const vigil::Event &event, const vigil_process_exec &record);          // namespace_alerts.cpp
    void on_kernel_load(const vigil::Event &event, const escape_kernel_load &record);   // kernel_alerts.cpp
    // Raises the kernel-load alert of @attempt, with its outcome when known (kernel_alerts.cpp).
    void report_kernel_load(const vigil::Event *event, const escape_kernel_load &attempt, const int64_t *ret);
    // A privileged call by a process that unshared a user namespace moments ago (namespace_alerts.cpp).
    void check_userns_follow_up(const vigil::Event &event, const char *call, bool failed);

    // True when @judgement should become an alert; counts the ones the configuration holds back.
    bool admit(const Judgement &judgement) const { return vigil::admit(judgement.disposition, allowed_); }
    Caller caller_of(const vigil::Event &event, uint32_t record_flags) const;

    Policy policy_;
    HostFacts host_facts_;
    UsernsTracker userns_starts_;
    PendingLoads pending_loads_;
    CgroupsInSetup cgroups_in_setup_;
    vigil::Counter allowed_;
    vigil::Counter runtime_setup_;
    vigil::Counter malformed_;
};

} // namespace vigil_escape
