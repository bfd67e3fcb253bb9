// SPDX-License-Identifier: Apache-2.0
// A thin RAII layer over libsqlite3 for the profile store: a connection and
// prepared statements whose errors name the database file.
#pragma once

#include <cstdint>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace vigil_drift {

// Every store failure: the message names the database file and carries
// SQLite's own message.
class ProfileStoreError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

class SqliteConnection {
public:
    // Throws ProfileStoreError. Without `create` a missing file is an error.
    SqliteConnection(const std::filesystem::path &path, bool read_only, bool create);
    ~SqliteConnection();
    SqliteConnection(SqliteConnection &&other) noexcept;
    SqliteConnection &operator=(SqliteConnection &&other) noexcept;
    SqliteConnection(const SqliteConnection &) = delete;
    SqliteConnection &operator=(const SqliteConnection &) = delete;

    sqlite3 *handle() const { return handle_; }
    const std::filesystem::path &path() const { return path_; }

    // Runs SQL without results (may hold several statements).
    void execute(std::string_view sql);
    [[noreturn]] void fail(std::string_view what) const;

private:
    sqlite3 *handle_ = nullptr;
    std::filesystem::path path_;
};

class SqliteStatement {
public:
    SqliteStatement(SqliteConnection &connection, std::string_view sql);
    ~SqliteStatement();
    SqliteStatement(const SqliteStatement &) = delete;
    SqliteStatement &operator=(const SqliteStatement &) = delete;

    // Binding by 1-based position; returns *this to chain.
    SqliteStatement &bind(int position, std::string_view text);
    SqliteStatement &bind(int position, std::int64_t value);
    SqliteStatement &bind_u64(int position, std::uint64_t value);

    // true: a row is available; false: done.
    bool step();
    // Runs a statement without results to completion and resets it.
    void run();
    void reset();

    std::string text(int column) const;
    std::int64_t integer(int column) const;
    std::uint64_t u64(int column) const;

private:
    SqliteConnection &connection_;
    sqlite3_stmt *statement_ = nullptr;
};

// BEGIN IMMEDIATE ... COMMIT, rolled back if not committed.
class SqliteTransaction {
public:
    explicit SqliteTransaction(SqliteConnection &connection);
    ~SqliteTransaction();
    SqliteTransaction(const SqliteTransaction &) = delete;
    SqliteTransaction &operator=(const SqliteTransaction &) = delete;
    void commit();

private:
    SqliteConnection &connection_;
    bool done_ = false;
};

} // namespace vigil_drift
