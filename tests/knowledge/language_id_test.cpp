#include <catch2/catch.hpp>

#include "knowledge/index.hpp"
#include "knowledge/kb.hpp"

namespace {

const knowledge::LanguageIdentifier& Shipped() {
  static std::shared_ptr<const knowledge::Index> index = [] {
    auto docs = knowledge::ReadDirectory(std::string(LOKET_SOURCE_DIR) + "/content");
    REQUIRE(docs.ok());
    std::vector<knowledge::Problem> problems;
    return knowledge::Index::Build(knowledge::Parse(*docs, problems));
  }();
  return index->language_identifier();
}

}  // namespace

TEST_CASE("short messages are identified in all scripts", "[knowledge][langid]") {
  struct Case {
    const char* text;
    const char* lang;
  };
  for (const Case& c : {Case{"gdzie moge dostac numer bsn", "pl"}, Case{"salariu minim pe ora", "ro"},
                        Case{"Къде да се регистрирам?", "bg"}, Case{"де можна зареєструватися в общині", "uk"},
                        Case{"كيف أسجل عند الطبيب", "ar"}, Case{"waar kan ik me inschrijven", "nl"},
                        Case{"where do I register", "en"}, Case{"wo bekomme ich eine Krankenversicherung", "de"},
                        Case{"cuanto es el salario minimo", "es"}, Case{"asgari ücret ne kadar", "tr"}}) {
    INFO(c.text);
    CHECK(Shipped().Identify(c.text).lang == c.lang);
  }
}

TEST_CASE("hints break ties and the previous language holds against weak evidence", "[knowledge][langid]") {
  knowledge::LanguageHints previous;
  previous.previous = "pl";
  auto kept = Shipped().Identify("bsn", previous);
  CHECK(kept.lang == "pl");
  CHECK(kept.source == "previous");
  CHECK(Shipped().Identify("huisarts", previous).lang == "pl");
  CHECK(Shipped().Identify("loonstrook pytanie", {}).lang == "pl");
  // Strong evidence wins over the previous language.
  auto switched = Shipped().Identify("Dobrý den, potřebuji pomoc s výplatou od agentury", previous);
  CHECK(switched.lang == "cs");
  // Text without letters keeps the conversation's language.
  CHECK(Shipped().Identify("123 ?", previous).lang == "pl");
  knowledge::LanguageHints none;
  CHECK(Shipped().Identify("!!!", none).source == "default");
}
