#include <catch2/catch.hpp>

#include <functional>

#include "knowledge/validate.hpp"
#include "tests/fakes/kb_fixture.hpp"

namespace {

using nlohmann::ordered_json;

std::vector<knowledge::Problem> Check(const knowledge::Documents& docs) {
  std::vector<knowledge::Problem> problems;
  auto kb = knowledge::Parse(docs, problems);
  knowledge::ValidationOptions options;
  options.today = "2026-11-24";
  for (auto& p : knowledge::Validate(kb, options)) problems.push_back(p);
  return problems;
}

bool Mentions(const std::vector<knowledge::Problem>& problems, const std::string& text) {
  for (const auto& p : problems) {
    if ((p.where + ": " + p.message).find(text) != std::string::npos) return true;
  }
  return false;
}

// Applies `edit` to one article's JSON and re-serialises it canonically.
knowledge::Documents EditArticle(const std::string& id, const std::function<void(ordered_json&)>& edit) {
  auto docs = fakes::ValidDocuments();
  auto j = ordered_json::parse(docs["kb/" + id + ".json"]);
  edit(j);
  docs["kb/" + id + ".json"] = knowledge::SerializeJson(j);
  return docs;
}

}  // namespace

TEST_CASE("the fixture knowledge base is valid", "[knowledge][validate]") {
  auto problems = Check(fakes::ValidDocuments());
  for (const auto& p : problems) INFO(p.where << ": " << p.message);
  CHECK(problems.empty());
}

TEST_CASE("each validation rule has a failing case", "[knowledge][validate]") {
  SECTION("a required topic without an article") {
    auto docs = fakes::ValidDocuments();
    docs.erase("kb/bsn.json");
    CHECK(Mentions(Check(docs), "required topic \"bsn\""));
  }
  SECTION("a missing locale") {
    CHECK(Mentions(Check(EditArticle("bsn", [](ordered_json& j) { j["translations"].erase("lv"); })),
                   "kb/bsn.json: lv: missing translation"));
  }
  SECTION("a chat answer over 900 characters") {
    auto problems = Check(EditArticle("bsn", [](ordered_json& j) { j["translations"]["pl"]["answer"] = std::string(450, 'x') + std::string(451, 'y'); }));
    CHECK(Mentions(problems, "chat answer is 901 characters"));
  }
  SECTION("a related article that does not exist") {
    CHECK(Mentions(Check(EditArticle("bsn", [](ordered_json& j) { j["related"] = {"no-such-topic"}; })),
                   "related article \"no-such-topic\" does not exist"));
  }
  SECTION("an organisation that does not exist") {
    CHECK(Mentions(Check(EditArticle("bsn", [](ordered_json& j) { j["organisations"] = {"acme"}; })),
                   "organisation \"acme\""));
  }
  SECTION("a desk that does not exist") {
    CHECK(Mentions(Check(EditArticle("bsn", [](ordered_json& j) { j["desks"] = {"nowhere"}; })), "desk \"nowhere\""));
  }
  SECTION("an example question shared by two articles, compared without diacritics") {
    auto problems = Check(EditArticle("bsn", [](ordered_json& j) { j["translations"]["pl"]["questions"][0] = "Ile wynosi płaca minimalna?"; }));
    CHECK(Mentions(problems, "is also in article"));
  }
  SECTION("too few example questions") {
    CHECK(Mentions(Check(EditArticle("bsn", [](ordered_json& j) { j["translations"]["de"]["questions"] = {"a", "b"}; })),
                   "2 example questions, at least 6"));
  }
  SECTION("a review date more than a year old") {
    CHECK(Mentions(Check(EditArticle("bsn", [](ordered_json& j) { j["last_reviewed"] = "2025-11-01"; })),
                   "more than a year ago"));
  }
  SECTION("Markdown in a chat answer") {
    CHECK(Mentions(Check(EditArticle("bsn", [](ordered_json& j) { j["translations"]["en"]["answer"] = "**Bold** text"; })),
                   "Markdown"));
  }
  SECTION("a structural error: wrong type") {
    CHECK(Mentions(Check(EditArticle("bsn", [](ordered_json& j) { j["audiences"] = "labour-migrant"; })),
                   "\"audiences\" must be a list"));
  }
  SECTION("a file that is not canonical") {
    auto docs = fakes::ValidDocuments();
    docs["kb/bsn.json"] = ordered_json::parse(docs["kb/bsn.json"]).dump();
    CHECK(Mentions(Check(docs), "not in canonical form"));
  }
  SECTION("a region without a WIN desk") {
    auto docs = fakes::ValidDocuments();
    auto desks = ordered_json::parse(docs["desks.json"]);
    desks["regions"].push_back({{"id", "midden-brabant"}, {"name", "Midden-Brabant"}});
    docs["desks.json"] = knowledge::SerializeJson(desks);
    CHECK(Mentions(Check(docs), "no WIN desk for region midden-brabant"));
  }
  SECTION("a municipality in an unknown region") {
    auto docs = fakes::ValidDocuments();
    auto desks = ordered_json::parse(docs["desks.json"]);
    desks["municipalities"][0]["region"] = "atlantis";
    docs["desks.json"] = knowledge::SerializeJson(desks);
    CHECK(Mentions(Check(docs), "unknown region \"atlantis\""));
  }
  SECTION("an outdated translation is a warning, not a failure") {
    auto problems = Check(EditArticle("bsn", [](ordered_json& j) { j["translations"]["en"]["version"] = 2; }));
    REQUIRE(Mentions(problems, "warning: outdated"));
    for (const auto& p : problems) CHECK_FALSE(knowledge::IsFailure(p));
  }
}
