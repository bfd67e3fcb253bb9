// SPDX-License-Identifier: Apache-2.0
// All profiles in memory, by key and version, with the bounds that keep them
// from growing without limit.
//
// Running versions: the caller (the detector) calls mark_running(key,
// version, true) when a container of that version starts or is found at
// startup, and false when the last one stops. A running version is never
// dropped or evicted, whatever the bounds say (a bound that cannot be kept
// counts in BookCounters::over_bound instead). The flag lives in memory
// only: after a restart the detector marks the containers it finds again.
#pragma once

#include <compare>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "profile/learning_policy.hpp"
#include "profile/observation.hpp"
#include "profile/profile.hpp"
#include "profile/profile_key.hpp"

namespace vigil_drift {

class ProfileStore;

struct ProfileId {
    ProfileKey key;
    std::string version;

    bool operator==(const ProfileId &) const = default;
    std::strong_ordering operator<=>(const ProfileId &) const = default;
};

// Each bound hit, counted for the caller to log or export as metrics.
struct BookCounters {
    std::uint64_t versions_dropped = 0; // old versions dropped by max_versions_per_workload
    std::uint64_t profiles_evicted = 0; // idle profiles evicted by max_profiles
    std::uint64_t over_bound = 0;       // times a bound could not be kept: every candidate was running
};

class ProfileBook {
public:
    explicit ProfileBook(LearningPolicy policy = {});

    const LearningPolicy &policy() const { return policy_; }
    void set_policy(const LearningPolicy &policy) { policy_ = policy; }

    // The profile of (key, version). A new one starts from the key's most
    // recently created version, if any (Profile::start_from: a rollout; see
    // Profile::inherited_from). Creating one applies the version and total
    // bounds (never to the new profile itself, nor to running versions).
    Profile &find_or_create(const ProfileKey &key, std::string_view version, std::uint64_t now_ns);

    // find_or_create, then Profile::observe with the book's policy.
    Profile::Outcome observe(const ProfileKey &key, std::string_view version, const Observation &observation,
                             std::uint64_t now_ns);

    Profile *find(const ProfileKey &key, std::string_view version);
    const Profile *find(const ProfileKey &key, std::string_view version) const;
    // The key's versions, oldest created first.
    std::vector<const Profile *> versions(const ProfileKey &key) const;
    // Every profile, by key and version.
    std::vector<const Profile *> all() const;
    std::size_t size() const { return profiles_.size(); }

    void mark_running(const ProfileKey &key, std::string_view version, bool running);
    bool running(const ProfileKey &key, std::string_view version) const;

    // Profile::advance for every profile.
    void advance(std::uint64_t now_ns);
    // Profile::mark_partial for every profile (e.g. events were lost: every
    // class still learning may lack something).
    void mark_learning_partial(std::string_view reason);

    // ---- for the store ----

    // Adds or replaces a profile (loaded or reloaded); no bounds applied.
    void insert(Profile profile);
    // insert for each (ProfileStore::load_all at startup).
    void adopt(std::vector<Profile> profiles);
    // Forgets a profile without asking the store to delete it (it was
    // deleted there already). Returns whether it existed.
    bool forget(const ProfileKey &key, std::string_view version);
    // Profiles with changes to write.
    std::vector<Profile *> dirty_profiles();
    // Profiles dropped or evicted since the last call, to delete from the store.
    std::vector<ProfileId> take_removed();

    // What a save writes: the dirty profiles (pointers into the book, valid
    // until it changes next) and the removed ones. Running versions are
    // touched first (last_seen = now), so that after a restart, when no
    // version is marked running yet, eviction still spares the busy ones.
    struct SaveBatch {
        std::vector<Profile *> profiles;
        std::vector<ProfileId> removed;
    };
    SaveBatch take_dirty(std::uint64_t now_ns);

    // ProfileStore::sync: applies resets, imports and deletions made by the
    // command. Returns how many profiles were reloaded or dropped.
    std::size_t reload_changed(ProfileStore &store);

    const BookCounters &counters() const { return counters_; }

private:
    void keep_version_bound(const ProfileKey &key, const ProfileId &keep);
    void keep_total_bound(const ProfileId &keep);
    void remove(const ProfileId &id);

    LearningPolicy policy_;
    std::map<ProfileId, Profile> profiles_;
    std::set<ProfileId> running_;
    std::vector<ProfileId> removed_;
    BookCounters counters_;
};

} // namespace vigil_drift
