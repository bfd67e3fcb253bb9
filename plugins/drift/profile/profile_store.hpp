// SPDX-License-Identifier: Apache-2.0
// Profiles on disk: one SQLite database, <state dir>/drift/profiles.db,
// shared by the sensor and the vigil-profiles command.
//
// Sharing: WAL mode (readers never block the writer) and a busy timeout, so
// both processes can use the file at once; every write is one
// BEGIN IMMEDIATE transaction.
//
// Changes made outside the sensor: reset and import (the command) give each
// profile they write a new generation and bump the change counter in `meta`.
// The sensor calls sync() every few seconds: one single-row read while
// nothing changed; otherwise it reloads the profiles whose generation differs
// from its own, loads new ones, and forgets those deleted. The sensor's own
// saves never overwrite such a change: save() skips a profile whose stored
// generation differs from the one in memory (or that was deleted outside),
// and the next sync() replaces it.
//
// Schema (PRAGMA user_version = 1):
//   meta(name TEXT PRIMARY KEY, value INTEGER)      -- "change_counter"
//   settings(name TEXT PRIMARY KEY, value INTEGER)  -- the sensor's LearningPolicy
//   profiles(id INTEGER PRIMARY KEY, key TEXT, version TEXT, source TEXT,
//            inherited_from TEXT, created_ns, first_seen_ns, last_seen_ns,
//            generation, UNIQUE(key, version))
//   classes(profile_id, class TEXT, state TEXT, learning_start_ns,
//           last_new_ns, state_since_ns, learned_ns, observations,
//           drift_count, rejected, cap_hit, partial, partial_reason,
//           PRIMARY KEY(profile_id, class))
//   entries(profile_id, class TEXT, entry TEXT, first_seen_ns, times_seen,
//           PRIMARY KEY(profile_id, class, entry))
// Times are unix ns; key is ProfileKey::text().
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string_view>
#include <vector>

#include "profile/learning_policy.hpp"
#include "profile/profile.hpp"
#include "profile/profile_book.hpp"
#include "profile/sqlite_handle.hpp"

namespace vigil_drift {

inline constexpr int profile_schema_version = 1;

// <state dir>/drift/profiles.db
std::filesystem::path profile_database_path(const std::filesystem::path &state_directory);

class ProfileStore {
public:
    enum class Mode {
        create,    // read-write; creates the file (and its directory) if missing
        existing,  // read-write; a missing file is an error
        read_only, // a missing file is an error; nothing is written
    };
    // Throws ProfileStoreError (naming the file) when the file cannot be
    // opened, is no profile database, or has a newer schema.
    explicit ProfileStore(const std::filesystem::path &path, Mode mode = Mode::create);

    const std::filesystem::path &path() const { return connection_.path(); }

    std::vector<Profile> load_all();
    std::optional<Profile> load(const ProfileKey &key, std::string_view version);
    // Loads every profile into the book (replacing those present) and
    // remembers the change counter, so sync() reports only later changes.
    void load_into(ProfileBook &book);

    struct SaveResult {
        std::size_t written = 0;
        std::size_t deleted = 0;
        std::vector<ProfileId> skipped; // changed or deleted outside; sync() settles them
    };
    // Writes the batch's profiles and deletes its removed ones, in one
    // transaction (ProfileBook::take_dirty). Profiles written are marked saved
    // only once it commits.
    SaveResult save(const ProfileBook::SaveBatch &batch);
    // save(book.take_dirty) without touching running versions.
    SaveResult save(ProfileBook &book);

    struct SyncResult {
        std::size_t reloaded = 0; // reset or imported outside, or new
        std::size_t dropped = 0;  // deleted outside
    };
    // Applies changes made outside this process (see above) to the book.
    SyncResult sync(ProfileBook &book);
    // The counter reset and import bump; a cheap single-row read.
    std::uint64_t change_counter();

    // ---- the command's operations: each bumps generations and the counter ----

    // Starts every version of the key learning afresh from now. Returns how
    // many versions there were (0: unknown key).
    std::size_t reset(const ProfileKey &key, std::uint64_t now_ns);
    // Writes the profiles, replacing those with the same key and version.
    void import_profiles(std::vector<Profile> &profiles);
    // Deletes one profile. Returns whether it existed.
    bool remove(const ProfileKey &key, std::string_view version);

    // The policy the sensor runs with, for the command to compute the same
    // states. load_policy: nullopt when none was saved yet; fields missing
    // from the table keep their defaults.
    void save_policy(const LearningPolicy &policy);
    std::optional<LearningPolicy> load_policy();

private:
    void create_schema();
    std::vector<Profile> load_where(std::string_view condition, std::int64_t id);
    std::optional<std::int64_t> row_id(const ProfileKey &key, std::string_view version,
                                       std::uint64_t *generation = nullptr);
    void write(Profile &profile, std::optional<std::int64_t> id);
    void delete_rows(std::int64_t id);
    void bump_change_counter();

    SqliteConnection connection_;
    std::uint64_t seen_counter_ = 0;
};

} // namespace vigil_drift
