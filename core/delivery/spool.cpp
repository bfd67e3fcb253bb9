// SPDX-License-Identifier: Apache-2.0
#include "core/delivery/spool.hpp"

#include <cerrno>
#include <condition_variable>
#include <cstring>
#include <fcntl.h>
#include <limits>
#include <map>
#include <mutex>
#include <optional>
#include <sys/file.h>
#include <thread>
#include <unistd.h>
#include <utility>

#include <spdlog/fmt/fmt.h>
#include <spdlog/spdlog.h>

#include "core/delivery/sqlite_database.hpp"
#include "core/util/file_descriptor.hpp"

namespace vigil::delivery {
namespace {

// What PRAGMA user_version says for this layout; open refuses a higher one.
constexpr const char *schema_version = "1";
constexpr const char *schema = R"sql(
CREATE TABLE outputs(
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE);
-- AUTOINCREMENT: ids only ever grow, even after every entry was acknowledged,
-- so that id order is append order and an id names one alert for good.
CREATE TABLE entries(
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    output INTEGER NOT NULL REFERENCES outputs(id),
    alert BLOB NOT NULL);
-- An index entry is (output, rowid): each output's entries in id order.
CREATE INDEX entries_by_output ON entries(output);
PRAGMA user_version = 1;
)sql";

// Log frames (pages of 4 KB) past which the checkpointer is woken.
constexpr int checkpoint_frames = 1000;
// The log file is truncated back to this after a checkpoint.
constexpr const char *journal_size_limit = "PRAGMA journal_size_limit = 16777216";

struct OutputState {
    int64_t id = 0;
    SpoolPending pending;
    SpoolOutputStatistics statistics;
    std::string last_reject_reason;
    bool refusing = false; // a bound refused an append, and none was accepted since
    uint64_t refused_in_episode = 0;
};

// Keeps a second sensor off the spool (it would deliver everything twice).
// A lock file of its own rather than a lock on the database: closing any
// descriptor of the database file would drop SQLite's own locks on it.
std::expected<util::FileDescriptor, std::string> lock_spool(const std::string &path)
{
    auto lock_path = path + ".lock";
    util::FileDescriptor lock(::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600));
    if (lock.get() < 0) {
        return std::unexpected(
            fmt::format("{}: cannot open the spool's lock file {}: {}", path, lock_path, std::strerror(errno)));
    }
    if (flock(lock.get(), LOCK_EX | LOCK_NB) != 0) {
        if (errno == EWOULDBLOCK) {
            return std::unexpected(fmt::format("{}: the spool is in use by another process (another vigil?)", path));
        }
        return std::unexpected(fmt::format("{}: cannot lock {}: {}", path, lock_path, std::strerror(errno)));
    }
    return lock;
}

int64_t as_sql_integer(uint64_t value)
{
    return static_cast<int64_t>(std::min<uint64_t>(value, std::numeric_limits<int64_t>::max()));
}

} // namespace

struct Spool::State {
    State(std::string path_, SpoolLimits limits_, util::FileDescriptor lock_, sqlite::Database database_)
        : path(std::move(path_)), limits(limits_), lock(std::move(lock_)), database(std::move(database_))
    {
    }
    ~State();

    std::expected<void, std::string> initialize();
    std::expected<void, std::string> load_outputs();
    std::expected<void, std::string> prepare_statements();
    // The error of a failed open, with what the caller can do about it.
    std::string explain_open_failure(std::string message) const;

    // Everything below runs with mutex held.
    std::expected<OutputState *, std::string> output_for_append(std::string_view name);
    OutputState *find(std::string_view name);
    std::expected<void, std::string> run(sqlite::Statement &statement, std::string_view doing);
    void rollback_if_open();
    void note_refused(const std::string &name, OutputState &output, std::string_view bound);
    void note_accepted(const std::string &name, OutputState &output, SpoolPending added);
    void note_removed(OutputState &output, SpoolPending removed);

    // The checkpointer: its own connection and thread, so that the fsyncs of
    // a checkpoint never run under mutex, where appends would wait for them.
    std::expected<void, std::string> start_checkpointer();
    void run_checkpointer();
    std::expected<void, std::string> checkpoint();
    static int on_wal_commit(void *context, sqlite3 *, const char *, int frames);

