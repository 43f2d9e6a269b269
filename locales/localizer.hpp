#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "core/result.hpp"

namespace locales {

// A named argument of a message: text or a number (numbers drive plural rules).
struct Arg {
  std::string name;
  std::variant<std::string, int64_t> value;
};

// One locale's catalog: ICU MessageFormat messages, command words and danger phrases.
struct Catalog {
  std::string locale;
  std::string name;  // the language's own name ("Polski")
  std::map<std::string, std::string> messages;
  std::map<std::string, std::vector<std::string>> commands;
  std::vector<std::string> danger;
};

// Loads the catalogs built into the binary (locales/catalog/<lang>.json) and formats messages with
// ICU MessageFormat for a locale, falling back to English (then Dutch) for a missing key. Digits
// are always Latin ("3", also in Arabic) and no direction marks are added, so numbers and links
// stay intact in right-to-left text. Immutable after construction; thread-safe.
class Localizer {
 public:
  // Parses the embedded catalogs. Fails when one is malformed.
  static core::Result<std::shared_ptr<const Localizer>> Load();
  // Builds from catalogs given as JSON text by locale (for tests).
  static core::Result<std::shared_ptr<const Localizer>> FromJson(const std::map<std::string, std::string>& files);

  // The formatted message `key` in `lang`. An unknown key returns the key itself (and is a bug:
  // the catalog test fails first).
  std::string Format(const std::string& lang, const std::string& key, const std::vector<Arg>& args = {}) const;

  // The catalog of `lang`, or nullptr.
  const Catalog* Find(const std::string& lang) const;
  // The language's own name ("Polski"), or the code.
  std::string LanguageName(const std::string& lang) const;
  const std::map<std::string, Catalog>& catalogs() const { return catalogs_; }

  // Checks that every message parses as ICU MessageFormat and every locale has every key of the
  // English catalog; one line per problem.
  std::vector<std::string> Check() const;

 private:
  std::map<std::string, Catalog> catalogs_;
};

}  // namespace locales
