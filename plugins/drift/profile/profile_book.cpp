// SPDX-License-Identifier: Apache-2.0
#include "profile/profile_book.hpp"

#include "profile/profile_store.hpp"

#include <algorithm>
#include <utility>

namespace vigil_drift {

namespace {

// Eviction order: least recently seen first (a profile never observed counts
// from its creation).
std::uint64_t recency(const Profile &profile)
{
    return std::max(profile.last_seen_ns(), profile.created_ns());
}

} // namespace

ProfileBook::ProfileBook(LearningPolicy policy) : policy_(policy) {}

Profile &ProfileBook::find_or_create(const ProfileKey &key, std::string_view version, std::uint64_t now_ns)
{
    ProfileId id{key, std::string(version)};
    if (auto found = profiles_.find(id); found != profiles_.end()) {
        return found->second;
    }
    auto previous = versions(key);
    if (!previous.empty()) {
        // Its states as of now, not as of the last tick: a class whose learning ended since
        // is stable, and the new version relearns from it rather than learning on its clock.
        find(key, previous.back()->version())->advance(now_ns, policy_);
    }
    Profile profile =
        previous.empty() ? Profile(key, id.version, now_ns) : Profile::start_from(*previous.back(), id.version, now_ns);
    profiles_.emplace(id, std::move(profile));
    keep_version_bound(key, id);
    keep_total_bound(id);
    return profiles_.at(id);
}

Profile::Outcome ProfileBook::observe(const ProfileKey &key, std::string_view version, const Observation &observation,
                                      std::uint64_t now_ns)
{
    return find_or_create(key, version, now_ns).observe(observation, now_ns, policy_);
}

Profile *ProfileBook::find(const ProfileKey &key, std::string_view version)
{
    auto found = profiles_.find(ProfileId{key, std::string(version)});
    return found == profiles_.end() ? nullptr : &found->second;
}

const Profile *ProfileBook::find(const ProfileKey &key, std::string_view version) const
{
    auto found = profiles_.find(ProfileId{key, std::string(version)});
    return found == profiles_.end() ? nullptr : &found->second;
}

std::vector<const Profile *> ProfileBook::versions(const ProfileKey &key) const
{
    std::vector<const Profile *> found;
    for (auto it = profiles_.lower_bound(ProfileId{key, ""}); it != profiles_.end() && it->first.key == key; ++it) {
        found.push_back(&it->second);
    }
    // stable_sort: versions created in the same nanosecond keep name order.
    std::stable_sort(found.begin(), found.end(), [](const Profile *left, const Profile *right) {
        return left->created_ns() < right->created_ns();
    });
    return found;
}

std::vector<const Profile *> ProfileBook::all() const
{
    std::vector<const Profile *> found;
    found.reserve(profiles_.size());
    for (const auto &[id, profile] : profiles_) {
        found.push_back(&profile);
    }
    return found;
}

void ProfileBook::mark_running(const ProfileKey &key, std::string_view version, bool running)
{
    ProfileId id{key, std::string(version)};
    if (running) {
        running_.insert(std::move(id));
    } else {
        running_.erase(id);
    }
}

bool ProfileBook::running(const ProfileKey &key, std::string_view version) const
{
    return running_.contains(ProfileId{key, std::string(version)});
}

void ProfileBook::advance(std::uint64_t now_ns)
{
    for (auto &[id, profile] : profiles_) {
        profile.advance(now_ns, policy_);
    }
}

void ProfileBook::mark_learning_partial(std::string_view reason)
{
    for (auto &[id, profile] : profiles_) {
        profile.mark_partial(reason);
    }
}

void ProfileBook::adopt(std::vector<Profile> profiles)
{
    for (auto &profile : profiles) {
        insert(std::move(profile));
    }
}

ProfileBook::SaveBatch ProfileBook::take_dirty(std::uint64_t now_ns)
{
    for (const auto &id : running_) {
        if (auto found = profiles_.find(id); found != profiles_.end()) {
            found->second.touch(now_ns);
        }
    }
    return {dirty_profiles(), take_removed()};
}

std::size_t ProfileBook::reload_changed(ProfileStore &store)
{
    auto result = store.sync(*this);
    return result.reloaded + result.dropped;
}

void ProfileBook::insert(Profile profile)
{
    ProfileId id{profile.key(), profile.version()};
    profiles_.insert_or_assign(std::move(id), std::move(profile));
}

bool ProfileBook::forget(const ProfileKey &key, std::string_view version)
{
    return profiles_.erase(ProfileId{key, std::string(version)}) > 0;
}

std::vector<Profile *> ProfileBook::dirty_profiles()
{
    std::vector<Profile *> dirty;
    for (auto &[id, profile] : profiles_) {
        if (profile.dirty()) {
            dirty.push_back(&profile);
        }
    }
    return dirty;
}

std::vector<ProfileId> ProfileBook::take_removed()
{
    return std::exchange(removed_, {});
}

void ProfileBook::keep_version_bound(const ProfileKey &key, const ProfileId &keep)
{
    auto present = versions(key);
    auto excess =
        present.size() > policy_.max_versions_per_workload ? present.size() - policy_.max_versions_per_workload : 0;
    std::vector<ProfileId> drop;
    for (const auto *profile : present) { // oldest first
        if (drop.size() == excess) {
            break;
        }
        ProfileId id{profile->key(), profile->version()};
        if (id != keep && !running_.contains(id)) {
            drop.push_back(std::move(id));
        }
    }
    if (drop.size() < excess) {
        ++counters_.over_bound;
    }
    for (const auto &id : drop) {
        remove(id);
        ++counters_.versions_dropped;
    }
}

void ProfileBook::keep_total_bound(const ProfileId &keep)
{
    while (profiles_.size() > policy_.max_profiles) {
        const ProfileId *victim = nullptr;
        std::uint64_t oldest = 0;
        for (const auto &[id, profile] : profiles_) {
            if (id == keep || running_.contains(id)) {
                continue;
            }
            if (victim == nullptr || recency(profile) < oldest) {
                victim = &id;
                oldest = recency(profile);
            }
        }
        if (victim == nullptr) {
            ++counters_.over_bound;
            return;
        }
        remove(ProfileId(*victim));
        ++counters_.profiles_evicted;
    }
}

void ProfileBook::remove(const ProfileId &id)
{
    profiles_.erase(id);
    running_.erase(id);
    removed_.push_back(id);
}

} // namespace vigil_drift
