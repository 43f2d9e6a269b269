#include <catch2/catch.hpp>

#include "knowledge/index.hpp"
#include "knowledge/text.hpp"
#include "tests/fakes/kb_fixture.hpp"

namespace {

std::shared_ptr<const knowledge::Index> Fixture() {
  std::vector<knowledge::Problem> problems;
  return knowledge::Index::Build(knowledge::Parse(fakes::ValidDocuments(), problems));
}

}  // namespace

TEST_CASE("folding removes case, diacritics and punctuation", "[knowledge][text]") {
  CHECK(knowledge::Fold("Wypłata!") == "wyplata");
  CHECK(knowledge::Fold("  Straße  ÉTÉ ") == "strasse ete");
  CHECK(knowledge::Fold("'s-Hertogenbosch") == "'s-hertogenbosch");
  CHECK(knowledge::Fold("Şehir İşçi") == "sehir isci");
  CHECK(knowledge::Words("waar is de huisarts") == std::vector<std::string>{"waar", "is", "de", "huisarts"});
  CHECK(knowledge::Stem("nl", "werken") == knowledge::Stem("nl", "werk"));
  CHECK(knowledge::Stem("pl", "wyplaty") == knowledge::Stem("pl", "wyplata"));
}

TEST_CASE("a matching question is answered with the right article", "[knowledge][index]") {
  auto index = Fixture();
  knowledge::SearchRequest request;
  request.lang = "en";
  auto r = index->Search("what is the minimum wage per hour", request);
  CHECK(r.article_id == "minimum-wage");
  CHECK(r.confidence >= index->options().threshold);
  CHECK(r.lang_source == "given");
  auto pl = index->Search("ile wynosi minimalna stawka", {"pl", {}});
  CHECK(pl.article_id == "minimum-wage");
}

TEST_CASE("diacritics and small typos do not matter", "[knowledge][index]") {
  auto index = Fixture();
  CHECK(index->Search("wyplata ponizej minimum", {"pl", {}}).ranked.at(0).id == "minimum-wage");
  CHECK(index->Search("zorgverzekring obowiazkowa", {"pl", {}}).ranked.at(0).id == "health-insurance");
}

TEST_CASE("out-of-scope questions are refused with suggestions", "[knowledge][index]") {
  auto index = Fixture();
  auto r = index->Search("what will the weather be tomorrow in amsterdam", {"en", {}});
  CHECK(r.article_id.empty());
  CHECK(r.confidence < index->options().threshold);
  auto empty = index->Search("", {"en", {}});
  CHECK(empty.article_id.empty());
}
