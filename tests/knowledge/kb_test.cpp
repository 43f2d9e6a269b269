#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "knowledge/kb.hpp"
#include "store/kb_documents.hpp"
#include "store/store.hpp"
#include "tests/fakes/kb_fixture.hpp"
#include "tests/fakes/temp_dir.hpp"

TEST_CASE("files → database → files is byte-identical", "[knowledge][kb]") {
  fakes::TempDir dir;
  auto docs = fakes::ValidDocuments();
  REQUIRE(knowledge::WriteDirectory(docs, dir.Path("in")).ok());
  auto read = knowledge::ReadDirectory(dir.Path("in"));
  REQUIRE(read.ok());
  CHECK(*read == docs);

  auto store = store::Store::Open(dir.Path("kb.db"));
  REQUIRE(store.ok());
  REQUIRE((*store)->Write([&](store::Database& db) -> core::Result<void> {
    auto v = store::kb_documents::Publish(db, *read, "test", "import", 1);
    if (!v.ok()) return v.error();
    return {};
  }).ok());
  store::Documents back;
  REQUIRE((*store)->Read([&](store::Database& db) -> core::Result<void> {
    auto v = store::kb_documents::Published(db);
    auto d = store::kb_documents::At(db, *v);
    if (!d.ok()) return d.error();
    back = *d;
    return {};
  }).ok());
  REQUIRE(knowledge::WriteDirectory(back, dir.Path("out")).ok());
  for (const auto& [name, text] : docs) {
    std::ifstream in(std::filesystem::path(dir.Path("out")) / name, std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    INFO(name);
    CHECK(bytes == text);
  }
}

TEST_CASE("the shipped content round-trips byte-identically", "[knowledge][kb]") {
  fakes::TempDir dir;
  auto docs = knowledge::ReadDirectory(std::string(LOKET_SOURCE_DIR) + "/content");
  REQUIRE(docs.ok());
  REQUIRE(knowledge::WriteDirectory(*docs, dir.path()).ok());
  auto again = knowledge::ReadDirectory(dir.path());
  REQUIRE(again.ok());
  CHECK(*again == *docs);
  // And parsing then serialising each article reproduces its bytes (canonical form).
  std::vector<knowledge::Problem> problems;
  auto kb = knowledge::Parse(*docs, problems);
  for (const auto& a : kb.articles) {
    INFO(a.id);
    CHECK(knowledge::SerializeArticle(a) == docs->at("kb/" + a.id + ".json"));
  }
}

TEST_CASE("releases keep history; removed documents disappear from the new state", "[knowledge][kb]") {
  fakes::TempDir dir;
  auto store = store::Store::Open(dir.Path("kb.db"));
  REQUIRE(store.ok());
  store::Documents v1 = {{"kb/a.json", "A1"}, {"kb/b.json", "B1"}};
  store::Documents v2 = {{"kb/a.json", "A2"}};
  REQUIRE((*store)->Write([&](store::Database& db) -> core::Result<void> {
    if (auto r = store::kb_documents::Publish(db, v1, "x", "", 1); !r.ok()) return r.error();
    if (auto r = store::kb_documents::Publish(db, v2, "y", "", 2); !r.ok()) return r.error();
    return {};
  }).ok());
  REQUIRE((*store)->Read([&](store::Database& db) -> core::Result<void> {
    CHECK(*store::kb_documents::Published(db) == 2);
    CHECK(*store::kb_documents::At(db, 1) == v1);
    CHECK(*store::kb_documents::At(db, 2) == v2);
    CHECK(store::kb_documents::Releases(db)->size() == 2);
    return {};
  }).ok());
}

TEST_CASE("malformed article files are reported, not fatal", "[knowledge][kb]") {
  knowledge::Documents docs = {{"kb/x.json", "{not json"}, {"kb/y.json", R"({"id": "y"})"}};
  std::vector<knowledge::Problem> problems;
  auto kb = knowledge::Parse(docs, problems);
  CHECK(kb.articles.empty());
  REQUIRE(problems.size() >= 2);
  CHECK(problems[0].where == "kb/x.json");
}
