// SPDX-License-Identifier: Apache-2.0
#include "core/delivery/sqlite_database.hpp"

#include <spdlog/fmt/fmt.h>

namespace vigil::delivery::sqlite {

void Statement::bind_blob(int index, std::string_view bytes)
{
    // A zero-length blob still needs a non-null pointer, or SQLite stores NULL.
    static const char empty = 0;
    sqlite3_bind_blob64(statement_.get(), index, bytes.empty() ? &empty : bytes.data(), bytes.size(), SQLITE_STATIC);
}

void Statement::bind_int(int index, int64_t value)
{
    sqlite3_bind_int64(statement_.get(), index, value);
}

void Statement::bind_text(int index, std::string_view text)
{
    sqlite3_bind_text64(statement_.get(), index, text.data(), text.size(), SQLITE_STATIC, SQLITE_UTF8);
}

std::string_view Statement::column_blob(int column)
{
    const void *bytes = sqlite3_column_blob(statement_.get(), column);
    auto size = static_cast<std::size_t>(sqlite3_column_bytes(statement_.get(), column));
    return bytes == nullptr ? std::string_view() : std::string_view(static_cast<const char *>(bytes), size);
}

std::string_view Statement::column_text(int column)
{
    const unsigned char *text = sqlite3_column_text(statement_.get(), column);
    auto size = static_cast<std::size_t>(sqlite3_column_bytes(statement_.get(), column));
    return text == nullptr ? std::string_view() : std::string_view(reinterpret_cast<const char *>(text), size);
}

std::expected<Database, std::string> Database::open(const std::string &path)
{
    sqlite3 *handle = nullptr;
    int result = sqlite3_open_v2(path.c_str(), &handle,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    Database database(handle, path);
    if (result != SQLITE_OK) {
        if (handle == nullptr) {
            return std::unexpected(fmt::format("{}: cannot open: {}", path, sqlite3_errstr(result)));
        }
        return std::unexpected(database.error("cannot open"));
    }
    sqlite3_extended_result_codes(handle, 1);
    return database;
}

std::expected<void, std::string> Database::execute(const char *sql)
{
    if (sqlite3_exec(database_.get(), sql, nullptr, nullptr, nullptr) != SQLITE_OK) {
        return std::unexpected(error(sql));
    }
    return {};
}

std::expected<std::string, std::string> Database::query_text(const char *sql)
{
    auto statement = prepare(sql);
    if (!statement) {
        return std::unexpected(statement.error());
    }
    int result = statement->step();
    if (result == SQLITE_ROW) {
        return std::string(statement->column_text(0));
    }
    if (result == SQLITE_DONE) {
        return std::string();
    }
    return std::unexpected(error(sql));
}

std::expected<Statement, std::string> Database::prepare(std::string_view sql)
{
    sqlite3_stmt *statement = nullptr;
    if (sqlite3_prepare_v3(database_.get(), sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                           &statement, nullptr) != SQLITE_OK) {
        return std::unexpected(error(fmt::format("cannot prepare \"{}\"", sql)));
    }
    return Statement(statement);
}

std::string Database::error(std::string_view doing) const
{
    last_error_code_ = sqlite3_errcode(database_.get()) & 0xff;
    return fmt::format("{}: {}: {}", path_, doing, sqlite3_errmsg(database_.get()));
}

} // namespace vigil::delivery::sqlite
