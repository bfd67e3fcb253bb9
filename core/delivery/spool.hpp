// SPDX-License-Identifier: Apache-2.0
// The durable spool: alerts accepted for an output and not yet acknowledged by
// it, in one SQLite database file, so that they survive a crash or kill -9 of
// the sensor and are delivered after restart, in order per output.
//
// Design choices, and why:
//
// - Stored per output, not once with references. An alert routed to three
//   outputs is written three times. That costs space (alerts are ~1 KB and go
//   to a handful of outputs), but each output is then an independent FIFO:
//   acknowledging is one range delete, with no reference counts to keep right
//   across crashes and no shared row for one output's bound to keep alive for
//   another. The bounds below therefore count each output's copy: what they
//   allow is what the disk holds (payload bytes; SQLite adds page overhead,
//   and the file keeps its high-water size, reusing freed pages).
//
// - When full, the newest alert is refused; what is stored is kept. The first
//   alerts of an attack (the initial access, the first execution) are the ones
//   an investigation needs, and an attacker able to trigger many alerts must
//   not be able to flush them out of the spool with noise. Refusing the new one
//   also tells the caller at once, at append, which alert was lost, and keeps
//   what an output receives an unbroken prefix with its gap at the end. The
//   in-memory queue of OutputWorker refuses the newest too.
//   A refusal is returned (SpoolFailure::full), counted per output
//   (dropped_full, times_full), and logged as an error once per episode, with
//   the count of refusals logged when the spool has room again.
//
// - synchronous=NORMAL with WAL by default: a commit has written its pages to
//   the log with write(2) before append returns, so a crash or kill -9 of the
//   sensor loses nothing appended; only a power loss or kernel crash can lose
//   the last commits since the last checkpoint (the file is never corrupted
//   either way). FULL (SpoolLimits::survive_power_loss) adds an fsync to every
//   append, i.e. milliseconds on the event thread; a node that loses power also
//   loses the workloads being watched, so NORMAL is the default.
//
// - At least once: an entry stays until acknowledged. One that was sent but
//   not yet acknowledged when the sensor died is delivered again after restart.
//   Entry ids are never reused, so a receiver can use them to recognize repeats.
//
// - One connection for appends, peeks and acknowledgements, behind one mutex,
//   not a connection per thread. SQLite has one writer at a time anyway and
//   appends and acknowledgements are all writes; with several writing
//   connections, contention is resolved by SQLite's busy handler, which sleeps
//   in milliseconds, on the event thread too. A mutex hands over in
//   microseconds and keeps the in-memory counts (used for the bounds) and the
//   database in step. Each hot call is one short transaction.
//
// - Checkpoints (copying the log into the database, with fsyncs: milliseconds
//   to tens of milliseconds) run on a thread of the spool's own, with a second
//   connection, woken once the log passes about 4 MB. A checkpoint never holds
//   the mutex and never waits for the writer, so an append never waits for one.
//
// - A lock file beside the database (<path>.lock, flock) keeps a second sensor
//   off the spool: it would deliver everything twice, so open refuses.
//
// - A file that is not a database, or fails SQLite's quick check at open, is
//   never deleted or repaired here: open returns an error naming the file and
//   the caller decides (move it aside, start empty, report).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <expected>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vigil::delivery {

struct SpoolLimits {
    // The most alerts, and payload bytes, waiting for any one output.
    uint64_t max_entries_per_output = 1'000'000;
    uint64_t max_bytes_per_output = 512ULL * 1024 * 1024;
    // The most payload bytes waiting for all outputs together: what the spool may take of the disk.
    uint64_t max_total_bytes = 1024ULL * 1024 * 1024;
    // false: synchronous=NORMAL (survives a crash of the sensor); true: FULL (also a power loss). See above.
    bool survive_power_loss = false;
    // How long open waits for a lock held by another process before it says the spool is in use.
    std::chrono::milliseconds busy_timeout{1000};
};

