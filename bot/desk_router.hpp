#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace bot {

// A municipality of Noord-Brabant as desks.json lists it.
struct Municipality {
  std::string id;
  std::string name;
  std::string region;
  nlohmann::ordered_json contact;
};

// Finds municipalities by what people type and picks the desk that serves a person, from
// content/desks.json. Immutable after construction; thread-safe.
class DeskRouter {
 public:
  explicit DeskRouter(const nlohmann::ordered_json& desks_json);

  // The municipality named in `text` ("Den Bosch", "s hertogenbosch", "ik woon in Oss", "Tilbrug"),
  // tolerant of case, diacritics, punctuation and one or two typing errors; nullptr when none.
  const Municipality* MatchMunicipality(const std::string& text) const;

  // The desk for an audience: knowledge workers (and their families, employers) → HECS;
  // cross-border workers → the GIP of `border_country` ("be"/"de"); status holders and local
  // residents → their municipality (returned as a desk-shaped object with kind "municipality");
  // labour migrants and their families → the WIN desk of the municipality's region. Null JSON
  // when nothing fits (no municipality where one is needed).
  nlohmann::ordered_json Route(const std::string& audience, const Municipality* municipality,
                               const std::string& border_country) const;

  // Whether Route() needs a municipality (or a border country) for this audience.
  static bool NeedsMunicipality(const std::string& audience);
  static bool NeedsBorderCountry(const std::string& audience);

  const nlohmann::ordered_json* FindDesk(const std::string& id) const;

 private:
  struct Name {
    std::vector<std::string> words;  // folded words of the name or alias
    size_t municipality;
  };
  std::vector<Municipality> municipalities_;
  std::vector<Name> names_;
  nlohmann::ordered_json desks_;
};

// Edit distance between two UTF-8 strings (by byte; folded ASCII-range text in practice).
size_t EditDistance(const std::string& a, const std::string& b);

}  // namespace bot
