#include <catch2/catch.hpp>

#include "store/database.hpp"
#include "store/migrations.hpp"
#include "store/store.hpp"
#include "tests/fakes/temp_dir.hpp"

TEST_CASE("a fresh database is migrated to the latest schema", "[store][migrations]") {
  fakes::TempDir dir;
  auto store = store::Store::Open(dir.Path("fresh.db"));
  REQUIRE(store.ok());
  CHECK((*store)->schema_version() == store::LatestSchemaVersion());
  CHECK(store::LatestSchemaVersion() >= 1);
}

TEST_CASE("an older database is upgraded and keeps its data", "[store][migrations]") {
  fakes::TempDir dir;
  std::string path = dir.Path("old.db");
  {
    // A database as an earlier Loket left it: schema version 1 with a conversation in it.
    auto db = store::Database::Open(path);
    REQUIRE(db.ok());
    REQUIRE(*store::MigrateTo(*db, 1) == 1);
    REQUIRE(db->Exec("INSERT INTO conversation (channel, address, created_ms, updated_ms) VALUES ('webchat', 'a', 1, 1)").ok());
  }
  auto db = store::Database::Open(path);
  REQUIRE(db.ok());
  auto migrated = store::Migrate(*db);
  REQUIRE(migrated.ok());
  CHECK(*migrated == store::LatestSchemaVersion());
  auto count = store::QueryInt(*db, "SELECT COUNT(*) FROM conversation");
  REQUIRE(count.ok());
  CHECK(*count == 1);
  CHECK(store::QueryInt(*db, "SELECT COUNT(*) FROM kb_release").ok());  // version 2's tables exist
  // Migrating again changes nothing.
  auto again = store::Migrate(*db);
  REQUIRE(again.ok());
  CHECK(*again == store::LatestSchemaVersion());
}

TEST_CASE("a database from a newer Loket is refused and left untouched", "[store][migrations]") {
  fakes::TempDir dir;
  std::string path = dir.Path("newer.db");
  int future = store::LatestSchemaVersion() + 7;
  {
    auto db = store::Database::Open(path);
    REQUIRE(db.ok());
    REQUIRE(db->Exec("CREATE TABLE from_the_future (x); PRAGMA user_version = " + std::to_string(future)).ok());
  }
  auto store = store::Store::Open(path);
  REQUIRE_FALSE(store.ok());
  CHECK(store.error().code == core::ErrorCode::kConflict);
  CHECK_THAT(store.error().message, Catch::Contains("newer"));
  auto db = store::Database::Open(path);
  REQUIRE(db.ok());
  auto version = store::SchemaVersion(*db);
  REQUIRE(version.ok());
  CHECK(*version == future);
}