    const std::string path;
    const SpoolLimits limits;
    // Released last, once both connections are closed.
    util::FileDescriptor lock;

    mutable std::mutex mutex;
    // The database before its statements, so that they are finalized before it closes.
    sqlite::Database database;
    sqlite::Statement begin;
    sqlite::Statement commit;
    sqlite::Statement insert_output;
    sqlite::Statement insert_entry;
    sqlite::Statement select_entries;
    sqlite::Statement delete_up_to;
    sqlite::Statement delete_one;
    sqlite::Statement delete_all;
    std::map<std::string, OutputState, std::less<>> outputs;
    uint64_t total_bytes = 0;

    std::mutex checkpoint_connection_mutex; // guards checkpoint_database
    std::optional<sqlite::Database> checkpoint_database;
    std::mutex checkpoint_request_mutex; // guards the two flags, held only to set or read them
    std::condition_variable checkpoint_wanted;
    bool checkpoint_requested = false;
    bool checkpointer_stopping = false;
    std::thread checkpointer;
};

Spool::State::~State()
{
    {
        std::lock_guard request(checkpoint_request_mutex);
        checkpointer_stopping = true;
    }
    checkpoint_wanted.notify_one();
    if (checkpointer.joinable()) {
        checkpointer.join();
    }
}

std::expected<Spool, std::string> Spool::open(const std::string &path, SpoolLimits limits)
{
    // Created here so that it is owner-only; SQLite gives its log file the same mode.
    int descriptor = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
    if (descriptor < 0) {
        return std::unexpected(fmt::format("{}: cannot open the spool: {}", path, std::strerror(errno)));
    }
    ::close(descriptor);
    auto lock = lock_spool(path);
    if (!lock) {
        return std::unexpected(lock.error());
    }

    auto database = sqlite::Database::open(path);
    if (!database) {
        return std::unexpected(database.error());
    }
    auto state = std::make_unique<State>(path, limits, std::move(*lock), std::move(*database));
    if (auto initialized = state->initialize(); !initialized) {
        return std::unexpected(state->explain_open_failure(initialized.error()));
    }
    if (auto started = state->start_checkpointer(); !started) {
        return std::unexpected(started.error());
    }
    return Spool(std::move(state));
}

Spool::Spool(std::unique_ptr<State> state) : state_(std::move(state)) {}
Spool::Spool(Spool &&) noexcept = default;
Spool &Spool::operator=(Spool &&) noexcept = default;
Spool::~Spool() = default;

