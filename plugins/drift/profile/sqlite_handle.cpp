// SPDX-License-Identifier: Apache-2.0
#include "profile/sqlite_handle.hpp"

#include <sqlite3.h>

#include <utility>

namespace vigil_drift {

SqliteConnection::SqliteConnection(const std::filesystem::path &path, bool read_only, bool create) : path_(path)
{
    int flags = read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (create && !read_only) {
        flags |= SQLITE_OPEN_CREATE;
    }
    flags |= SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path.c_str(), &handle_, flags, nullptr) != SQLITE_OK) {
        std::string message = handle_ ? sqlite3_errmsg(handle_) : "out of memory";
        sqlite3_close(handle_);
        handle_ = nullptr;
        throw ProfileStoreError(path.string() + ": cannot open the profile database: " + message);
    }
}

SqliteConnection::~SqliteConnection()
{
    sqlite3_close(handle_);
}

SqliteConnection::SqliteConnection(SqliteConnection &&other) noexcept
    : handle_(std::exchange(other.handle_, nullptr)), path_(std::move(other.path_))
{
}

SqliteConnection &SqliteConnection::operator=(SqliteConnection &&other) noexcept
{
    if (this != &other) {
        sqlite3_close(handle_);
        handle_ = std::exchange(other.handle_, nullptr);
        path_ = std::move(other.path_);
    }
    return *this;
}

void SqliteConnection::execute(std::string_view sql)
{
    char *message = nullptr;
    if (sqlite3_exec(handle_, std::string(sql).c_str(), nullptr, nullptr, &message) != SQLITE_OK) {
        std::string text = message ? message : sqlite3_errmsg(handle_);
        sqlite3_free(message);
        throw ProfileStoreError(path_.string() + ": " + text);
    }
}

void SqliteConnection::fail(std::string_view what) const
{
    throw ProfileStoreError(path_.string() + ": " + std::string(what) + ": " + sqlite3_errmsg(handle_));
}

SqliteStatement::SqliteStatement(SqliteConnection &connection, std::string_view sql) : connection_(connection)
{
    if (sqlite3_prepare_v2(connection.handle(), sql.data(), static_cast<int>(sql.size()), &statement_, nullptr) !=
        SQLITE_OK) {
        connection.fail("cannot prepare \"" + std::string(sql) + "\"");
    }
}

SqliteStatement::~SqliteStatement()
{
    sqlite3_finalize(statement_);
}

SqliteStatement &SqliteStatement::bind(int position, std::string_view text)
{
    if (sqlite3_bind_text(statement_, position, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT) !=
        SQLITE_OK) {
        connection_.fail("cannot bind a value");
    }
    return *this;
}

SqliteStatement &SqliteStatement::bind(int position, std::int64_t value)
{
    if (sqlite3_bind_int64(statement_, position, value) != SQLITE_OK) {
        connection_.fail("cannot bind a value");
    }
    return *this;
}

// Unix ns fit in a signed 64-bit integer until 2262; counters never get near.
SqliteStatement &SqliteStatement::bind_u64(int position, std::uint64_t value)
{
    return bind(position, static_cast<std::int64_t>(value));
}

bool SqliteStatement::step()
{
    int result = sqlite3_step(statement_);
    if (result == SQLITE_ROW) {
        return true;
    }
    if (result == SQLITE_DONE) {
        return false;
    }
    connection_.fail("cannot run \"" + std::string(sqlite3_sql(statement_)) + "\"");
}

void SqliteStatement::run()
{
    while (step()) {
    }
    reset();
}

void SqliteStatement::reset()
{
    sqlite3_reset(statement_);
    sqlite3_clear_bindings(statement_);
}

std::string SqliteStatement::text(int column) const
{
    const auto *bytes = sqlite3_column_text(statement_, column);
    return bytes ? std::string(reinterpret_cast<const char *>(bytes),
                               static_cast<std::size_t>(sqlite3_column_bytes(statement_, column)))
                 : std::string();
}

std::int64_t SqliteStatement::integer(int column) const
{
    return sqlite3_column_int64(statement_, column);
}

std::uint64_t SqliteStatement::u64(int column) const
{
    auto value = integer(column);
    return value < 0 ? 0 : static_cast<std::uint64_t>(value);
}

SqliteTransaction::SqliteTransaction(SqliteConnection &connection) : connection_(connection)
{
    connection_.execute("BEGIN IMMEDIATE");
}

SqliteTransaction::~SqliteTransaction()
{
    if (!done_) {
        sqlite3_exec(connection_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
    }
}

void SqliteTransaction::commit()
{
    connection_.execute("COMMIT");
    done_ = true;
}

} // namespace vigil_drift
