#pragma once

#include "core/result.hpp"
#include "store/database.hpp"

namespace store {

// The schema version this binary knows (the number of the newest embedded migration).
int LatestSchemaVersion();

// Applies every embedded migration newer than the database's `user_version`, each in its own
// transaction. Fails with kConflict when the database comes from a newer Loket (its version is
// higher than LatestSchemaVersion()), leaving it untouched.
core::Result<int> Migrate(Database& db);
// The same, stopping at schema version `target` (for tests that need an older database).
core::Result<int> MigrateTo(Database& db, int target);

// The database's current schema version (0 = empty).
core::Result<int> SchemaVersion(Database& db);

}  // namespace store