std::expected<void, std::string> Spool::State::initialize()
{
    auto &db = database;
    sqlite3_busy_timeout(db.handle(), static_cast<int>(limits.busy_timeout.count()));
    // The first statement that reads the file: a file that is not a database fails here.
    auto mode = db.query_text("PRAGMA journal_mode = WAL");
    if (!mode) {
        return std::unexpected(mode.error());
    }
    if (*mode != "wal") {
        return std::unexpected(fmt::format("{}: cannot use write-ahead logging (journal mode is {})", path, *mode));
    }
    if (auto done = db.execute(limits.survive_power_loss ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
        !done) {
        return done;
    }
    if (auto done = db.execute(journal_size_limit); !done) {
        return done;
    }
    // Replaces SQLite's automatic checkpoint, which would run on whichever
    // thread commits, the event thread included.
    sqlite3_wal_hook(db.handle(), &State::on_wal_commit, this);

    if (auto done = db.execute("BEGIN IMMEDIATE"); !done) {
        return done;
    }
    auto version = db.query_text("PRAGMA user_version");
    auto tables = db.query_text("SELECT count(*) FROM sqlite_schema");
    std::expected<void, std::string> created;
    if (!version || !tables) {
        created = std::unexpected(!version ? version.error() : tables.error());
    } else if (*version == "0" && *tables == "0") {
        created = db.execute(schema);
    } else if (*version == "0") {
        created = std::unexpected(fmt::format("{}: a SQLite database, but not a vigil spool", path));
    } else if (*version != schema_version) {
        created = std::unexpected(fmt::format("{}: a spool of layout {} (a newer vigil?); this one reads layout {}",
                                              path, *version, schema_version));
    }
    if (!created) {
        rollback_if_open();
        return created;
    }
    if (auto done = db.execute("COMMIT"); !done) {
        rollback_if_open();
        return done;
    }

    // Damage inside the file (a torn page, a bad disk) is found now rather
    // than halfway through delivering.
    auto check = db.query_text("PRAGMA quick_check");
    if (!check) {
        return std::unexpected(check.error());
    }
    if (*check != "ok") {
        return std::unexpected(fmt::format("{}: the database is damaged (SQLite's quick check: {})", path, *check));
    }
    if (auto loaded = load_outputs(); !loaded) {
        return loaded;
    }
    return prepare_statements();
}

std::expected<void, std::string> Spool::State::load_outputs()
{
    auto names = database.prepare("SELECT id, name FROM outputs");
    if (!names) {
        return std::unexpected(names.error());
    }
    std::map<int64_t, OutputState *> by_id;
    int result;
    while ((result = names->step()) == SQLITE_ROW) {
        auto &output = outputs[std::string(names->column_text(1))];
        output.id = names->column_int(0);
        by_id[output.id] = &output;
    }
    if (result != SQLITE_DONE) {
        return std::unexpected(database.error("cannot read the outputs"));
    }

    auto counts = database.prepare("SELECT output, count(*), sum(length(alert)) FROM entries GROUP BY output");
    if (!counts) {
        return std::unexpected(counts.error());
    }
    while ((result = counts->step()) == SQLITE_ROW) {
        auto found = by_id.find(counts->column_int(0));
        if (found == by_id.end()) {
            return std::unexpected(fmt::format("{}: the database is damaged (entries of an unknown output)", path));
        }
        found->second->pending = {static_cast<uint64_t>(counts->column_int(1)),
                                  static_cast<uint64_t>(counts->column_int(2))};
        total_bytes += found->second->pending.bytes;
    }
    if (result != SQLITE_DONE) {
        return std::unexpected(database.error("cannot count the entries"));
    }
    return {};
}

std::expected<void, std::string> Spool::State::prepare_statements()
{
    struct Prepared {
        sqlite::Statement &statement;
        std::string_view sql;
    };
    const Prepared all[] = {
        {begin, "BEGIN IMMEDIATE"},
        {commit, "COMMIT"},
        {insert_output, "INSERT INTO outputs(name) VALUES (?1)"},
        {insert_entry, "INSERT INTO entries(output, alert) VALUES (?1, ?2)"},
        {select_entries, "SELECT id, alert FROM entries WHERE output = ?1 AND id > ?2 ORDER BY id LIMIT ?3"},
        {delete_up_to, "DELETE FROM entries WHERE output = ?1 AND id <= ?2 RETURNING length(alert)"},
        {delete_one, "DELETE FROM entries WHERE output = ?1 AND id = ?2 RETURNING length(alert)"},
        {delete_all, "DELETE FROM entries WHERE output = ?1"},
    };
    for (const auto &prepared : all) {
        auto statement = database.prepare(prepared.sql);
        if (!statement) {
            return std::unexpected(statement.error());
        }
        prepared.statement = std::move(*statement);
    }
    return {};
}

std::string Spool::State::explain_open_failure(std::string message) const
{
    switch (database.last_error_code()) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
        return fmt::format("{}: the spool is in use by another process (another vigil?)", path);
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
        return message + "; the file is damaged or not a spool: move it aside to start an empty one";
    default:
        return message;
    }
}

std::expected<OutputState *, std::string> Spool::State::output_for_append(std::string_view name)
{
    if (auto *output = find(name)) {
        return output;
    }
    // In a transaction of its own, before the entries' one: a rolled back batch
    // must not leave a name here that the file does not have.
    sqlite::ResetOnExit reset(insert_output);
    insert_output.bind_text(1, name);
    if (insert_output.step() != SQLITE_DONE) {
        return std::unexpected(database.error(fmt::format("cannot add output {}", name)));
    }
    auto &output = outputs[std::string(name)];
    output.id = sqlite3_last_insert_rowid(database.handle());
    return &output;
}

