// SPDX-License-Identifier: Apache-2.0
// A thin RAII layer over SQLite's C API, for the spool: a connection that
// closes itself, prepared statements that finalize themselves, and error text
// that always names the database file. Not thread-safe: the owner serializes.
#pragma once

#include <cstdint>
#include <expected>
#include <memory>
#include <string>
#include <string_view>

#include <sqlite3.h>

namespace vigil::delivery::sqlite {

class Statement {
public:
    Statement() = default;
    explicit Statement(sqlite3_stmt *statement) : statement_(statement) {}

    // @bytes is bound without a copy: it must stay valid until the statement is reset.
    void bind_blob(int index, std::string_view bytes);
    void bind_int(int index, int64_t value);
    void bind_text(int index, std::string_view text);

    // SQLITE_ROW, SQLITE_DONE or an error code.
    int step() { return sqlite3_step(statement_.get()); }
    int64_t column_int(int column) { return sqlite3_column_int64(statement_.get(), column); }
    // Valid until the next step or reset.
    std::string_view column_blob(int column);
    std::string_view column_text(int column);

    // Ends the statement's current run, so that it holds no read of the
    // database and no pointer into the caller's buffers.
    void reset()
    {
        sqlite3_reset(statement_.get());
        sqlite3_clear_bindings(statement_.get());
    }

private:
    struct Finalize {
        void operator()(sqlite3_stmt *statement) const { sqlite3_finalize(statement); }
    };
    std::unique_ptr<sqlite3_stmt, Finalize> statement_;
};

// Resets a statement when the scope that ran it ends, whichever way it ends.
class ResetOnExit {
public:
    explicit ResetOnExit(Statement &statement) : statement_(statement) {}
    ~ResetOnExit() { statement_.reset(); }
    ResetOnExit(const ResetOnExit &) = delete;
    ResetOnExit &operator=(const ResetOnExit &) = delete;

private:
    Statement &statement_;
};

class Database {
public:
    // Opens (creating it if absent) the database at @path, with SQLite's own
    // mutexes off: the caller serializes every use of the connection.
    static std::expected<Database, std::string> open(const std::string &path);

    sqlite3 *handle() const { return database_.get(); }
    const std::string &path() const { return path_; }

    // Runs @sql (no result rows expected).
    std::expected<void, std::string> execute(const char *sql);
    // The single value @sql returns, as text ("" for none).
    std::expected<std::string, std::string> query_text(const char *sql);
    // A statement kept for the connection's lifetime.
    std::expected<Statement, std::string> prepare(std::string_view sql);

    // "<path>: <doing>: <SQLite's message>", for the last failure on this connection.
    std::string error(std::string_view doing) const;
    // The primary result code (SQLITE_BUSY, SQLITE_CORRUPT...) of the failure
    // the last error() call described.
    int last_error_code() const { return last_error_code_; }

private:
    struct Close {
        void operator()(sqlite3 *database) const { sqlite3_close_v2(database); }
    };

    Database(sqlite3 *database, std::string path) : database_(database), path_(std::move(path)) {}

    std::unique_ptr<sqlite3, Close> database_;
    std::string path_;
    mutable int last_error_code_ = SQLITE_OK;
};

} // namespace vigil::delivery::sqlite
