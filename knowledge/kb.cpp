#include "knowledge/kb.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/locales.hpp"

namespace knowledge {

using nlohmann::ordered_json;
namespace fs = std::filesystem;

const Translation* Article::Find(const std::string& locale) const {
  auto it = translations.find(locale);
  return it == translations.end() ? nullptr : &it->second;
}

const Article* KnowledgeBase::FindArticle(const std::string& id) const {
  auto it = std::lower_bound(articles.begin(), articles.end(), id,
                             [](const Article& a, const std::string& key) { return a.id < key; });
  return it != articles.end() && it->id == id ? &*it : nullptr;
}

namespace {

// Reads typed fields from a JSON object, recording every problem instead of throwing.
class FieldReader {
 public:
  FieldReader(const ordered_json& obj, std::string where, std::vector<Problem>& problems)
      : obj_(obj), where_(std::move(where)), problems_(problems) {}

  std::string String(const char* key, bool required = true) {
    auto it = obj_.find(key);
    if (it == obj_.end()) {
      if (required) Report(std::string("missing field \"") + key + "\"");
      return {};
    }
    if (!it->is_string()) {
      Report(std::string("field \"") + key + "\" must be a string");
      return {};
    }
    return it->get<std::string>();
  }

  int Int(const char* key) {
    auto it = obj_.find(key);
    if (it == obj_.end() || !it->is_number_integer()) {
      Report(std::string("field \"") + key + "\" must be an integer");
      return 0;
    }
    return it->get<int>();
  }

  std::vector<std::string> Strings(const char* key, bool required = true) {
    std::vector<std::string> out;
    auto it = obj_.find(key);
    if (it == obj_.end()) {
      if (required) Report(std::string("missing field \"") + key + "\"");
      return out;
    }
    if (!it->is_array()) {
      Report(std::string("field \"") + key + "\" must be a list of strings");
      return out;
    }
    for (const auto& v : *it) {
      if (!v.is_string()) {
        Report(std::string("field \"") + key + "\" must contain only strings");
        continue;
      }
      out.push_back(v.get<std::string>());
    }
    return out;
  }

  void Report(const std::string& message) { problems_.push_back({where_, message}); ok_ = false; }
  bool ok() const { return ok_; }