OutputState *Spool::State::find(std::string_view name)
{
    auto found = outputs.find(name);
    return found == outputs.end() ? nullptr : &found->second;
}

std::expected<void, std::string> Spool::State::run(sqlite::Statement &statement, std::string_view doing)
{
    sqlite::ResetOnExit reset(statement);
    if (statement.step() != SQLITE_DONE) {
        return std::unexpected(database.error(doing));
    }
    return {};
}

void Spool::State::rollback_if_open()
{
    if (sqlite3_get_autocommit(database.handle()) == 0) {
        // Only fails when there is nothing left to roll back.
        (void)database.execute("ROLLBACK");
    }
}

void Spool::State::note_refused(const std::string &name, OutputState &output, std::string_view bound)
{
    ++output.statistics.dropped_full;
    ++output.refused_in_episode;
    if (!output.refusing) {
        output.refusing = true;
        output.refused_in_episode = 1;
        ++output.statistics.times_full;
        spdlog::error("spool {}: output {} reached its bound ({}); refusing its new alerts until it drains", path, name,
                      bound);
    }
}

void Spool::State::note_accepted(const std::string &name, OutputState &output, SpoolPending added)
{
    output.pending.entries += added.entries;
    output.pending.bytes += added.bytes;
    output.statistics.appended += added.entries;
    total_bytes += added.bytes;
    if (output.refusing && added.entries > 0) {
        output.refusing = false;
        spdlog::warn("spool {}: output {} has room again; {} alerts were refused while it was full", path, name,
                     output.refused_in_episode);
    }
}

void Spool::State::note_removed(OutputState &output, SpoolPending removed)
{
    output.pending.entries -= std::min(removed.entries, output.pending.entries);
    output.pending.bytes -= std::min(removed.bytes, output.pending.bytes);
    total_bytes -= std::min(removed.bytes, total_bytes);
}

std::expected<void, std::string> Spool::State::start_checkpointer()
{
    auto opened = sqlite::Database::open(path);
    if (!opened) {
        return std::unexpected(opened.error());
    }
    sqlite3_busy_timeout(opened->handle(), static_cast<int>(limits.busy_timeout.count()));
    checkpoint_database.emplace(std::move(*opened));
    checkpointer = std::thread([this] { run_checkpointer(); });
    return {};
}

void Spool::State::run_checkpointer()
{
    std::unique_lock request(checkpoint_request_mutex);
    for (;;) {
        checkpoint_wanted.wait(request, [this] { return checkpoint_requested || checkpointer_stopping; });
        if (checkpointer_stopping) {
            return;
        }
        checkpoint_requested = false;
        request.unlock();
        if (auto done = checkpoint(); !done) {
            // The entries are safe in the log; it only stays long until a checkpoint succeeds.
            spdlog::warn("spool {}", done.error());
        }
        request.lock();
    }
}

std::expected<void, std::string> Spool::State::checkpoint()
{
    std::lock_guard connection(checkpoint_connection_mutex);
    // PASSIVE: copies what no reader still needs, never waits for the writer
    // (which keeps appending to the log meanwhile).
    if (sqlite3_wal_checkpoint_v2(checkpoint_database->handle(), nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                  nullptr) != SQLITE_OK) {
        return std::unexpected(checkpoint_database->error("checkpoint"));
    }
    return {};
}

int Spool::State::on_wal_commit(void *context, sqlite3 *, const char *, int frames)
{
    if (frames >= checkpoint_frames) {
        auto &state = *static_cast<State *>(context);
        {
            std::lock_guard request(state.checkpoint_request_mutex);
            state.checkpoint_requested = true;
        }
        state.checkpoint_wanted.notify_one();
    }
    return SQLITE_OK;
}

std::expected<uint64_t, SpoolError> Spool::append(std::string_view output, std::string_view alert)
{
    const SpoolAppend entry{output, alert};
    auto ids = append_batch(std::span(&entry, 1));
    if (!ids) {
        return std::unexpected(SpoolError{SpoolFailure::storage, std::move(ids.error())});
    }
    if (!(*ids)[0]) {
        return std::unexpected(SpoolError{
            SpoolFailure::full, fmt::format("{}: spool full for output {}, alert dropped", state_->path, output)});
    }
    return *(*ids)[0];
}

