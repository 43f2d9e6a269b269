#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "store/database.hpp"

namespace store {

// Knowledge-base documents by name ("kb/bsn.json", "desks.json") → file text.
using Documents = std::map<std::string, std::string>;

struct KbRelease {
  int64_t version = 0;
  int64_t created_ms = 0;
  std::string author;
  std::string note;
};

namespace kb_documents {

// The published release number (0 when nothing was ever published).
core::Result<int64_t> Published(Database& db);
// All documents as they are at `version`.
core::Result<Documents> At(Database& db, int64_t version);
// Records a new release holding `documents` (the complete new state: names missing from it are
// removed), stores only what changed, and makes it the published one. Returns its number.
core::Result<int64_t> Publish(Database& db, const Documents& documents, const std::string& author,
                              const std::string& note, int64_t now_ms);
core::Result<std::vector<KbRelease>> Releases(Database& db);
// Drafts: edited documents not yet published.
core::Result<void> SaveDraft(Database& db, const std::string& name, const std::string& body, const std::string& author,
                             int64_t now_ms);
core::Result<Documents> Drafts(Database& db);
core::Result<void> ClearDrafts(Database& db);

}  // namespace kb_documents
}  // namespace store
