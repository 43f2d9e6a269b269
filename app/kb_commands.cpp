// `loket kb …` and `loket ask`: wiring between the CLI, the store and the knowledge module.
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "app/commands.hpp"
#include "core/clock.hpp"
#include "knowledge/service.hpp"
#include "knowledge/validate.hpp"
#include "store/kb_documents.hpp"
#include "store/store.hpp"

namespace app {

namespace {

constexpr int kOk = 0, kFailure = 1, kUsage = 2;

int Fail(const std::string& message) {
  std::cerr << "loket: " << message << "\n";
  return kFailure;
}

int Validate(const std::string& dir) {
  auto documents = knowledge::ReadDirectory(dir);
  if (!documents.ok()) return Fail(documents.error().message);
  std::vector<knowledge::Problem> problems;
  knowledge::KnowledgeBase kb = knowledge::Parse(*documents, problems);
  knowledge::ValidationOptions options;
  options.today = knowledge::DateFromMs(core::SystemClock().NowMs());
  for (auto& p : knowledge::Validate(kb, options)) problems.push_back(std::move(p));
  int failures = 0;
  for (const auto& p : problems) {
    std::cout << p.where << ": " << p.message << "\n";
    failures += knowledge::IsFailure(p) ? 1 : 0;
  }
  size_t translations = 0;
  for (const auto& a : kb.articles) translations += a.translations.size();
  std::cerr << dir << ": " << kb.articles.size() << " articles, " << translations << " translations, "
            << failures << " problems" << "\n";
  return failures == 0 ? kOk : kFailure;
}

int Import(const core::Config& config, const std::string& dir) {
  auto documents = knowledge::ReadDirectory(dir);
  if (!documents.ok()) return Fail(documents.error().message);
  auto store = store::Store::Open(config.db_path);
  if (!store.ok()) return Fail(store.error().message);
  core::SystemClock clock;
  knowledge::KnowledgeService service(**store, clock);
  std::vector<knowledge::Problem> problems;
  auto version = service.Publish(*documents, "cli", "kb import " + dir, problems);
  if (!version.ok()) {
    for (const auto& p : problems) {
      if (knowledge::IsFailure(p)) std::cerr << p.where << ": " << p.message << "\n";
    }
    return Fail("import refused: the content does not validate");
  }
  std::cout << "imported " << documents->size() << " documents as release " << *version << "\n";
  return kOk;
}

int Export(const core::Config& config, const std::string& dir) {
  auto store = store::Store::Open(config.db_path);
  if (!store.ok()) return Fail(store.error().message);
  store::Documents documents;
  int64_t version = 0;
  auto r = (*store)->Read([&](store::Database& db) -> core::Result<void> {
    auto v = store::kb_documents::Published(db);
    if (!v.ok()) return v.error();
    version = *v;
    auto docs = store::kb_documents::At(db, version);
    if (!docs.ok()) return docs.error();
    documents = std::move(*docs);
    return {};
  });
  if (!r.ok()) return Fail(r.error().message);
  if (version == 0) return Fail("the database holds no knowledge base yet (run `loket kb import DIR`)");
  auto w = knowledge::WriteDirectory(documents, dir);
  if (!w.ok()) return Fail(w.error().message);
  std::cout << "exported release " << version << " (" << documents.size() << " documents) to " << dir << "\n";
  return kOk;
}

nlohmann::json ResultJson(const knowledge::Snapshot& snapshot, const knowledge::SearchResult& r) {
  nlohmann::json out;
  out["lang"] = r.lang;
  out["lang_source"] = r.lang_source;
  out["article_id"] = r.article_id.empty() ? nlohmann::json(nullptr) : nlohmann::json(r.article_id);
  out["confidence"] = std::round(r.confidence * 1000) / 1000;
  out["suggestions"] = r.suggestions;
  std::string answer;
  if (!r.article_id.empty()) {
    if (const auto* article = snapshot.kb.FindArticle(r.article_id)) {
      auto localized = knowledge::Localize(*article, r.lang);
      if (localized.translation != nullptr) {
        answer = localized.translation->answer;
        out["answer_lang"] = localized.lang;
      }
    }
  }
  out["answer"] = answer;
  return out;
}

}  // namespace

int RunKb(const core::Config& config, const std::vector<std::string>& args) {
  if (args.empty()) {
    std::cerr << "usage: loket kb validate [DIR] | kb import DIR | kb export DIR\n";
    return kUsage;
  }
  const std::string& sub = args[0];
  if (sub == "validate" && args.size() <= 2) return Validate(args.size() == 2 ? args[1] : config.content_dir);
  if (sub == "import" && args.size() == 2) return Import(config, args[1]);
  if (sub == "export" && args.size() == 2) return Export(config, args[1]);
  std::cerr << "usage: loket kb validate [DIR] | kb import DIR | kb export DIR\n";
  return kUsage;
}

int RunAsk(const core::Config& config, const std::vector<std::string>& args) {
  std::string lang, text;
  bool json = false, batch = false;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--lang" && i + 1 < args.size()) {
      lang = args[++i];
    } else if (args[i] == "--json") {
      json = true;
    } else if (args[i] == "--batch") {
      batch = true;
    } else if (args[i].rfind("--", 0) == 0) {
      std::cerr << "loket ask: unknown option " << args[i] << "\n";
      return kUsage;
    } else {
      text += (text.empty() ? "" : " ") + args[i];
    }
  }
  if (batch && !json) {
    std::cerr << "loket ask: --batch needs --json\n";
    return kUsage;
  }
  if (!batch && text.empty()) {
    std::cerr << "usage: loket ask [--lang xx] [--json] TEXT\n";
    return kUsage;
  }
  auto store = store::Store::Open(config.db_path);
  if (!store.ok()) return Fail(store.error().message);
  core::SystemClock clock;
  knowledge::KnowledgeService service(**store, clock);
  auto started = service.Start(config.content_dir);
  if (!started.ok()) return Fail(started.error().message);
  auto snapshot = service.Current();
  if (!batch) {
    knowledge::SearchRequest request;
    request.lang = lang;
    auto result = snapshot->index->Search(text, request);
    auto out = ResultJson(*snapshot, result);
    if (json) {
      std::cout << out.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
    } else {
      std::cout << "[" << result.lang << ", " << result.lang_source << "] ";
      if (result.article_id.empty()) {
        std::cout << "not sure (confidence " << result.confidence << "); closest:";
        for (const auto& s : result.suggestions) std::cout << " " << s;
        std::cout << "\n";
      } else {
        std::cout << result.article_id << " (confidence " << result.confidence << ")\n\n"
                  << out["answer"].get<std::string>() << "\n";
      }
    }
    return kOk;
  }
  std::string line;
  int line_no = 0;
  while (std::getline(std::cin, line)) {
    ++line_no;
    if (line.empty()) continue;
    auto in = nlohmann::json::parse(line, nullptr, false);
    if (in.is_discarded() || !in.is_object() || !in.contains("text") || !in["text"].is_string()) {
      std::cout << nlohmann::json{{"error", "line " + std::to_string(line_no) + ": needs {\"text\": ...}"}}.dump() << "\n";
      continue;
    }
    knowledge::SearchRequest request;
    request.lang = in.value("lang", lang);
    auto result = snapshot->index->Search(in["text"].get<std::string>(), request);
    std::cout << ResultJson(*snapshot, result).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  }
  return kOk;
}

}  // namespace app
