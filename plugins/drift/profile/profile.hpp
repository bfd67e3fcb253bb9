// SPDX-License-Identifier: Apache-2.0
// The behavioural baseline of one version of one workload's container: per
// class, what it has done and whether that is still being learned.
//
// Times are wall-clock unix nanoseconds passed in by the caller (so profiles
// survive reboots and tests drive time); nothing here reads a clock.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "profile/behaviour.hpp"
#include "profile/entries.hpp"
#include "profile/learning_policy.hpp"
#include "profile/observation.hpp"
#include "profile/profile_key.hpp"

namespace vigil_drift {

// One class of a profile.
struct ClassProfile {
    LearningState state = LearningState::learning;
    std::uint64_t learning_start_ns = 0; // when the class began learning
    std::uint64_t last_new_ns = 0;       // when it last stored a new entry (0: never)
    std::uint64_t state_since_ns = 0;    // when the current state began (relearning: its window's start)
    std::uint64_t learned_ns = 0;        // how long it learned before it first became stable
    EntryMap entries;
    std::uint64_t observations = 0; // observations of this version, known or not
    std::uint64_t drift_count = 0;  // observations that were drift
    std::uint64_t rejected = 0;     // new entries not stored because the class was at its cap
    bool cap_hit = false;           // reached the entry cap (and so became unstable)
    bool partial = false;           // learned while events were missed; see partial_reason
    std::string partial_reason;

    bool operator==(const ClassProfile &) const = default;
};

// How far a class is through its learning (or relearning) window.
struct LearningProgress {
    double percent = 100.0; // 0..100
    // The earliest the class can become stable, if nothing new turns up
    // (a new entry moves it); 0 once stable or unstable.
    std::uint64_t left_ns = 0;
};

class Profile {
public:
    Profile(ProfileKey key, std::string version, std::uint64_t now_ns);

    // A profile for `version` that starts from `previous` (the workload's
    // last version) after a rollout: its entries are known. Per class:
    // stable -> relearning for policy.relearn_ns from now (nothing drifts;
    // new entries are learned); learning -> still learning, on the previous
    // version's clock; unstable stays unstable; partial flags carry over.
    static Profile start_from(const Profile &previous, std::string version, std::uint64_t now_ns);

    struct Outcome {
        bool known = false;                            // the class already held the entry or a pattern covering it
        bool drift = false;                            // new to a stable class
        std::string stored_entry;                      // the entry (or pattern) stored or matched; for drift and for
                                                       // entries rejected at the cap, the entry as observed
        LearningState state = LearningState::learning; // the class's state after the observation
        std::uint64_t learned_ns = 0;                  // how long the class learned before becoming stable
    };

    // Records an observation: time-driven transitions first (advance), then
    // a known entry is counted; a new one is learned (learning, relearning),
    // is drift (stable: not learned, so it stays drift - the caller
    // deduplicates alerts) or is rejected (unstable). A learning class that
    // would exceed policy.entry_cap becomes unstable (cap_hit).
    Outcome observe(const Observation &observation, std::uint64_t now_ns, const LearningPolicy &policy);

    // Time-driven transitions: learning -> stable after minimum_ns and then
    // quiet_ns without a new entry, or after maximum_ns in any case;
    // relearning -> stable after relearn_ns. A transition is dated when it
    // was due, not when advance ran.
    void advance(std::uint64_t now_ns, const LearningPolicy &policy);

    // Marks the classes still learning or relearning as partial (events
    // were lost, or the container was older than the sensor). Stable classes
    // are unaffected: what they learned is complete.
    void mark_partial(std::string_view reason);
    void mark_partial(BehaviourClass behaviour, std::string_view reason);

    LearningProgress progress(BehaviourClass behaviour, std::uint64_t now_ns, const LearningPolicy &policy) const;

    const ProfileKey &key() const { return key_; }
    const std::string &version() const { return version_; }
    // The version this one started from (start_from), or empty.
    const std::string &inherited_from() const { return inherited_from_; }
    std::uint64_t created_ns() const { return created_ns_; }
    std::uint64_t first_seen_ns() const { return first_seen_ns_; } // first observation (0: none)
    std::uint64_t last_seen_ns() const { return last_seen_ns_; }   // last observation or touch
    const ClassProfile &behaviour(BehaviourClass behaviour) const { return classes_[class_index(behaviour)]; }
    bool partial() const;
    bool cap_hit() const;

    // Keeps an idle profile from looking idle (eviction is by last_seen).
    void touch(std::uint64_t now_ns);

    // ---- for the store and the JSON import ----

    // Replaces the times and one class wholesale (marks the profile for a
    // full write).
    void restore(std::string inherited_from, std::uint64_t created_ns, std::uint64_t first_seen_ns,
                 std::uint64_t last_seen_ns);
    void restore(BehaviourClass behaviour, ClassProfile data);

    // The store's change counter for this profile (profile_store.hpp): bumped
    // by reset and import so a running sensor reloads it.
    std::uint64_t generation() const { return generation_; }
    void set_generation(std::uint64_t generation) { generation_ = generation; }
    // Whether the profile has been loaded from or saved to the store.
    bool persisted() const { return persisted_; }

    // What changed since the last save, so the store writes only that.
    struct Changes {
        bool full = false;                                   // write everything (new, restored, started from another)
        bool header = false;                                 // times, states and counters
        std::array<EntrySet, behaviour_class_count> changed; // entries to write
        std::array<EntrySet, behaviour_class_count> removed; // entries to delete
    };
    const Changes &changes() const { return changes_; }
    bool dirty() const;
    // After a save or a load: nothing to write, and the profile is in the store.
    void mark_saved();

private:
    ClassProfile &data(BehaviourClass behaviour) { return classes_[class_index(behaviour)]; }
    void advance_class(ClassProfile &data, std::uint64_t now_ns, const LearningPolicy &policy);
    std::string learn(BehaviourClass behaviour, std::string entry, std::uint64_t now_ns, const LearningPolicy &policy,
                      bool &stored);
    void rename_entry(BehaviourClass behaviour, const std::string &from, const std::string &to);
    void rebuild_patterns(BehaviourClass behaviour);

    ProfileKey key_;
    std::string version_;
    std::string inherited_from_;
    std::uint64_t created_ns_ = 0;
    std::uint64_t first_seen_ns_ = 0;
    std::uint64_t last_seen_ns_ = 0;
    std::array<ClassProfile, behaviour_class_count> classes_;
    // The collapsed patterns of each class, to match new entries against
    // without scanning all entries.
    std::array<EntrySet, behaviour_class_count> patterns_;
    std::uint64_t generation_ = 1;
    bool persisted_ = false;
    Changes changes_;
};

} // namespace vigil_drift
