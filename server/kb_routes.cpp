// Content management over HTTP (role content-manager): articles with their translation status,
// drafts, publish with validation, versions, rollback, diff, "try a question" and the questions
// Loket could not answer.
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "core/locales.hpp"
#include "knowledge/text.hpp"
#include "knowledge/validate.hpp"
#include "server/app.hpp"
#include "store/kb_documents.hpp"
#include "store/outbox.hpp"

namespace server {

using nlohmann::json;
using nlohmann::ordered_json;

namespace {

json ProblemsJson(const std::vector<knowledge::Problem>& problems) {
  json out = json::array();
  for (const auto& p : problems) {
    if (knowledge::IsFailure(p)) out.push_back({{"where", p.where}, {"message", p.message}});
  }
  return out;
}

}  // namespace

core::Result<store::Documents> App::DraftState() {
  store::Documents docs = knowledge_->Current()->documents;
  auto r = store_->Read([&](store::Database& db) -> core::Result<void> {
    auto drafts = store::kb_documents::Drafts(db);
    if (!drafts.ok()) return drafts.error();
    for (auto& [name, body] : *drafts) docs[name] = body;
    return {};
  });
  if (!r.ok()) return r.error();
  return docs;
}

void App::RegisterKbRoutes() {
  http_->Get("/api/v1/kb/articles", [this](const httplib::Request& req, httplib::Response& res) {
    auto p = Authorize(req, "kb");
    if (!p.ok()) return WriteError(res, p.error());
    auto snapshot = knowledge_->Current();
    auto drafts = DraftState();
    if (!drafts.ok()) return WriteError(res, drafts.error());
    std::string today = knowledge::DateFromMs(clock_->NowMs());
    std::string year_ago = std::to_string(std::stoi(today.substr(0, 4)) - 1) + today.substr(4);
    json list = json::array();
    for (const auto& a : snapshot->kb.articles) {
      json missing = json::array(), outdated = json::array();
      for (auto l : core::kLocales) {
        const auto* t = a.Find(std::string(l));
        if (t == nullptr) {
          missing.push_back(std::string(l));
          continue;
        }
        if (!t->from_locale.empty()) {
          const auto* from = a.Find(t->from_locale);
          if (from != nullptr && from->version > t->from_version) outdated.push_back(std::string(l));
        }
      }
      std::string name = "kb/" + a.id + ".json";
      bool draft = drafts->count(name) && drafts->at(name) != snapshot->documents.at(name);
      const auto* en = a.Find("en");
      list.push_back({{"id", a.id}, {"title", en != nullptr ? en->title : a.id}, {"missing", missing}, {"outdated", outdated},
                      {"review_due", a.last_reviewed < year_ago}, {"last_reviewed", a.last_reviewed}, {"draft", draft}});
    }
    WriteJson(res, 200, json{{"articles", list}, {"version", snapshot->version}}.dump());
  });

  http_->Get(R"(/api/v1/kb/articles/([a-z0-9-]+))", [this](const httplib::Request& req, httplib::Response& res) {
    auto p = Authorize(req, "kb");
    if (!p.ok()) return WriteError(res, p.error());
    std::string name = "kb/" + std::string(req.matches[1]) + ".json";
    auto snapshot = knowledge_->Current();
    auto drafts = DraftState();
    if (!drafts.ok()) return WriteError(res, drafts.error());
    auto published = snapshot->documents.find(name);
    if (published == snapshot->documents.end() && !drafts->count(name)) {
      return WriteError(res, 404, "not_found", "no article " + std::string(req.matches[1]));
    }
    json out = {{"article", published == snapshot->documents.end() ? json(nullptr) : json::parse(published->second)}};
    out["draft"] = drafts->count(name) && (published == snapshot->documents.end() || drafts->at(name) != published->second)
                       ? json::parse(drafts->at(name))
                       : json(nullptr);
    WriteJson(res, 200, out.dump(-1, ' ', false, json::error_handler_t::replace));
  });

  http_->Put(R"(/api/v1/kb/articles/([a-z0-9-]+)/draft)", [this](const httplib::Request& req, httplib::Response& res) {
    auto p = Authorize(req, "kb");
    if (!p.ok()) return WriteError(res, p.error());
    auto body = ordered_json::parse(req.body, nullptr, false);
    if (body.is_discarded() || !body.is_object()) return WriteError(res, 400, "malformed_json", "the body must be the article as JSON");
    std::string id = req.matches[1];
    if (body.value("id", "") != id) return WriteError(res, 400, "invalid_argument", "the article's \"id\" must be " + id);
    std::vector<knowledge::Problem> problems;
    auto article = knowledge::ParseArticle(body, "kb/" + id + ".json", problems);
    if (!article) {
      return WriteJson(res, 422, json{{"error", {{"code", "invalid_article"}, {"message", "the article is not well-formed"}}},
                                      {"problems", ProblemsJson(problems)}}.dump());
    }
    std::string text = knowledge::SerializeArticle(*article);
    auto w = store_->Write([&](store::Database& db) -> core::Result<void> {
      auto s = store::kb_documents::SaveDraft(db, "kb/" + id + ".json", text, "staff:" + std::to_string(p->staff.id), clock_->NowMs());
      if (!s.ok()) return s;
      return store::audit::Append(db, clock_->NowMs(), "staff:" + std::to_string(p->staff.id), "kb.draft", id, "");
    });
    if (!w.ok()) return WriteError(res, w.error());
    WriteJson(res, 200, R"({"ok":true})");
  });

  http_->Post("/api/v1/kb/publish", [this](const httplib::Request& req, httplib::Response& res) {
    auto p = Authorize(req, "kb");
    if (!p.ok()) return WriteError(res, p.error());
    auto body = json::parse(req.body.empty() ? "{}" : req.body, nullptr, false);
    std::string note = body.is_object() ? body.value("note", "") : "";
    auto docs = DraftState();
    if (!docs.ok()) return WriteError(res, docs.error());
    std::vector<knowledge::Problem> problems;
    auto version = knowledge_->Publish(*docs, "staff:" + std::to_string(p->staff.id), note, problems);
    if (!version.ok()) {
      if (version.error().code != core::ErrorCode::kInvalidArgument) return WriteError(res, version.error());
      return WriteJson(res, 422, json{{"error", {{"code", "validation_failed"}, {"message", "publishing refused: fix the problems listed"}}},
                                      {"problems", ProblemsJson(problems)}}.dump(-1, ' ', false, json::error_handler_t::replace));
    }
    auto cleared = store_->Write([&](store::Database& db) -> core::Result<void> {
      auto c = store::kb_documents::ClearDrafts(db);
      if (!c.ok()) return c;
      return store::audit::Append(db, clock_->NowMs(), "staff:" + std::to_string(p->staff.id), "kb.publish",
                                  "version:" + std::to_string(*version), note);
    });
    if (!cleared.ok()) return WriteError(res, cleared.error());
    WriteJson(res, 200, json{{"version", *version}}.dump());
  });

  http_->Get("/api/v1/kb/versions", [this](const httplib::Request& req, httplib::Response& res) {
    auto p = Authorize(req, "kb");
    if (!p.ok()) return WriteError(res, p.error());
    std::vector<store::KbRelease> releases;
    auto r = store_->Read([&](store::Database& db) -> core::Result<void> {
      auto list = store::kb_documents::Releases(db);
      if (!list.ok()) return list.error();
      releases = std::move(*list);
      return {};
    });
    if (!r.ok()) return WriteError(res, r.error());
    json out = json::array();
    for (const auto& rel : releases) {
      out.push_back({{"version", rel.version}, {"created_ms", rel.created_ms}, {"author", rel.author}, {"note", rel.note}});
    }
    WriteJson(res, 200, json{{"versions", out}, {"published", knowledge_->Current()->version}}.dump());
  });

  http_->Get("/api/v1/kb/diff", [this](const httplib::Request& req, httplib::Response& res) {
    auto p = Authorize(req, "kb");
    if (!p.ok()) return WriteError(res, p.error());
    int64_t from = 0, to = 0;
    try {
      from = std::stoll(req.get_param_value("from"));
      to = std::stoll(req.get_param_value("to"));
    } catch (...) {
      return WriteError(res, 400, "invalid_argument", "from and to must be version numbers");
    }
    store::Documents a, b;
    auto r = store_->Read([&](store::Database& db) -> core::Result<void> {
      auto da = store::kb_documents::At(db, from);
      auto dbb = store::kb_documents::At(db, to);
      if (!da.ok()) return da.error();
      if (!dbb.ok()) return dbb.error();
      a = std::move(*da);
      b = std::move(*dbb);
      return {};
    });
    if (!r.ok()) return WriteError(res, r.error());
    json changes = json::array();
    std::set<std::string> names;
    for (const auto& [n, t] : a) names.insert(n);
    for (const auto& [n, t] : b) names.insert(n);
    for (const auto& n : names) {
      bool in_a = a.count(n), in_b = b.count(n);
      if (in_a && in_b && a[n] == b[n]) continue;
      json change = {{"document", n}, {"change", !in_a ? "added" : !in_b ? "removed" : "changed"}};
      if (in_a && in_b && n.rfind("kb/", 0) == 0) {
        auto ja = json::parse(a[n], nullptr, false), jb = json::parse(b[n], nullptr, false);
        json fields = json::array();
        if (ja.is_object() && jb.is_object()) {
          for (auto it = jb["translations"].begin(); it != jb["translations"].end(); ++it) {
            const json& old = ja["translations"].value(it.key(), json::object());
            for (auto f = it->begin(); f != it->end(); ++f) {
              if (!old.contains(f.key()) || old[f.key()] != f.value()) {
                fields.push_back({{"locale", it.key()}, {"field", f.key()}, {"before", old.value(f.key(), json())}, {"after", f.value()}});
              }
            }
          }
        }
        change["fields"] = fields;
      }
      changes.push_back(change);
    }
    WriteJson(res, 200, json{{"from", from}, {"to", to}, {"changes", changes}}.dump(-1, ' ', false, json::error_handler_t::replace));
  });

  http_->Post("/api/v1/kb/rollback", [this](const httplib::Request& req, httplib::Response& res) {
    auto p = Authorize(req, "kb");
    if (!p.ok()) return WriteError(res, p.error());
    auto body = json::parse(req.body, nullptr, false);
    if (body.is_discarded() || !body.is_object() || !body.contains("version") || !body["version"].is_number_integer()) {
      return WriteError(res, 400, "invalid_argument", "needs {\"version\": N}");
    }
    int64_t target = body["version"];
    store::Documents docs;
    auto r = store_->Read([&](store::Database& db) -> core::Result<void> {
      auto d = store::kb_documents::At(db, target);
      if (!d.ok()) return d.error();
      docs = std::move(*d);
      return {};
    });
    if (!r.ok()) return WriteError(res, r.error());
    if (docs.empty()) return WriteError(res, 404, "not_found", "no version " + std::to_string(target));
    std::vector<knowledge::Problem> problems;
    auto version = knowledge_->Publish(docs, "staff:" + std::to_string(p->staff.id), "rollback to " + std::to_string(target),
                                       problems, /*strict=*/false);
    if (!version.ok()) return WriteError(res, version.error());
    WriteJson(res, 200, json{{"version", *version}, {"restored", target}}.dump());
  });

  http_->Post("/api/v1/kb/try", [this](const httplib::Request& req, httplib::Response& res) {
    auto p = Authorize(req, "kb");
    if (!p.ok()) return WriteError(res, p.error());
    auto body = json::parse(req.body, nullptr, false);
    if (body.is_discarded() || !body.is_object() || !body.contains("text") || !body["text"].is_string()) {
      return WriteError(res, 400, "invalid_argument", "needs {\"text\": \"...\"}");
    }
    std::shared_ptr<const knowledge::Snapshot> snapshot = knowledge_->Current();
    if (body.value("draft", false)) {
      auto docs = DraftState();
      if (!docs.ok()) return WriteError(res, docs.error());
      snapshot = knowledge::KnowledgeService::BuildSnapshot(*docs, 0, snapshot->index->options());
    }
    knowledge::SearchRequest request;
    request.lang = body.value("lang", "");
    auto result = snapshot->index->Search(body["text"].get<std::string>(), request);
    json ranked = json::array();
    for (const auto& r : result.ranked) ranked.push_back({{"article_id", r.id}, {"score", r.score}});
    WriteJson(res, 200, json{{"lang", result.lang}, {"lang_source", result.lang_source},
                             {"article_id", result.article_id.empty() ? json(nullptr) : json(result.article_id)},
                             {"confidence", result.confidence}, {"alternatives", ranked}, {"draft", body.value("draft", false)}}
                            .dump());
  });

  http_->Get("/api/v1/kb/unanswered", [this](const httplib::Request& req, httplib::Response& res) {
    auto p = Authorize(req, "kb");
    if (!p.ok()) return WriteError(res, p.error());
    // Grouped by language and similar wording (the same words, in any order, after folding).
    struct Group {
      std::string lang, example;
      std::vector<int64_t> ids;
      double confidence = 0;
    };
    std::map<std::string, Group> groups;
    auto r = store_->Read([&](store::Database& db) -> core::Result<void> {
      auto s = store::Statement::Prepare(db, "SELECT id, lang, text, confidence FROM unanswered WHERE status = 'open' ORDER BY id");
      if (!s.ok()) return s.error();
      while (true) {
        auto row = s->Step();
        if (!row.ok()) return row.error();
        if (!*row) break;
        std::string lang = s->Text(1), text = s->Text(2);
        auto words = knowledge::Words(knowledge::Fold(text));
        std::set<std::string> stems;
        // Short function words ("w", "de", "a") do not make wording different.
        for (const auto& w : words) {
          if (knowledge::CodePoints(w) > 2) stems.insert(knowledge::Stem(lang, w));
        }
        std::string key = lang + "|";
        for (const auto& st : stems) key += st + " ";
        Group& g = groups[key];
        g.lang = lang;
        if (g.example.empty()) g.example = text;
        g.ids.push_back(s->Int(0));
        g.confidence = std::max(g.confidence, s->Double(3));
      }
      return {};
    });
    if (!r.ok()) return WriteError(res, r.error());
    std::vector<const Group*> sorted;
    for (const auto& [k, g] : groups) sorted.push_back(&g);
    std::sort(sorted.begin(), sorted.end(), [](const Group* a, const Group* b) { return a->ids.size() > b->ids.size(); });
    json out = json::array();
    for (const auto* g : sorted) {
      out.push_back({{"id", g->ids.front()}, {"ids", g->ids}, {"lang", g->lang}, {"text", g->example},
                     {"count", g->ids.size()}, {"confidence", g->confidence}});
    }
    WriteJson(res, 200, json{{"groups", out}}.dump(-1, ' ', false, json::error_handler_t::replace));
  });

  // One-click actions on an unanswered group: dismiss it, or add its wording as an example question.
  http_->Post(R"(/api/v1/kb/unanswered/(\d+)/(dismiss|add))", [this](const httplib::Request& req, httplib::Response& res) {
    auto p = Authorize(req, "kb");
    if (!p.ok()) return WriteError(res, p.error());
    int64_t id = std::stoll(req.matches[1]);
    std::string action = req.matches[2];
    auto body = json::parse(req.body.empty() ? "{}" : req.body, nullptr, false);
    std::string article_id = body.is_object() ? body.value("article", "") : "";
    std::string text, lang;
    auto r = store_->Read([&](store::Database& db) -> core::Result<void> {
      auto s = store::Statement::Prepare(db, "SELECT text, lang FROM unanswered WHERE id = ?1");
      if (!s.ok()) return s.error();
      s->Bind(1, id);
      auto row = s->Step();
      if (!row.ok()) return row.error();
      if (!*row) return core::MakeError(core::ErrorCode::kNotFound, "no such question");
      text = s->Text(0);
      lang = s->Text(1);
      return {};
    });
    if (!r.ok()) return WriteError(res, r.error());
    std::string draft_text;
    if (action == "add") {
      auto docs = DraftState();
      if (!docs.ok()) return WriteError(res, docs.error());
      std::string name = "kb/" + article_id + ".json";
      if (!docs->count(name)) return WriteError(res, 404, "not_found", "no article " + article_id);
      auto article = ordered_json::parse(docs->at(name));
      if (!article["translations"].contains(lang)) return WriteError(res, 409, "conflict", "the article has no " + lang + " translation");
      article["translations"][lang]["questions"].push_back(text);
      draft_text = knowledge::SerializeJson(article);
    }
    auto w = store_->Write([&](store::Database& db) -> core::Result<void> {
      auto s = store::Statement::Prepare(db, "UPDATE unanswered SET status = ?2 WHERE id = ?1 AND status = 'open'");
      if (!s.ok()) return s.error();
      s->Bind(1, id).Bind(2, action == "add" ? "added" : "dismissed");
      auto u = s->Run();
      if (!u.ok()) return u;
      if (action == "add") {
        auto d = store::kb_documents::SaveDraft(db, "kb/" + article_id + ".json", draft_text,
                                                "staff:" + std::to_string(p->staff.id), clock_->NowMs());
        if (!d.ok()) return d;
      }
      return store::audit::Append(db, clock_->NowMs(), "staff:" + std::to_string(p->staff.id), "kb.unanswered." + action,
                                  std::to_string(id), article_id);
    });
    if (!w.ok()) return WriteError(res, w.error());
    WriteJson(res, 200, R"({"ok":true})");
  });
}

}  // namespace server
