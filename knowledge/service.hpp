#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "knowledge/index.hpp"
#include "knowledge/kb.hpp"
#include "store/store.hpp"

namespace knowledge {

// One published state of the knowledge base and its index. Immutable; shared by readers.
struct Snapshot {
  int64_t version = 0;
  Documents documents;
  KnowledgeBase kb;
  std::shared_ptr<const Index> index;
};

// A translation chosen for a person: theirs, else English, else Dutch.
struct Localized {
  const Translation* translation = nullptr;
  std::string lang;      // the locale of `translation`
  bool fallback = false; // true when it is not the person's language
};
Localized Localize(const Article& article, const std::string& lang);

// Owns the live knowledge base: loads the published release from the database (seeding it from
// the content folder on first start), and publishes new releases, swapping in a freshly built
// index atomically so in-flight questions keep the snapshot they started with. Thread-safe.
class KnowledgeService {
 public:
  KnowledgeService(store::Store& store, core::Clock& clock, IndexOptions options = {});

  // Loads the published release; when the database has none, imports `seed_dir` first (which must
  // then validate). Fails with the validator's first problem, or a store error.
  core::Result<void> Start(const std::string& seed_dir);

  // The current snapshot (never null after a successful Start()).
  std::shared_ptr<const Snapshot> Current() const;

  // Validates `documents` (the complete new state) and publishes them as a new release by `author`.
  // All problems are returned in `problems`. When `strict`, any failure refuses the release with
  // kInvalidArgument and nothing changes; the first-start seed is not strict (problems are logged),
  // so one over-long translation cannot keep the service down.
  core::Result<int64_t> Publish(const Documents& documents, const std::string& author, const std::string& note,
                                std::vector<Problem>& problems, bool strict = true);

  // Builds a snapshot without publishing it (for `kb validate` and drafts).
  static std::shared_ptr<const Snapshot> BuildSnapshot(Documents documents, int64_t version,
                                                       const IndexOptions& options);

 private:
  store::Store& store_;
  core::Clock& clock_;
  IndexOptions options_;
  mutable std::mutex mu_;
  std::shared_ptr<const Snapshot> current_;
  std::mutex publish_mu_;
};

}  // namespace knowledge
