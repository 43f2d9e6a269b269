#include "locales/localizer.hpp"

#include <unicode/fmtable.h>
#include <unicode/msgfmt.h>
#include <unicode/unistr.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>

namespace locales {

// Generated from locales/catalog/*.json (cmake/embed.cmake).
const std::vector<std::pair<std::string_view, std::string_view>>& EmbeddedCatalogs();

namespace {

icu::Locale IcuLocale(const std::string& lang) {
  // Latin digits everywhere: reference numbers, counts and phone numbers read the same in every script.
  return icu::Locale::createFromName((lang + "@numbers=latn").c_str());
}

core::Result<Catalog> ParseCatalog(const std::string& file, std::string_view text) {
  auto j = nlohmann::json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return core::MakeError(core::ErrorCode::kInvalidArgument, "catalog " + file + " is not a JSON object");
  }
  Catalog c;
  c.locale = j.value("locale", "");
  c.name = j.value("name", c.locale);
  if (c.locale.empty()) return core::MakeError(core::ErrorCode::kInvalidArgument, "catalog " + file + " has no locale");
  if (j.contains("messages") && j["messages"].is_object()) {
    for (auto it = j["messages"].begin(); it != j["messages"].end(); ++it) {
      if (it->is_string()) c.messages[it.key()] = it->get<std::string>();
    }
  }
  if (j.contains("commands") && j["commands"].is_object()) {
    for (auto it = j["commands"].begin(); it != j["commands"].end(); ++it) {
      if (!it->is_array()) continue;
      for (const auto& w : *it) {
        if (w.is_string()) c.commands[it.key()].push_back(w.get<std::string>());
      }
    }
  }
  if (j.contains("danger") && j["danger"].is_array()) {
    for (const auto& w : j["danger"]) {
      if (w.is_string()) c.danger.push_back(w.get<std::string>());
    }
  }
  return c;
}

}  // namespace

core::Result<std::shared_ptr<const Localizer>> Localizer::FromJson(const std::map<std::string, std::string>& files) {
  auto loc = std::make_shared<Localizer>();
  for (const auto& [file, text] : files) {
    auto c = ParseCatalog(file, text);
    if (!c.ok()) return c.error();
    loc->catalogs_[c->locale] = std::move(*c);
  }
  if (!loc->catalogs_.count("en")) return core::MakeError(core::ErrorCode::kInvalidArgument, "no English catalog");
  return std::shared_ptr<const Localizer>(loc);
}

core::Result<std::shared_ptr<const Localizer>> Localizer::Load() {
  std::map<std::string, std::string> files;
  for (const auto& [name, text] : EmbeddedCatalogs()) files[std::string(name)] = std::string(text);
  return FromJson(files);
}

const Catalog* Localizer::Find(const std::string& lang) const {
  auto it = catalogs_.find(lang);
  return it == catalogs_.end() ? nullptr : &it->second;
}

std::string Localizer::LanguageName(const std::string& lang) const {
  const Catalog* c = Find(lang);
  return c != nullptr ? c->name : lang;
}

std::string Localizer::Format(const std::string& lang, const std::string& key, const std::vector<Arg>& args) const {
  const std::string* pattern = nullptr;
  std::string used = lang;
  for (const std::string& l : {lang, std::string("en"), std::string("nl")}) {
    const Catalog* c = Find(l);
    if (c == nullptr) continue;
    auto it = c->messages.find(key);
    if (it != c->messages.end()) {
      pattern = &it->second;
      used = l;
      break;
    }
  }
  if (pattern == nullptr) return key;
  UErrorCode status = U_ZERO_ERROR;
  // Parsing a pattern costs more than formatting it: keep the parsed formats, one cache per thread
  // (ICU formats are not safe to share between threads while formatting).
  thread_local std::map<std::string, std::unique_ptr<icu::MessageFormat>> cache;
  auto& cached = cache[used + '\x1f' + *pattern];
  if (!cached) {
    cached = std::make_unique<icu::MessageFormat>(icu::UnicodeString::fromUTF8(*pattern), IcuLocale(used), status);
    if (U_FAILURE(status)) {
      cached.reset();
      return *pattern;
    }
  }
  icu::MessageFormat& format = *cached;
  std::vector<icu::UnicodeString> names;
  std::vector<icu::Formattable> values;
  for (const auto& a : args) {
    names.push_back(icu::UnicodeString::fromUTF8(a.name));
    if (std::holds_alternative<int64_t>(a.value)) {
      values.emplace_back(static_cast<int64_t>(std::get<int64_t>(a.value)));
    } else {
      values.emplace_back(icu::UnicodeString::fromUTF8(std::get<std::string>(a.value)));
    }
  }
  icu::UnicodeString out;
  format.format(names.data(), values.data(), static_cast<int32_t>(values.size()), out, status);
  if (U_FAILURE(status)) return *pattern;
  std::string result;
  out.toUTF8String(result);
  return result;
}

std::vector<std::string> Localizer::Check() const {
  std::vector<std::string> problems;
  const Catalog* en = Find("en");
  for (const auto& [lang, c] : catalogs_) {
    for (const auto& [key, pattern] : c.messages) {
      UErrorCode status = U_ZERO_ERROR;
      UParseError parse_error;
      icu::MessageFormat format(icu::UnicodeString::fromUTF8(pattern), IcuLocale(lang), parse_error, status);
      if (U_FAILURE(status)) problems.push_back(lang + ": " + key + ": does not parse as MessageFormat (" + u_errorName(status) + ")");
      if (en != nullptr && !en->messages.count(key)) problems.push_back(lang + ": " + key + ": not in the English catalog");
    }
    if (en == nullptr) continue;
    for (const auto& [key, pattern] : en->messages) {
      if (!c.messages.count(key)) problems.push_back(lang + ": missing message " + key);
    }
    for (const auto& [key, words] : en->commands) {
      if (!c.commands.count(key) || c.commands.at(key).empty()) problems.push_back(lang + ": missing command " + key);
    }
    if (c.danger.empty()) problems.push_back(lang + ": no danger phrases");
  }
  return problems;
}

}  // namespace locales
