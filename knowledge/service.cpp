#include "knowledge/service.hpp"

#include "core/log.hpp"
#include "knowledge/validate.hpp"
#include "store/kb_documents.hpp"

namespace knowledge {

Localized Localize(const Article& article, const std::string& lang) {
  for (const std::string& l : {lang, std::string("en"), std::string("nl")}) {
    if (const Translation* t = article.Find(l)) return {t, l, l != lang};
  }
  if (!article.translations.empty()) {
    const auto& [l, t] = *article.translations.begin();
    return {&t, l, true};
  }
  return {};
}

KnowledgeService::KnowledgeService(store::Store& store, core::Clock& clock, IndexOptions options)
    : store_(store), clock_(clock), options_(options) {}

std::shared_ptr<const Snapshot> KnowledgeService::BuildSnapshot(Documents documents, int64_t version,
                                                                const IndexOptions& options) {
  auto snapshot = std::make_shared<Snapshot>();
  snapshot->version = version;
  std::vector<Problem> problems;
  snapshot->kb = Parse(documents, problems);
  snapshot->documents = std::move(documents);
  snapshot->index = Index::Build(snapshot->kb, options);
  return snapshot;
}

std::shared_ptr<const Snapshot> KnowledgeService::Current() const {
  std::lock_guard<std::mutex> lock(mu_);
  return current_;
}

core::Result<void> KnowledgeService::Start(const std::string& seed_dir) {
  int64_t version = 0;
  Documents documents;
  auto read = store_.Read([&](store::Database& db) -> core::Result<void> {
    auto v = store::kb_documents::Published(db);
    if (!v.ok()) return v.error();
    version = *v;
    if (version == 0) return {};
    auto docs = store::kb_documents::At(db, version);
    if (!docs.ok()) return docs.error();
    documents = std::move(*docs);
    return {};
  });
  if (!read.ok()) return read.error();
  if (version == 0) {
    auto seed = ReadDirectory(seed_dir);
    if (!seed.ok()) return seed.error();
    std::vector<Problem> problems;
    auto published = Publish(*seed, "seed", "imported from " + seed_dir, problems, /*strict=*/false);
    if (!published.ok()) return published.error();
    for (const auto& p : problems) {
      if (IsFailure(p)) core::LogWarn("knowledge_problem", {{"where", p.where}, {"problem", p.message}});
    }
    core::LogInfo("knowledge_seeded", {{"version", *published}, {"documents", seed->size()}});
    return {};
  }
  auto snapshot = BuildSnapshot(std::move(documents), version, options_);
  std::lock_guard<std::mutex> lock(mu_);
  current_ = std::move(snapshot);
  return {};
}

core::Result<int64_t> KnowledgeService::Publish(const Documents& documents, const std::string& author,
                                                const std::string& note, std::vector<Problem>& problems,
                                                bool strict) {
  std::lock_guard<std::mutex> publishing(publish_mu_);
  KnowledgeBase kb = Parse(documents, problems);
  ValidationOptions vo;
  vo.today = DateFromMs(clock_.NowMs());
  for (auto& p : Validate(kb, vo)) problems.push_back(std::move(p));
  for (const auto& p : problems) {
    if (IsFailure(p) && strict) {
      return core::MakeError(core::ErrorCode::kInvalidArgument, p.where + ": " + p.message);
    }
  }
  int64_t version = 0;
  auto written = store_.Write([&](store::Database& db) -> core::Result<void> {
    auto v = store::kb_documents::Publish(db, documents, author, note, clock_.NowMs());
    if (!v.ok()) return v.error();
    version = *v;
    return {};
  });
  if (!written.ok()) return written.error();
  auto snapshot = BuildSnapshot(documents, version, options_);
  {
    std::lock_guard<std::mutex> lock(mu_);
    current_ = std::move(snapshot);
  }
  return version;
}

}  // namespace knowledge
