#include <catch2/catch.hpp>

#include "core/locales.hpp"
#include "locales/localizer.hpp"

TEST_CASE("every locale has every message, command and danger list, and all messages parse", "[locales]") {
  auto loc = locales::Localizer::Load();
  REQUIRE(loc.ok());
  for (auto l : core::kLocales) {
    INFO(l);
    CHECK((*loc)->Find(std::string(l)) != nullptr);
  }
  auto problems = (*loc)->Check();
  for (const auto& p : problems) INFO(p);
  CHECK(problems.empty());
}

TEST_CASE("plurals and selects follow the locale's rules", "[locales]") {
  auto loc = *locales::Localizer::Load();
  CHECK(loc->Format("en", "report.evidence_received", {{"count", int64_t{1}}}).find("1 file") != std::string::npos);
  CHECK(loc->Format("en", "report.evidence_received", {{"count", int64_t{3}}}).find("3 files") != std::string::npos);
  std::string anonymous = loc->Format("en", "report.consent_question", {{"contact", "no"}});
  CHECK(anonymous.find("contact details") == std::string::npos);
  CHECK(loc->Format("en", "report.consent_question", {{"contact", "yes"}}).find("contact details") != std::string::npos);
  // Polish has distinct forms for 2 and 5.
  CHECK(loc->Format("pl", "report.evidence_received", {{"count", int64_t{2}}}) !=
        loc->Format("pl", "report.evidence_received", {{"count", int64_t{5}}}));
}

TEST_CASE("Arabic keeps Latin digits and adds no direction marks around numbers and links", "[locales]") {
  auto loc = *locales::Localizer::Load();
  std::string text = loc->Format("ar", "report.sent", {{"ref", "MS-2026-000123"}, {"office", "Loket intake"}, {"contact", "no"}});
  CHECK(text.find("MS-2026-000123") != std::string::npos);
  std::string counted = loc->Format("ar", "report.evidence_received", {{"count", int64_t{3}}});
  CHECK(counted.find("3") != std::string::npos);
  for (const char* mark : {"\u200E", "\u200F", "\u061C", "\u202A", "\u202B", "\u202C"}) {
    CHECK(text.find(mark) == std::string::npos);
    CHECK(counted.find(mark) == std::string::npos);
  }
  CHECK(loc->Format("ar", "desk.contact_website", {{"website", "https://www.workinnl.nl"}}).find("https://www.workinnl.nl") !=
        std::string::npos);
}

TEST_CASE("a missing key falls back to English, an unknown key is returned as is", "[locales]") {
  auto loc = locales::Localizer::FromJson({{"en.json", R"({"locale":"en","messages":{"a":"Hello {name}"}})"},
                                           {"pl.json", R"({"locale":"pl","messages":{}})"}});
  REQUIRE(loc.ok());
  CHECK((*loc)->Format("pl", "a", {{"name", "Ola"}}) == "Hello Ola");
  CHECK((*loc)->Format("pl", "nope") == "nope");
}
