#include "store/migrations.hpp"

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace store {

// Generated from store/migrations/NNNN_name.sql (cmake/embed.cmake), sorted by name.
const std::vector<std::pair<std::string_view, std::string_view>>& EmbeddedMigrations();

namespace {

int NumberOf(std::string_view name) {
  int n = 0;
  for (char ch : name) {
    if (ch < '0' || ch > '9') break;
    n = n * 10 + (ch - '0');
  }
  return n;
}

}  // namespace

int LatestSchemaVersion() {
  int latest = 0;
  for (const auto& [name, sql] : EmbeddedMigrations()) latest = std::max(latest, NumberOf(name));
  return latest;
}

core::Result<int> SchemaVersion(Database& db) {
  auto v = QueryInt(db, "PRAGMA user_version");
  if (!v.ok()) return v.error();
  return static_cast<int>(*v);
}

core::Result<int> Migrate(Database& db) { return MigrateTo(db, LatestSchemaVersion()); }

core::Result<int> MigrateTo(Database& db, int target) {
  auto current = SchemaVersion(db);
  if (!current.ok()) return current.error();
  int latest = LatestSchemaVersion();
  if (*current > latest) {
    return core::MakeError(core::ErrorCode::kConflict,
                           "database schema version " + std::to_string(*current) +
                               " is newer than this Loket supports (" + std::to_string(latest) +
                               "); upgrade Loket or use another database");
  }
  for (const auto& [name, sql] : EmbeddedMigrations()) {
    int number = NumberOf(name);
    if (number <= *current || number > target) continue;
    std::string script = "BEGIN IMMEDIATE;\n" + std::string(sql) +
                         "\nPRAGMA user_version = " + std::to_string(number) + ";\nCOMMIT;";
    auto r = db.Exec(script);
    if (!r.ok()) {
      (void)db.Exec("ROLLBACK");
      return core::MakeError(r.error().code,
                             "migration " + std::string(name) + " failed: " + r.error().message);
    }
    *current = number;
  }
  return *current;
}

}  // namespace store
