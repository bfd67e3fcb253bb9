// SPDX-License-Identifier: Apache-2.0
// The injection detector: reads the records of the "injection_events" ring,
// asks the rules (rules.hpp) for a judgement and raises the alerts.
#pragma once

#include <vigil/detector.hpp>

#include "injection_events.h"
#include "rules.hpp"

namespace vigil_injection {

// The BPF object's name in the descriptor, which configure_bpf addresses.
inline constexpr const char *bpf_object_name = "injection";

class InjectionDetector final : public vigil::Detector {
public:
    InjectionDetector(vigil::Host host, const vigil::Config &config);

    void configure_bpf(const vigil::BpfSetup &setup) override;
    void on_event(const vigil::Event &event) override;

private:
    // One per record kind; each in the file of its rules.
    void on_ptrace(const vigil::Event &event, const injection_ptrace &record);       // memory_alerts.cpp
    void on_vm_writev(const vigil::Event &event, const injection_vm_writev &record); // memory_alerts.cpp
    void on_open(const vigil::Event &event, const injection_open &record);           // open_alerts.cpp
    void on_exec(const vigil::Event &event, const injection_exec &record);           // exec_alerts.cpp

    // True when @judgement should become an alert; counts the ones the configuration holds back.
    bool admit(const Judgement &judgement) const { return vigil::admit(judgement.disposition, allowed_); }
    // The acting process as the rules see it.
    Caller caller_of(const vigil::Event &event) const;

    Policy policy_;
    bool containers_only_;
    vigil::Counter allowed_;
    vigil::Counter malformed_;
};

} // namespace vigil_injection
