#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace knowledge {

// One locale of an article. Plain data.
struct Translation {
  int version = 1;
  std::string from_locale;  // empty on the article's source locale
  int from_version = 0;
  std::string title;
  std::string answer;       // the chat answer (≤ 900 characters)
  std::string body;
  std::vector<std::string> questions;
  std::vector<std::string> keywords;
};

struct Source {
  std::string title;
  std::string url;
};

// A knowledge-base article with all its locales. Plain data.
struct Article {
  std::string id;
  std::string source_locale;
  std::vector<std::string> audiences;
  std::vector<std::string> regions;
  std::vector<std::string> related;
  std::vector<std::string> organisations;
  std::vector<std::string> desks;
  std::vector<Source> sources;
  std::string last_reviewed;  // YYYY-MM-DD
  std::map<std::string, Translation> translations;

  // The translation for `locale`, or nullptr.
  const Translation* Find(const std::string& locale) const;
};

// The whole knowledge base: articles plus the reference files. The reference files are kept as
// parsed JSON (their structure is documented in docs/content-format.md).
struct KnowledgeBase {
  std::vector<Article> articles;               // sorted by id
  nlohmann::ordered_json desks;                // content/desks.json (null when absent)
  nlohmann::ordered_json organisations;        // content/organisations.json
  nlohmann::ordered_json topics;               // content/topics.json: the required topic ids
  nlohmann::ordered_json out_of_scope;         // content/out-of-scope.json: contrast examples per locale

  const Article* FindArticle(const std::string& id) const;
};

// A problem found while reading or validating content: `where` is a file or "file: locale".
struct Problem {
  std::string where;
  std::string message;
};

// Parses one article from its JSON. Structural errors (missing fields, wrong types) are appended
// to `problems` and yield nullopt.
std::optional<Article> ParseArticle(const nlohmann::ordered_json& json, const std::string& where,
                                    std::vector<Problem>& problems);

// The article in canonical form (docs/content-format.md): key order fixed, two-space indent, UTF-8
// unescaped, trailing newline. Parsing and serializing a canonical file gives the same bytes.
std::string SerializeArticle(const Article& article);
std::string SerializeJson(const nlohmann::ordered_json& json);

// Content files by relative name ("kb/bsn.json", "desks.json", "organisations.json",
// "topics.json") → their exact text. This is what the database stores and `kb export` writes back,
// so a round trip is byte-identical.
using Documents = std::map<std::string, std::string>;

// Reads DIR/kb/*.json and the reference files. Fails only when DIR/kb does not exist.
core::Result<Documents> ReadDirectory(const std::string& dir);

// Writes the documents below DIR (atomically per file); *.json files in DIR/kb that are not among
// them are removed.
core::Result<void> WriteDirectory(const Documents& documents, const std::string& dir);

// Parses documents into a knowledge base. Unparseable or malformed documents are reported in
// `problems` and skipped.
KnowledgeBase Parse(const Documents& documents, std::vector<Problem>& problems);

}  // namespace knowledge
