#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/result.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace store {

// One SQLite connection. Not thread-safe: one thread uses a connection at a time (the Writer owns
// one; readers borrow from a ReaderPool).
class Database {
 public:
  enum class Mode { kReadWrite, kReadOnly };

  // Opens (creating if needed, in read-write mode) the database at `path` (":memory:" allowed),
  // in WAL mode with synchronous=FULL and foreign keys on. Fails with kUnavailable when the file
  // cannot be opened.
  static core::Result<Database> Open(const std::string& path, Mode mode = Mode::kReadWrite);

  Database(Database&& other) noexcept;
  Database& operator=(Database&& other) noexcept;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database();

  // Runs one or more statements without results.
  core::Result<void> Exec(std::string_view sql);
  sqlite3* raw() const { return db_; }
  int64_t LastInsertId() const;
  int Changes() const;
  // False after SQLite rolled back the open transaction by itself (e.g. on SQLITE_FULL).
  bool InTransaction() const;
  const std::string& path() const { return path_; }

 private:
  Database(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}
  sqlite3* db_ = nullptr;
  std::string path_;
};

// Maps a SQLite result code to an Error: SQLITE_FULL, SQLITE_BUSY, SQLITE_LOCKED, SQLITE_IOERR →
// kUnavailable (the request may be retried), constraint violations → kConflict, else kInternal.
core::Error SqliteError(sqlite3* db, int rc, std::string_view what);

// A prepared statement with positional binds (1-based). Not thread-safe.
class Statement {
 public:
  static core::Result<Statement> Prepare(Database& db, std::string_view sql);
  Statement(Statement&& other) noexcept;
  Statement& operator=(Statement&&) = delete;
  Statement(const Statement&) = delete;
  ~Statement();

  Statement& Bind(int index, int64_t value);
  Statement& Bind(int index, int value) { return Bind(index, static_cast<int64_t>(value)); }
  Statement& Bind(int index, double value);
  Statement& Bind(int index, std::string_view value);
  Statement& Bind(int index, const char* value) { return Bind(index, std::string_view(value)); }
  Statement& Bind(int index, const std::string& value) { return Bind(index, std::string_view(value)); }
  Statement& Bind(int index, const std::optional<std::string>& value);
  Statement& BindNull(int index);

  // Steps once. Returns true when a row is available, false when done; errors become Error.
  core::Result<bool> Step();
  // Steps to completion, for statements without results.
  core::Result<void> Run();
  core::Result<void> Reset();

  int64_t Int(int col) const;
  double Double(int col) const;
  std::string Text(int col) const;
  std::optional<std::string> OptText(int col) const;
  bool IsNull(int col) const;

 private:
  Statement(sqlite3* db, sqlite3_stmt* stmt) : db_(db), stmt_(stmt) {}
  sqlite3* db_;
  sqlite3_stmt* stmt_;
  int bind_error_ = 0;
};

// Runs `sql` (one statement, binds none) and returns the first column of the first row as int.
core::Result<int64_t> QueryInt(Database& db, std::string_view sql);

}  // namespace store