 private:
  const ordered_json& obj_;
  std::string where_;
  std::vector<Problem>& problems_;
  bool ok_ = true;
};

std::string ReadFile(const fs::path& path, bool& ok) {
  std::ifstream in(path, std::ios::binary);
  ok = static_cast<bool>(in);
  std::stringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

ordered_json ToJson(const Article& a) {
  ordered_json j = ordered_json::object();
  j["id"] = a.id;
  j["source_locale"] = a.source_locale;
  j["audiences"] = a.audiences;
  j["regions"] = a.regions;
  j["related"] = a.related;
  j["organisations"] = a.organisations;
  j["desks"] = a.desks;
  ordered_json sources = ordered_json::array();
  for (const auto& s : a.sources) {
    ordered_json src = ordered_json::object();
    src["title"] = s.title;
    src["url"] = s.url;
    sources.push_back(src);
  }
  j["sources"] = sources;
  j["last_reviewed"] = a.last_reviewed;
  ordered_json translations = ordered_json::object();
  // Required locales first in their fixed order, then any others alphabetically.
  std::vector<std::string> order;
  for (auto l : core::kLocales) {
    if (a.translations.count(std::string(l))) order.emplace_back(l);
  }
  for (const auto& [l, t] : a.translations) {
    if (!core::IsLocale(l)) order.push_back(l);
  }
  for (const auto& l : order) {
    const Translation& t = a.translations.at(l);
    ordered_json tj = ordered_json::object();
    tj["version"] = t.version;
    if (!t.from_locale.empty()) {
      ordered_json from = ordered_json::object();
      from["locale"] = t.from_locale;
      from["version"] = t.from_version;
      tj["translated_from"] = from;
    }
    tj["title"] = t.title;
    tj["answer"] = t.answer;
    tj["body"] = t.body;
    tj["questions"] = t.questions;
    tj["keywords"] = t.keywords;
    translations[l] = tj;
  }
  j["translations"] = translations;
  return j;
}

}  // namespace

std::optional<Article> ParseArticle(const ordered_json& json, const std::string& where,
                                    std::vector<Problem>& problems) {
  if (!json.is_object()) {
    problems.push_back({where, "an article must be a JSON object"});
    return std::nullopt;
  }
  static const std::vector<std::string> kKnown = {"id", "source_locale", "audiences", "regions", "related",
                                                  "organisations", "desks", "sources", "last_reviewed",
                                                  "translations"};
  FieldReader r(json, where, problems);
  for (auto it = json.begin(); it != json.end(); ++it) {
    if (std::find(kKnown.begin(), kKnown.end(), it.key()) == kKnown.end()) {
      r.Report("unknown field \"" + it.key() + "\"");
    }
  }
  Article a;
  a.id = r.String("id");
  a.source_locale = r.String("source_locale");
  a.audiences = r.Strings("audiences");
  a.regions = r.Strings("regions", false);
  a.related = r.Strings("related", false);
  a.organisations = r.Strings("organisations", false);
  a.desks = r.Strings("desks", false);
  a.last_reviewed = r.String("last_reviewed");
  auto sources = json.find("sources");
  if (sources == json.end() || !sources->is_array()) {
    r.Report("field \"sources\" must be a list of {title, url}");
  } else {
    for (const auto& s : *sources) {
      if (!s.is_object()) {
        r.Report("each source must be an object {title, url}");
        continue;
      }
      FieldReader sr(s, where, problems);
      a.sources.push_back({sr.String("title"), sr.String("url")});
      if (!sr.ok()) r.Report("a source is incomplete");
    }
  }
  auto translations = json.find("translations");
  if (translations == json.end() || !translations->is_object()) {
    r.Report("field \"translations\" must be an object keyed by locale");
  } else {
    for (auto it = translations->begin(); it != translations->end(); ++it) {
      std::string tw = where + ": " + it.key();
      if (!it->is_object()) {
        problems.push_back({tw, "a translation must be an object"});
        continue;
      }
      FieldReader tr(*it, tw, problems);
      static const std::vector<std::string> kTKnown = {"version", "translated_from", "title", "answer",
                                                       "body", "questions", "keywords"};
      for (auto f = it->begin(); f != it->end(); ++f) {
        if (std::find(kTKnown.begin(), kTKnown.end(), f.key()) == kTKnown.end()) {
          tr.Report("unknown field \"" + f.key() + "\"");
        }
      }
      Translation t;
      t.version = tr.Int("version");
      auto from = it->find("translated_from");
      if (from != it->end()) {
        if (!from->is_object()) {
          tr.Report("\"translated_from\" must be {locale, version}");
        } else {
          FieldReader fr(*from, tw, problems);
          t.from_locale = fr.String("locale");
          t.from_version = fr.Int("version");
        }
      }
      t.title = tr.String("title");
      t.answer = tr.String("answer");
      t.body = tr.String("body");
      t.questions = tr.Strings("questions");
      t.keywords = tr.Strings("keywords");
      a.translations[it.key()] = std::move(t);
    }
  }
  if (!r.ok()) return std::nullopt;
  return a;
}

std::string SerializeJson(const ordered_json& json) {
  return json.dump(2, ' ', false, ordered_json::error_handler_t::replace) + "\n";
}

std::string SerializeArticle(const Article& article) { return SerializeJson(ToJson(article)); }

core::Result<Documents> ReadDirectory(const std::string& dir) {
  Documents documents;
  fs::path kb_dir = fs::path(dir) / "kb";
  std::error_code ec;
  if (!fs::is_directory(kb_dir, ec)) {
    return core::MakeError(core::ErrorCode::kNotFound, "no knowledge base folder at " + kb_dir.string());
  }
  for (const auto& entry : fs::directory_iterator(kb_dir, ec)) {
    if (!entry.is_regular_file() || entry.path().extension() != ".json") continue;
    bool ok = false;
    std::string text = ReadFile(entry.path(), ok);
    if (!ok) return core::MakeError(core::ErrorCode::kUnavailable, "cannot read " + entry.path().string());
    documents["kb/" + entry.path().filename().string()] = std::move(text);
  }
  for (const char* name : {"desks.json", "organisations.json", "topics.json", "out-of-scope.json"}) {
    fs::path path = fs::path(dir) / name;
    if (!fs::exists(path, ec)) continue;
    bool ok = false;
    std::string text = ReadFile(path, ok);
    if (!ok) return core::MakeError(core::ErrorCode::kUnavailable, "cannot read " + path.string());
    documents[name] = std::move(text);
  }
  return documents;
}

KnowledgeBase Parse(const Documents& documents, std::vector<Problem>& problems) {
  KnowledgeBase kb;
  for (const auto& [name, text] : documents) {
    auto json = ordered_json::parse(text, nullptr, false);
    if (json.is_discarded()) {
      problems.push_back({name, "not valid JSON"});
      continue;
    }
    if (name.rfind("kb/", 0) == 0) {
      auto article = ParseArticle(json, name, problems);
      if (!article) continue;
      std::string stem = name.substr(3, name.size() - 3 - 5);
      if (article->id != stem) {
        problems.push_back({name, "the id \"" + article->id + "\" does not match the file name"});
      }
      if (SerializeArticle(*article) != text) {
        problems.push_back({name, "not in canonical form (key order, 2-space indent, trailing newline)"});
      }
      kb.articles.push_back(std::move(*article));
    } else if (!json.is_object()) {
      problems.push_back({name, "must be a JSON object"});
    } else if (name == "desks.json") {
      kb.desks = std::move(json);
    } else if (name == "organisations.json") {
      kb.organisations = std::move(json);
    } else if (name == "topics.json") {
      kb.topics = std::move(json);
    } else if (name == "out-of-scope.json") {
      kb.out_of_scope = std::move(json);
    } else {
      problems.push_back({name, "unknown document"});
    }
  }
  std::sort(kb.articles.begin(), kb.articles.end(), [](const Article& a, const Article& b) { return a.id < b.id; });
  return kb;
}

core::Result<void> WriteDirectory(const Documents& documents, const std::string& dir) {
  std::error_code ec;
  fs::path kb_dir = fs::path(dir) / "kb";
  fs::create_directories(kb_dir, ec);
  if (ec) return core::MakeError(core::ErrorCode::kUnavailable, "cannot create " + kb_dir.string() + ": " + ec.message());
  for (const auto& entry : fs::directory_iterator(kb_dir, ec)) {
    if (entry.path().extension() == ".json" && !documents.count("kb/" + entry.path().filename().string())) {
      fs::remove(entry.path(), ec);
    }
  }
  for (const auto& [name, text] : documents) {
    fs::path path = fs::path(dir) / name;
    fs::path tmp = path;
    tmp += ".tmp";
    {
      std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
      out << text;
      out.flush();
      if (!out) return core::MakeError(core::ErrorCode::kUnavailable, "cannot write " + path.string());
    }
    fs::rename(tmp, path, ec);
    if (ec) return core::MakeError(core::ErrorCode::kUnavailable, "cannot write " + path.string() + ": " + ec.message());
  }
  return {};
}

}  // namespace knowledge
