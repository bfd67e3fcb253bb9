// SPDX-License-Identifier: Apache-2.0
#include "profile/profile_store.hpp"

#include <sqlite3.h>

#include <map>
#include <set>
#include <tuple>

namespace vigil_drift {

namespace {

constexpr std::string_view schema = R"sql(
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS settings (name TEXT PRIMARY KEY, value INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS profiles (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL,
    version TEXT NOT NULL,
    source TEXT NOT NULL,
    inherited_from TEXT NOT NULL,
    created_ns INTEGER NOT NULL,
    first_seen_ns INTEGER NOT NULL,
    last_seen_ns INTEGER NOT NULL,
    generation INTEGER NOT NULL,
    UNIQUE (key, version));
CREATE TABLE IF NOT EXISTS classes (
    profile_id INTEGER NOT NULL,
    class TEXT NOT NULL,
    state TEXT NOT NULL,
    learning_start_ns INTEGER NOT NULL,
    last_new_ns INTEGER NOT NULL,
    state_since_ns INTEGER NOT NULL,
    learned_ns INTEGER NOT NULL,
    observations INTEGER NOT NULL,
    drift_count INTEGER NOT NULL,
    rejected INTEGER NOT NULL,
    cap_hit INTEGER NOT NULL,
    partial INTEGER NOT NULL,
    partial_reason TEXT NOT NULL,
    PRIMARY KEY (profile_id, class)) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS entries (
    profile_id INTEGER NOT NULL,
    class TEXT NOT NULL,
    entry TEXT NOT NULL,
    first_seen_ns INTEGER NOT NULL,
    times_seen INTEGER NOT NULL,
    PRIMARY KEY (profile_id, class, entry)) WITHOUT ROWID;
INSERT OR IGNORE INTO meta (name, value) VALUES ('change_counter', 0);
PRAGMA user_version = 1;
)sql";

// The sensor writes every few seconds and the command now and then; a writer
// waits this long for the other before giving up.
constexpr int busy_timeout_ms = 5000;

struct PolicyField {
    const char *name;
    std::uint64_t (*get)(const LearningPolicy &);
    void (*set)(LearningPolicy &, std::uint64_t);
};

#define VIGIL_DRIFT_POLICY_FIELD(field)                                                                                \
    PolicyField                                                                                                        \
    {                                                                                                                  \
#field, [](const LearningPolicy &policy) { return static_cast<std::uint64_t>(policy.field); },                 \
            [](LearningPolicy &policy, std::uint64_t value) { policy.field = static_cast<decltype(policy.field)>(value); }       \
    }

const PolicyField policy_fields[] = {
    VIGIL_DRIFT_POLICY_FIELD(minimum_ns),
    VIGIL_DRIFT_POLICY_FIELD(quiet_ns),
    VIGIL_DRIFT_POLICY_FIELD(maximum_ns),
    VIGIL_DRIFT_POLICY_FIELD(relearn_ns),
    VIGIL_DRIFT_POLICY_FIELD(entry_cap),
    VIGIL_DRIFT_POLICY_FIELD(directory_children),
    VIGIL_DRIFT_POLICY_FIELD(network_addresses),
    VIGIL_DRIFT_POLICY_FIELD(domain_labels),
    VIGIL_DRIFT_POLICY_FIELD(max_versions_per_workload),
    VIGIL_DRIFT_POLICY_FIELD(max_profiles),
};

#undef VIGIL_DRIFT_POLICY_FIELD

} // namespace

std::filesystem::path profile_database_path(const std::filesystem::path &state_directory)
{
    return state_directory / "drift" / "profiles.db";
}

namespace {

SqliteConnection open_connection(const std::filesystem::path &path, ProfileStore::Mode mode)
{
    if (mode == ProfileStore::Mode::create && path.has_parent_path()) {
        std::error_code error;
        std::filesystem::create_directories(path.parent_path(), error);
        if (error) {
            throw ProfileStoreError(path.string() + ": cannot create its directory: " + error.message());
        }
    }
    if (mode != ProfileStore::Mode::create && !std::filesystem::exists(path)) {
        throw ProfileStoreError(path.string() + ": no profile database (has the drift plugin run?)");
    }
    return SqliteConnection(path, mode == ProfileStore::Mode::read_only, mode == ProfileStore::Mode::create);
}

} // namespace

ProfileStore::ProfileStore(const std::filesystem::path &path, Mode mode) : connection_(open_connection(path, mode))
{
    sqlite3_busy_timeout(connection_.handle(), busy_timeout_ms);
    if (mode != Mode::read_only) {
        connection_.execute("PRAGMA journal_mode = WAL");
    }
    SqliteStatement version(connection_, "PRAGMA user_version");
    version.step();
    auto found = version.integer(0);
    if (found == 0 && mode != Mode::read_only) {
        create_schema();
    } else if (found == 0) {
        throw ProfileStoreError(path.string() + ": not a profile database (no schema)");
    } else if (found > profile_schema_version) {
        throw ProfileStoreError(path.string() + ": profile database schema " + std::to_string(found) +
                                " is newer than this build's (" + std::to_string(profile_schema_version) + ")");
    }
    seen_counter_ = change_counter();
}

void ProfileStore::create_schema()
{
    SqliteTransaction transaction(connection_);
    connection_.execute(schema);
    transaction.commit();
}

std::vector<Profile> ProfileStore::load_all()
{
    return load_where("", 0);
}

std::optional<Profile> ProfileStore::load(const ProfileKey &key, std::string_view version)
{
    auto id = row_id(key, version);
    if (!id) {
        return std::nullopt;
    }
    auto found = load_where(" WHERE profile_id = ?1", *id);
    if (found.empty()) {
        return std::nullopt;
    }
    return std::move(found.front());
}

void ProfileStore::load_into(ProfileBook &book)
{
    seen_counter_ = change_counter();
    for (auto &profile : load_all()) {
        book.insert(std::move(profile));
    }
}

// `condition` filters on profile_id (bound to `id`) in all three tables.
std::vector<Profile> ProfileStore::load_where(std::string_view condition, std::int64_t id)
{
    std::string profile_condition(condition);
    if (auto at = profile_condition.find("profile_id"); at != std::string::npos) {
        profile_condition.replace(at, 10, "id");
    }
    std::map<std::int64_t, Profile> profiles;
    SqliteStatement rows(connection_, "SELECT id, key, version, source, inherited_from, created_ns, first_seen_ns, "
                                      "last_seen_ns, generation FROM profiles" +
                                          profile_condition);
    if (!condition.empty()) {
        rows.bind(1, id);
    }
    while (rows.step()) {
        auto key = ProfileKey::parse(rows.text(1));
        if (!key) {
            throw ProfileStoreError(path().string() + ": profile " + std::to_string(rows.integer(0)) +
                                    " has a malformed key \"" + rows.text(1) + "\"");
        }
        key->source = rows.text(3);
        Profile profile(*key, rows.text(2), rows.u64(5));
        profile.restore(rows.text(4), rows.u64(5), rows.u64(6), rows.u64(7));
        profile.set_generation(rows.u64(8));
        profiles.emplace(rows.integer(0), std::move(profile));
    }

    std::map<std::pair<std::int64_t, BehaviourClass>, ClassProfile> classes;
    auto class_of = [&](const std::string &name, std::int64_t owner) {
        auto behaviour = parse_behaviour(name);
        if (!behaviour) {
            throw ProfileStoreError(path().string() + ": profile " + std::to_string(owner) +
                                    " has an unknown class \"" + name + "\"");
        }
        return *behaviour;
    };
    SqliteStatement class_rows(connection_,
                               "SELECT profile_id, class, state, learning_start_ns, last_new_ns, state_since_ns, "
                               "learned_ns, observations, drift_count, rejected, cap_hit, partial, partial_reason "
                               "FROM classes" +
                                   std::string(condition));
    if (!condition.empty()) {
        class_rows.bind(1, id);
    }
    while (class_rows.step()) {
        auto owner = class_rows.integer(0);
        auto state = parse_state(class_rows.text(2));
        if (!state) {
            throw ProfileStoreError(path().string() + ": profile " + std::to_string(owner) +
                                    " has an unknown state \"" + class_rows.text(2) + "\"");
        }
        ClassProfile data;
        data.state = *state;
        data.learning_start_ns = class_rows.u64(3);
        data.last_new_ns = class_rows.u64(4);
        data.state_since_ns = class_rows.u64(5);
        data.learned_ns = class_rows.u64(6);
        data.observations = class_rows.u64(7);
        data.drift_count = class_rows.u64(8);
        data.rejected = class_rows.u64(9);
        data.cap_hit = class_rows.integer(10) != 0;
        data.partial = class_rows.integer(11) != 0;
        data.partial_reason = class_rows.text(12);
        classes[{owner, class_of(class_rows.text(1), owner)}] = std::move(data);
    }

    SqliteStatement entry_rows(connection_, "SELECT profile_id, class, entry, first_seen_ns, times_seen FROM entries" +
                                                std::string(condition));
    if (!condition.empty()) {
        entry_rows.bind(1, id);
    }
    while (entry_rows.step()) {
        auto owner = entry_rows.integer(0);
        auto &data = classes[{owner, class_of(entry_rows.text(1), owner)}];
        data.entries.emplace(entry_rows.text(2), EntryStats{entry_rows.u64(3), entry_rows.u64(4)});
    }

    std::vector<Profile> loaded;
    loaded.reserve(profiles.size());
    for (auto &[owner, profile] : profiles) {
        for (auto behaviour : all_behaviour_classes) {
            if (auto found = classes.find({owner, behaviour}); found != classes.end()) {
                profile.restore(behaviour, std::move(found->second));
            }
        }
        profile.mark_saved();
        loaded.push_back(std::move(profile));
    }
    return loaded;
}

std::optional<std::int64_t> ProfileStore::row_id(const ProfileKey &key, std::string_view version,
                                                 std::uint64_t *generation)
{
    SqliteStatement query(connection_, "SELECT id, generation FROM profiles WHERE key = ?1 AND version = ?2");
    query.bind(1, key.text()).bind(2, version);
    if (!query.step()) {
        return std::nullopt;
    }
    if (generation != nullptr) {
        *generation = query.u64(1);
    }
    return query.integer(0);
}

ProfileStore::SaveResult ProfileStore::save(ProfileBook &book)
{
    return save(ProfileBook::SaveBatch{book.dirty_profiles(), book.take_removed()});
}

ProfileStore::SaveResult ProfileStore::save(const ProfileBook::SaveBatch &batch)
{
    SaveResult result;
    const auto &dirty = batch.profiles;
    const auto &removed = batch.removed;
    if (dirty.empty() && removed.empty()) {
        return result;
    }
    std::vector<Profile *> written;
    SqliteTransaction transaction(connection_);
    for (const auto &id : removed) {
        if (auto row = row_id(id.key, id.version)) {
            delete_rows(*row);
            ++result.deleted;
        }
    }
    for (auto *profile : dirty) {
        std::uint64_t stored_generation = 0;
        auto row = row_id(profile->key(), profile->version(), &stored_generation);
        bool changed_outside = row ? stored_generation != profile->generation() : profile->persisted();
        if (changed_outside) {
            result.skipped.push_back({profile->key(), profile->version()});
            continue;
        }
        write(*profile, row);
        written.push_back(profile);
    }
    transaction.commit();
    for (auto *profile : written) {
        profile->mark_saved();
    }
    result.written = written.size();
    return result;
}

void ProfileStore::write(Profile &profile, std::optional<std::int64_t> id)
{
    const auto &changes = profile.changes();
    bool full = changes.full || !id;
    {
        SqliteStatement upsert(connection_,
                               "INSERT INTO profiles (key, version, source, inherited_from, created_ns, "
                               "first_seen_ns, last_seen_ns, generation) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
                               "ON CONFLICT (key, version) DO UPDATE SET source = excluded.source, "
                               "inherited_from = excluded.inherited_from, created_ns = excluded.created_ns, "
                               "first_seen_ns = excluded.first_seen_ns, last_seen_ns = excluded.last_seen_ns, "
                               "generation = excluded.generation");
        upsert.bind(1, profile.key().text())
            .bind(2, profile.version())
            .bind(3, profile.key().source)
            .bind(4, profile.inherited_from())
            .bind_u64(5, profile.created_ns())
            .bind_u64(6, profile.first_seen_ns())
            .bind_u64(7, profile.last_seen_ns())
            .bind_u64(8, profile.generation());
        upsert.run();
    }
    if (!id) {
        id = row_id(profile.key(), profile.version());
    }
    if (full) {
        SqliteStatement clear_entries(connection_, "DELETE FROM entries WHERE profile_id = ?1");
        clear_entries.bind(1, *id).run();
    }
    SqliteStatement class_row(
        connection_, "INSERT OR REPLACE INTO classes (profile_id, class, state, learning_start_ns, "
                     "last_new_ns, state_since_ns, learned_ns, observations, drift_count, rejected, cap_hit, "
                     "partial, partial_reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
    SqliteStatement entry_row(connection_, "INSERT OR REPLACE INTO entries (profile_id, class, entry, first_seen_ns, "
                                           "times_seen) VALUES (?1, ?2, ?3, ?4, ?5)");
    SqliteStatement entry_delete(connection_,
                                 "DELETE FROM entries WHERE profile_id = ?1 AND class = ?2 AND entry = ?3");
    for (auto behaviour : all_behaviour_classes) {
        const auto &data = profile.behaviour(behaviour);
        auto name = behaviour_name(behaviour);
        class_row.bind(1, *id)
            .bind(2, name)
            .bind(3, state_name(data.state))
            .bind_u64(4, data.learning_start_ns)
            .bind_u64(5, data.last_new_ns)
            .bind_u64(6, data.state_since_ns)
            .bind_u64(7, data.learned_ns)
            .bind_u64(8, data.observations)
            .bind_u64(9, data.drift_count)
            .bind_u64(10, data.rejected)
            .bind(11, std::int64_t{data.cap_hit})
            .bind(12, std::int64_t{data.partial})
            .bind(13, data.partial_reason);
        class_row.run();
        auto write_entry = [&](const std::string &entry, const EntryStats &stats) {
            entry_row.bind(1, *id)
                .bind(2, name)
                .bind(3, entry)
                .bind_u64(4, stats.first_seen_ns)
                .bind_u64(5, stats.times_seen);
            entry_row.run();
        };
        if (full) {
            for (const auto &[entry, stats] : data.entries) {
                write_entry(entry, stats);
            }
            continue;
        }
        for (const auto &entry : changes.removed[class_index(behaviour)]) {
            entry_delete.bind(1, *id).bind(2, name).bind(3, entry);
            entry_delete.run();
        }
        for (const auto &entry : changes.changed[class_index(behaviour)]) {
            if (auto found = data.entries.find(entry); found != data.entries.end()) {
                write_entry(found->first, found->second);
            }
        }
    }
}

void ProfileStore::delete_rows(std::int64_t id)
{
    for (const char *sql : {"DELETE FROM entries WHERE profile_id = ?1", "DELETE FROM classes WHERE profile_id = ?1",
                            "DELETE FROM profiles WHERE id = ?1"}) {
        SqliteStatement statement(connection_, sql);
        statement.bind(1, id).run();
    }
}

std::uint64_t ProfileStore::change_counter()
{
    SqliteStatement query(connection_, "SELECT value FROM meta WHERE name = 'change_counter'");
    return query.step() ? query.u64(0) : 0;
}

void ProfileStore::bump_change_counter()
{
    connection_.execute("UPDATE meta SET value = value + 1 WHERE name = 'change_counter'");
}

ProfileStore::SyncResult ProfileStore::sync(ProfileBook &book)
{
    SyncResult result;
    auto counter = change_counter();
    if (counter == seen_counter_) {
        return result;
    }
    seen_counter_ = counter;
    std::set<ProfileId> stored;
    std::vector<std::pair<ProfileId, std::uint64_t>> stamps;
    {
        SqliteStatement query(connection_, "SELECT key, version, generation FROM profiles");
        while (query.step()) {
            auto key = ProfileKey::parse(query.text(0));
            if (!key) {
                continue; // load() reports malformed keys
            }
            ProfileId id{*key, query.text(1)};
            stored.insert(id);
            stamps.emplace_back(std::move(id), query.u64(2));
        }
    }
    for (const auto &[id, generation] : stamps) {
        const auto *present = book.find(id.key, id.version);
        if (present == nullptr || present->generation() != generation) {
            if (auto loaded = load(id.key, id.version)) {
                book.insert(std::move(*loaded));
                ++result.reloaded;
            }
        }
    }
    std::vector<ProfileId> gone;
    for (const auto *profile : book.all()) {
        ProfileId id{profile->key(), profile->version()};
        if (profile->persisted() && !stored.contains(id)) {
            gone.push_back(std::move(id));
        }
    }
    for (const auto &id : gone) {
        book.forget(id.key, id.version);
        ++result.dropped;
    }
    return result;
}

std::size_t ProfileStore::reset(const ProfileKey &key, std::uint64_t now_ns)
{
    SqliteTransaction transaction(connection_);
    std::vector<std::tuple<std::string, std::string, std::uint64_t>> versions;
    {
        SqliteStatement query(connection_, "SELECT version, source, generation FROM profiles WHERE key = ?1");
        query.bind(1, key.text());
        while (query.step()) {
            versions.emplace_back(query.text(0), query.text(1), query.u64(2));
        }
    }
    for (const auto &[version, source, generation] : versions) {
        auto fresh_key = key;
        fresh_key.source = source;
        Profile fresh(fresh_key, version, now_ns);
        fresh.set_generation(generation + 1);
        write(fresh, row_id(key, version));
    }
    if (!versions.empty()) {
        bump_change_counter();
    }
    transaction.commit();
    return versions.size();
}

void ProfileStore::import_profiles(std::vector<Profile> &profiles)
{
    SqliteTransaction transaction(connection_);
    for (auto &profile : profiles) {
        std::uint64_t generation = 0;
        auto row = row_id(profile.key(), profile.version(), &generation);
        profile.set_generation(generation + 1);
        profile.restore(profile.inherited_from(), profile.created_ns(), profile.first_seen_ns(),
                        profile.last_seen_ns()); // a full write
        write(profile, row);
    }
    bump_change_counter();
    transaction.commit();
    for (auto &profile : profiles) {
        profile.mark_saved();
    }
}

bool ProfileStore::remove(const ProfileKey &key, std::string_view version)
{
    SqliteTransaction transaction(connection_);
    auto row = row_id(key, version);
    if (row) {
        delete_rows(*row);
        bump_change_counter();
    }
    transaction.commit();
    return row.has_value();
}

void ProfileStore::save_policy(const LearningPolicy &policy)
{
    SqliteTransaction transaction(connection_);
    SqliteStatement upsert(connection_, "INSERT OR REPLACE INTO settings (name, value) VALUES (?1, ?2)");
    for (const auto &field : policy_fields) {
        upsert.bind(1, field.name).bind_u64(2, field.get(policy));
        upsert.run();
    }
    transaction.commit();
}

std::optional<LearningPolicy> ProfileStore::load_policy()
{
    LearningPolicy policy;
    bool any = false;
    SqliteStatement query(connection_, "SELECT name, value FROM settings");
    while (query.step()) {
        auto name = query.text(0);
        for (const auto &field : policy_fields) {
            if (name == field.name) {
                field.set(policy, query.u64(1));
                any = true;
            }
        }
    }
    if (!any) {
        return std::nullopt;
    }
    return policy;
}

} // namespace vigil_drift
