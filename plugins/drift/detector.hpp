// SPDX-License-Identifier: Apache-2.0
// The drift detector: feeds every container's behaviour into its workload's
// profile, alerts on what a stable profile never held, and on executions of
// files changed since the container started whatever the profile's state.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <vigil/detector.hpp>

#include "kernel_known.hpp"
#include "noticed.hpp"
#include "profile/learning_policy.hpp"
#include "profile/observation.hpp"
#include "profile/profile_book.hpp"
#include "profile/profile_store.hpp"
#include "rules.hpp"
#include "workload_key.hpp"

namespace vigil_drift {

inline constexpr const char *bpf_object_name = "drift";

struct Options {
    LearningPolicy policy;
    vigil::RuleSwitches<Rule, rule_count> switches;
    uint64_t metadata_wait_ns = 0; // how long a container's pod may stay unreported before the fallback key
    uint64_t save_interval_ns = 0;
};
Options read_options(const vigil::Config &config);

class DriftDetector final : public vigil::Detector {
public:
    DriftDetector(vigil::Host host, const vigil::Config &config);
    ~DriftDetector() override;

    void configure_bpf(const vigil::BpfSetup &setup) override;
    void on_event(const vigil::Event &event) override;
    void on_tick(uint64_t now_ns) override;

private:
    // What the detector keeps of one container while it runs.
    struct Container {
        uint64_t first_seen_ns = 0; // CLOCK_BOOTTIME
        std::optional<WorkloadIdentity> identity;
        // Observations made before the pod's metadata arrived, replayed into the profile once it does.
        std::vector<std::pair<Noticed, uint32_t>> waiting; // with the subject's tgid
        bool waiting_overflowed = false;
    };

    Container &container_for(const vigil::Event &event);
    bool resolve(Container &container, const vigil_container &facts, uint64_t now_ns);
    // What became of an observation: nothing (no container, or waiting for the pod), or the profile's outcome.
    std::optional<Profile::Outcome> observe(const vigil::Event &event, std::optional<Noticed> noticed);
    Profile::Outcome apply(const WorkloadIdentity &identity, const Noticed &noticed, const vigil::Event *event,
                           uint32_t subject_tgid);
    void on_open(const vigil::Event &event);
    void on_connect(const vigil::Event &event);
    void on_dns(const vigil::Event &event);
    void replay_waiting(uint64_t now_ns);
    void on_changed_exec(const vigil::Event &event);
    void save(uint64_t now_unix_ns);
    void report_bounds();
    uint64_t unix_now() const;

    Options options_;
    ProfileBook book_;
    std::unique_ptr<ProfileStore> store_;
    std::unordered_map<uint64_t, Container> containers_; // by cgroup id
    KernelKnowledge knowledge_;
    uint64_t unix_offset_ns_ = 0; // wall clock minus the host's boot clock, at start
    uint64_t last_save_ns_ = 0;
    uint64_t records_lost_ = 0;
    vigil::Counter observed_;
    vigil::Counter drifts_;
    vigil::Counter unstable_classes_;
    vigil::Counter versions_dropped_;
    vigil::Counter profiles_evicted_;
    BookCounters reported_; // the book's counters as last reported
};

} // namespace vigil_drift
