#include "knowledge/validate.hpp"

#include <ctime>
#include <map>
#include <set>

#include "core/locales.hpp"
#include "core/time_format.hpp"
#include "knowledge/text.hpp"

namespace knowledge {

namespace {

using nlohmann::ordered_json;

bool ValidDate(const std::string& d) {
  if (d.size() != 10 || d[4] != '-' || d[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (d[i] < '0' || d[i] > '9') return false;
  }
  int month = std::stoi(d.substr(5, 2)), day = std::stoi(d.substr(8, 2));
  return month >= 1 && month <= 12 && day >= 1 && day <= 31;
}

std::string YearBefore(const std::string& today) {
  if (!ValidDate(today)) return "";
  return std::to_string(std::stoi(today.substr(0, 4)) - 1) + today.substr(4);
}

std::set<std::string> IdsOf(const ordered_json& doc, const char* list_key) {
  std::set<std::string> ids;
  if (!doc.is_object()) return ids;
  auto it = doc.find(list_key);
  if (it == doc.end() || !it->is_array()) return ids;
  for (const auto& e : *it) {
    if (e.is_object() && e.contains("id") && e["id"].is_string()) ids.insert(e["id"].get<std::string>());
  }
  return ids;
}

std::vector<std::string> RequiredLocales(const KnowledgeBase& kb) {
  std::vector<std::string> out;
  if (kb.topics.is_object() && kb.topics.contains("required_locales") && kb.topics["required_locales"].is_array()) {
    for (const auto& l : kb.topics["required_locales"]) {
      if (l.is_string()) out.push_back(l.get<std::string>());
    }
  }
  if (out.empty()) {
    for (auto l : core::kLocales) out.emplace_back(l);
  }
  return out;
}

bool HasMarkdown(const std::string& text) {
  if (text.find("**") != std::string::npos || text.find("__") != std::string::npos) return true;
  if (text.find("](") != std::string::npos) return true;
  size_t pos = 0;
  while (pos < text.size()) {
    if ((text[pos] == '#' || text[pos] == '*') && pos + 1 < text.size() && text[pos + 1] == ' ') return true;
    pos = text.find('\n', pos);
    if (pos == std::string::npos) break;
    ++pos;
  }
  return false;
}

void ValidateDesks(const KnowledgeBase& kb, std::vector<Problem>& problems) {
  const char* where = "desks.json";
  if (!kb.desks.is_object()) {
    problems.push_back({where, "missing: the desks and municipalities file is required"});
    return;
  }
  std::set<std::string> regions = IdsOf(kb.desks, "regions");
  if (regions.empty()) problems.push_back({where, "no labour-market regions"});
  std::map<std::string, std::set<std::string>> kinds;  // kind → regions covered ("" = all)
  std::set<std::string> seen;
  if (!kb.desks.contains("desks") || !kb.desks["desks"].is_array()) {
    problems.push_back({where, "\"desks\" must be a list"});
  } else {
    for (const auto& d : kb.desks["desks"]) {
      std::string id = d.value("id", "");
      std::string w = std::string(where) + ": " + (id.empty() ? "?" : id);
      if (id.empty()) problems.push_back({w, "a desk without an id"});
      if (!seen.insert(id).second) problems.push_back({w, "duplicate desk id"});
      if (!d.contains("name") || !d["name"].is_string()) problems.push_back({w, "missing name"});
      if (!d.contains("contact") || !d["contact"].is_object() || d["contact"].empty()) {
        problems.push_back({w, "missing contact"});
      }
      if (!d.contains("serves") || !d["serves"].is_array() || d["serves"].empty()) {
        problems.push_back({w, "missing \"serves\""});
      }
      std::string kind = d.value("kind", "");
      if (kind.empty()) problems.push_back({w, "missing kind"});
      if (d.contains("regions") && d["regions"].is_array()) {
        if (d["regions"].empty()) kinds[kind].insert("");
        for (const auto& r : d["regions"]) {
          std::string rid = r.is_string() ? r.get<std::string>() : "";
          if (!regions.count(rid)) problems.push_back({w, "unknown region \"" + rid + "\""});
          kinds[kind].insert(rid);
        }
      } else {
        kinds[kind].insert("");
      }
      if (d.contains("description") && d["description"].is_object()) {
        for (const auto& l : RequiredLocales(kb)) {
          if (!d["description"].contains(l)) problems.push_back({w, "description missing locale " + l});
        }
      } else {
        problems.push_back({w, "missing description"});
      }
    }
  }
  for (const auto& r : regions) {
    if (!kinds["win"].count(r) && !kinds["win"].count("")) {
      problems.push_back({where, "no WIN desk for region " + r});
    }
  }
  if (kinds["hecs"].empty()) problems.push_back({where, "no Holland Expat Center South desk (kind hecs)"});
  if (kinds["gip"].empty()) problems.push_back({where, "no cross-border information point (kind gip)"});
  if (!kb.desks.contains("municipalities") || !kb.desks["municipalities"].is_array() ||
      kb.desks["municipalities"].empty()) {
    problems.push_back({where, "no municipalities: status-holder routing and region lookup need them"});
    return;
  }
  std::map<std::string, std::string> names;  // folded alias → municipality
  for (const auto& m : kb.desks["municipalities"]) {
    std::string id = m.value("id", "");
    std::string w = std::string(where) + ": municipality " + (id.empty() ? "?" : id);
    if (id.empty() || !m.contains("name")) problems.push_back({w, "needs id and name"});
    if (!regions.count(m.value("region", ""))) problems.push_back({w, "unknown region \"" + m.value("region", "") + "\""});
    if (!m.contains("contact") || !m["contact"].is_object()) problems.push_back({w, "missing contact"});
    for (const auto& alias : m.value("aliases", ordered_json::array())) {
      if (!alias.is_string()) continue;
      std::string f = Fold(alias.get<std::string>());
      auto [it, fresh] = names.emplace(f, id);
      if (!fresh && it->second != id) {
        problems.push_back({w, "alias \"" + alias.get<std::string>() + "\" also names municipality " + it->second});
      }
    }
  }
}

void ValidateOrganisations(const KnowledgeBase& kb, std::vector<Problem>& problems) {
  const char* where = "organisations.json";
  if (!kb.organisations.is_object() || !kb.organisations.contains("organisations") ||
      !kb.organisations["organisations"].is_array()) {
    problems.push_back({where, "missing: the organisations file is required"});
    return;
  }
  std::set<std::string> seen;
  for (const auto& o : kb.organisations["organisations"]) {
    std::string id = o.value("id", "");
    std::string w = std::string(where) + ": " + (id.empty() ? "?" : id);
    if (id.empty() || !seen.insert(id).second) problems.push_back({w, "missing or duplicate id"});
    if (!o.contains("name") || !o["name"].is_string()) problems.push_back({w, "missing name"});
    if (!o.contains("contact") || !o["contact"].is_object()) problems.push_back({w, "missing contact"});
    if (!o.contains("description") || !o["description"].is_object()) {
      problems.push_back({w, "missing description"});
      continue;
    }
    for (const auto& l : RequiredLocales(kb)) {
      if (!o["description"].contains(l)) problems.push_back({w, "description missing locale " + l});
    }
  }
}

}  // namespace

bool IsFailure(const Problem& problem) { return problem.message.rfind("warning: ", 0) != 0; }

std::string DateFromMs(int64_t ms) { return core::FormatUtc(ms, "%Y-%m-%d"); }

std::vector<Problem> Validate(const KnowledgeBase& kb, const ValidationOptions& options) {
  std::vector<Problem> problems;
  std::vector<std::string> locales = RequiredLocales(kb);
  std::set<std::string> audiences;
  if (kb.topics.is_object() && kb.topics.contains("audiences")) {
    for (const auto& a : kb.topics["audiences"]) {
      if (a.is_string()) audiences.insert(a.get<std::string>());
    }
  }
  std::set<std::string> organisations = IdsOf(kb.organisations, "organisations");
  std::set<std::string> desks = IdsOf(kb.desks, "desks");
  std::set<std::string> regions = IdsOf(kb.desks, "regions");
  std::string cutoff = YearBefore(options.today);

  if (!kb.topics.is_object()) {
    problems.push_back({"topics.json", "missing: the list of required topics"});
  } else if (kb.topics.contains("topics") && kb.topics["topics"].is_array()) {
    for (const auto& t : kb.topics["topics"]) {
      std::string id = t.value("id", "");
      if (!id.empty() && kb.FindArticle(id) == nullptr) {
        problems.push_back({"kb/" + id + ".json", "missing: required topic \"" + id + "\" has no article"});
      }
    }
  }

  // folded question → first place it was seen, per locale
  std::map<std::string, std::map<std::string, std::string>> questions_seen;
  for (const auto& a : kb.articles) {
    std::string where = "kb/" + a.id + ".json";
    for (char ch : a.id) {
      if (!((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-')) {
        problems.push_back({where, "id must be lowercase a-z, 0-9 and '-'"});
        break;
      }
    }
    if (a.Find(a.source_locale) == nullptr) {
      problems.push_back({where, "source_locale \"" + a.source_locale + "\" has no translation"});
    }
    if (a.audiences.empty()) problems.push_back({where, "no audiences"});
    for (const auto& aud : a.audiences) {
      if (!audiences.empty() && !audiences.count(aud)) problems.push_back({where, "unknown audience \"" + aud + "\""});
    }
    for (const auto& r : a.related) {
      if (r == a.id) problems.push_back({where, "related lists the article itself"});
      else if (kb.FindArticle(r) == nullptr) problems.push_back({where, "related article \"" + r + "\" does not exist"});
    }
    for (const auto& o : a.organisations) {
      if (!organisations.count(o)) problems.push_back({where, "organisation \"" + o + "\" is not in organisations.json"});
    }
    for (const auto& d : a.desks) {
      if (!desks.count(d)) problems.push_back({where, "desk \"" + d + "\" is not in desks.json"});
    }
    for (const auto& r : a.regions) {
      if (!regions.count(r)) problems.push_back({where, "region \"" + r + "\" is not in desks.json"});
    }
    if (a.sources.empty()) problems.push_back({where, "no sources"});
    for (const auto& s : a.sources) {
      if (s.url.rfind("https://", 0) != 0) problems.push_back({where, "source URL must start with https://: " + s.url});
      if (s.title.empty()) problems.push_back({where, "a source has no title"});
    }
    if (!ValidDate(a.last_reviewed)) {
      problems.push_back({where, "last_reviewed must be YYYY-MM-DD"});
    } else if (!cutoff.empty() && a.last_reviewed < cutoff) {
      problems.push_back({where, "last reviewed " + a.last_reviewed + ", more than a year ago: review it"});
    } else if (!options.today.empty() && a.last_reviewed > options.today) {
      problems.push_back({where, "last_reviewed " + a.last_reviewed + " is in the future"});
    }
    for (const auto& l : locales) {
      if (a.Find(l) == nullptr) problems.push_back({where + ": " + l, "missing translation"});
    }
    for (const auto& [locale, t] : a.translations) {
      std::string w = where + ": " + locale;
      if (!core::IsLocale(locale)) problems.push_back({w, "unknown locale"});
      if (t.version < 1) problems.push_back({w, "version must be 1 or higher"});
      if (t.title.empty()) problems.push_back({w, "empty title"});
      if (CodePoints(t.title) > 80) problems.push_back({w, "title longer than 80 characters"});
      if (t.answer.empty()) problems.push_back({w, "empty answer"});
      size_t chars = CodePoints(t.answer);
      if (chars > options.max_answer_chars) {
        problems.push_back({w, "chat answer is " + std::to_string(chars) + " characters, over the limit of " +
                                   std::to_string(options.max_answer_chars)});
      }
      if (HasMarkdown(t.answer)) problems.push_back({w, "chat answer contains Markdown; use plain text"});
      if (t.body.empty()) problems.push_back({w, "empty body"});
      if (t.questions.size() < options.min_questions) {
        problems.push_back({w, std::to_string(t.questions.size()) + " example questions, at least " +
                                   std::to_string(options.min_questions) + " needed"});
      }
      if (t.keywords.size() < options.min_keywords) {
        problems.push_back({w, std::to_string(t.keywords.size()) + " keywords, at least " +
                                   std::to_string(options.min_keywords) + " needed"});
      }
      if (locale == a.source_locale) {
        if (!t.from_locale.empty()) problems.push_back({w, "the source locale cannot be translated_from another"});
      } else if (t.from_locale.empty()) {
        problems.push_back({w, "translated_from is missing"});
      } else if (const Translation* from = a.Find(t.from_locale); from == nullptr) {
        problems.push_back({w, "translated_from locale \"" + t.from_locale + "\" does not exist"});
      } else if (t.from_version < from->version) {
        problems.push_back({w, "warning: outdated: translated from " + t.from_locale + " version " +
                                   std::to_string(t.from_version) + ", which is now version " +
                                   std::to_string(from->version)});
      } else if (t.from_version > from->version) {
        problems.push_back({w, "translated_from version " + std::to_string(t.from_version) + " is newer than " +
                                   t.from_locale + " version " + std::to_string(from->version)});
      }
      auto& seen = questions_seen[locale];
      for (const auto& q : t.questions) {
        std::string f = Fold(q);
        if (f.empty()) {
          problems.push_back({w, "an empty example question"});
          continue;
        }
        auto [it, fresh] = seen.emplace(f, a.id);
        if (!fresh) {
          problems.push_back({w, it->second == a.id
                                     ? "example question \"" + q + "\" appears twice"
                                     : "example question \"" + q + "\" is also in article " + it->second});
        }
      }
    }
  }
  ValidateDesks(kb, problems);
  ValidateOrganisations(kb, problems);
  return problems;
}

}  // namespace knowledge