struct SpoolEntry {
    uint64_t id = 0; // increases with each append, never reused
    std::string alert;
};

struct SpoolPending {
    uint64_t entries = 0;
    uint64_t bytes = 0;
    bool operator==(const SpoolPending &) const = default;
};

struct SpoolOutputPending {
    std::string output;
    SpoolPending pending;
};

// Counts since open (the pending counts themselves are read back from the file).
struct SpoolOutputStatistics {
    uint64_t appended = 0;
    uint64_t acknowledged = 0;
    uint64_t rejected = 0;     // removed because the receiver refused them for good
    uint64_t dropped_full = 0; // refused by append because a bound was reached
    uint64_t times_full = 0;   // episodes of refusing, each logged
    uint64_t discarded = 0;    // removed by discard (e.g. an output no longer configured)
};

struct SpoolAppend {
    std::string_view output;
    std::string_view alert;
};

enum class SpoolFailure {
    full,    // a bound was reached: the alert was not stored (counted, logged)
    storage, // SQLite failed (I/O error, disk full...): the message names the file
};

struct SpoolError {
    SpoolFailure failure;
    std::string message;
};

class Spool {
public:
    // Opens the spool at @path, creating it (mode 0600: alerts name processes
    // and pods) if absent. The error names the file: not a database, damaged,
    // written by a newer vigil, or in use by another process.
    static std::expected<Spool, std::string> open(const std::string &path, SpoolLimits limits = {});

    Spool(Spool &&) noexcept;
    Spool &operator=(Spool &&) noexcept;
    ~Spool();

    // Every call below is thread-safe.

    // Stores @alert at the end of @output's queue, durably once this returns.
    std::expected<uint64_t, SpoolError> append(std::string_view output, std::string_view alert);
    // Stores several in one transaction (one write for all): what the event
    // thread should use for an alert routed to several outputs. Element i is
    // entries[i]'s id, or nullopt when a bound refused it. Entries are checked
    // in order, so a refused one is never followed by an accepted one of the
    // same output in the same batch unless the bytes bound let a smaller one in.
    // A storage error stores none of them.
    std::expected<std::vector<std::optional<uint64_t>>, std::string> append_batch(std::span<const SpoolAppend> entries);

    // The oldest entries of @output with an id above @after_id, at most
    // @max_count, oldest first. Peeking removes nothing.
    std::expected<std::vector<SpoolEntry>, std::string> peek(std::string_view output, std::size_t max_count,
                                                             uint64_t after_id = 0);
    // Removes @output's entries up to and including @up_to_id: they were delivered.
    // Returns how many were removed.
    std::expected<uint64_t, std::string> acknowledge(std::string_view output, uint64_t up_to_id);
    // Removes the entries @ids of @output, which the receiver refused for good
    // (counted as rejected; @reason is kept as the last one). Returns how many were removed.
    std::expected<uint64_t, std::string> reject(std::string_view output, std::span<const uint64_t> ids,
                                                std::string_view reason);
    // Removes everything waiting for @output: for one no longer configured,
    // once the caller has decided so (counted as discarded). Returns how many.
    std::expected<uint64_t, std::string> discard(std::string_view output);

    SpoolPending pending(std::string_view output) const;
    // Every output with entries waiting, by name, including ones from before a
    // restart that the configuration no longer has: the caller reports those.
    std::vector<SpoolOutputPending> outputs() const;
    SpoolOutputStatistics statistics(std::string_view output) const;
    std::string last_reject_reason(std::string_view output) const;

    // Copies the write-ahead log into the database now, on the calling thread
    // (the spool's own thread does it whenever the log has grown).
    std::expected<void, std::string> checkpoint();

    const std::string &path() const;

private:
    struct State;
    explicit Spool(std::unique_ptr<State> state);
    std::unique_ptr<State> state_;
};

} // namespace vigil::delivery