std::expected<std::vector<std::optional<uint64_t>>, std::string>
Spool::append_batch(std::span<const SpoolAppend> entries)
{
    auto &state = *state_;
    std::lock_guard lock(state.mutex);

    // What this batch adds per output, applied to the counts only once committed.
    struct Added {
        const std::string *name;
        OutputState *output;
        SpoolPending pending;
    };
    std::vector<Added> added;
    added.reserve(entries.size());
    std::vector<std::size_t> added_index;
    added_index.reserve(entries.size());
    for (const auto &entry : entries) {
        auto output = state.output_for_append(entry.output);
        if (!output) {
            return std::unexpected(output.error());
        }
        std::size_t index = 0;
        while (index < added.size() && added[index].output != *output) {
            ++index;
        }
        if (index == added.size()) {
            added.push_back({&state.outputs.find(entry.output)->first, *output, {}});
        }
        added_index.push_back(index);
    }

    if (auto begun = state.run(state.begin, "begin"); !begun) {
        return std::unexpected(begun.error());
    }
    std::vector<std::optional<uint64_t>> ids;
    ids.reserve(entries.size());
    uint64_t batch_bytes = 0;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        auto &target = added[added_index[i]];
        const auto &pending = target.output->pending;
        uint64_t size = entries[i].alert.size();
        std::string_view bound;
        if (pending.entries + target.pending.entries + 1 > state.limits.max_entries_per_output) {
            bound = "max entries per output";
        } else if (pending.bytes + target.pending.bytes + size > state.limits.max_bytes_per_output) {
            bound = "max bytes per output";
        } else if (state.total_bytes + batch_bytes + size > state.limits.max_total_bytes) {
            bound = "max total bytes";
        }
        if (!bound.empty()) {
            state.note_refused(*target.name, *target.output, bound);
            ids.push_back(std::nullopt);
            continue;
        }
        sqlite::ResetOnExit reset(state.insert_entry);
        state.insert_entry.bind_int(1, target.output->id);
        state.insert_entry.bind_blob(2, entries[i].alert);
        if (state.insert_entry.step() != SQLITE_DONE) {
            auto error = state.database.error(fmt::format("cannot append for output {}", *target.name));
            state.rollback_if_open();
            return std::unexpected(error);
        }
        ids.push_back(static_cast<uint64_t>(sqlite3_last_insert_rowid(state.database.handle())));
        ++target.pending.entries;
        target.pending.bytes += size;
        batch_bytes += size;
    }
    if (auto committed = state.run(state.commit, "commit"); !committed) {
        state.rollback_if_open();
        return std::unexpected(committed.error());
    }
    for (const auto &each : added) {
        state.note_accepted(*each.name, *each.output, each.pending);
    }
    return ids;
}

std::expected<std::vector<SpoolEntry>, std::string> Spool::peek(std::string_view output, std::size_t max_count,
                                                                uint64_t after_id)
{
    auto &state = *state_;
    std::lock_guard lock(state.mutex);
    std::vector<SpoolEntry> entries;
    auto *found = state.find(output);
    if (found == nullptr || found->pending.entries == 0 || max_count == 0) {
        return entries;
    }
    entries.reserve(std::min<uint64_t>(max_count, found->pending.entries));
    auto &select = state.select_entries;
    sqlite::ResetOnExit reset(select);
    select.bind_int(1, found->id);
    select.bind_int(2, as_sql_integer(after_id));
    select.bind_int(3, as_sql_integer(max_count));
    int result;
    while ((result = select.step()) == SQLITE_ROW) {
        entries.push_back({static_cast<uint64_t>(select.column_int(0)), std::string(select.column_blob(1))});
    }
    if (result != SQLITE_DONE) {
        return std::unexpected(state.database.error(fmt::format("cannot read the entries of output {}", output)));
    }
    return entries;
}

std::expected<uint64_t, std::string> Spool::acknowledge(std::string_view output, uint64_t up_to_id)
{
    auto &state = *state_;
    std::lock_guard lock(state.mutex);
    auto *found = state.find(output);
    if (found == nullptr || found->pending.entries == 0) {
        return 0;
    }
    // One statement: its own transaction.
    SpoolPending removed;
    {
        auto &remove = state.delete_up_to;
        sqlite::ResetOnExit reset(remove);
        remove.bind_int(1, found->id);
        remove.bind_int(2, as_sql_integer(up_to_id));
        int result;
        while ((result = remove.step()) == SQLITE_ROW) {
            ++removed.entries;
            removed.bytes += static_cast<uint64_t>(remove.column_int(0));
        }
        if (result != SQLITE_DONE) {
            return std::unexpected(state.database.error(fmt::format("cannot acknowledge for output {}", output)));
        }
    }
    state.note_removed(*found, removed);
    found->statistics.acknowledged += removed.entries;
    return removed.entries;
}

std::expected<uint64_t, std::string> Spool::reject(std::string_view output, std::span<const uint64_t> ids,
                                                   std::string_view reason)
{
    auto &state = *state_;
    std::lock_guard lock(state.mutex);
    auto *found = state.find(output);
    if (found == nullptr || found->pending.entries == 0 || ids.empty()) {
        return 0;
    }
    if (auto begun = state.run(state.begin, "begin"); !begun) {
        return std::unexpected(begun.error());
    }
    SpoolPending removed;
    for (auto id : ids) {
        auto &remove = state.delete_one;
        sqlite::ResetOnExit reset(remove);
        remove.bind_int(1, found->id);
        remove.bind_int(2, as_sql_integer(id));
        int result;
        while ((result = remove.step()) == SQLITE_ROW) {
            ++removed.entries;
            removed.bytes += static_cast<uint64_t>(remove.column_int(0));
        }
        if (result != SQLITE_DONE) {
            auto error = state.database.error(fmt::format("cannot remove rejected alerts of output {}", output));
            state.rollback_if_open();
            return std::unexpected(error);
        }
    }
    if (auto committed = state.run(state.commit, "commit"); !committed) {
        state.rollback_if_open();
        return std::unexpected(committed.error());
    }
    state.note_removed(*found, removed);
    found->statistics.rejected += removed.entries;
    found->last_reject_reason = reason;
    return removed.entries;
}

std::expected<uint64_t, std::string> Spool::discard(std::string_view output)
{
    auto &state = *state_;
    std::lock_guard lock(state.mutex);
    auto *found = state.find(output);
    if (found == nullptr || found->pending.entries == 0) {
        return 0;
    }
    state.delete_all.bind_int(1, found->id);
    if (auto removed = state.run(state.delete_all, fmt::format("cannot discard output {}", output)); !removed) {
        return std::unexpected(removed.error());
    }
    auto count = static_cast<uint64_t>(sqlite3_changes64(state.database.handle()));
    state.note_removed(*found, found->pending);
    found->statistics.discarded += count;
    return count;
}

SpoolPending Spool::pending(std::string_view output) const
{
    std::lock_guard lock(state_->mutex);
    auto *found = state_->find(output);
    return found == nullptr ? SpoolPending{} : found->pending;
}

std::vector<SpoolOutputPending> Spool::outputs() const
{
    std::lock_guard lock(state_->mutex);
    std::vector<SpoolOutputPending> waiting;
    for (const auto &[name, output] : state_->outputs) {
        if (output.pending.entries > 0) {
            waiting.push_back({name, output.pending});
        }
    }
    return waiting;
}

SpoolOutputStatistics Spool::statistics(std::string_view output) const
{
    std::lock_guard lock(state_->mutex);
    auto *found = state_->find(output);
    return found == nullptr ? SpoolOutputStatistics{} : found->statistics;
}

std::string Spool::last_reject_reason(std::string_view output) const
{
    std::lock_guard lock(state_->mutex);
    auto *found = state_->find(output);
    return found == nullptr ? std::string() : found->last_reject_reason;
}

std::expected<void, std::string> Spool::checkpoint()
{
    return state_->checkpoint();
}

const std::string &Spool::path() const
{
    return state_->path;
}

} // namespace vigil::delivery
