// Scripted conversations through POST /api/v1/chat against the real server and engine.
#include <catch2/catch.hpp>

#include <map>

#include "knowledge/kb.hpp"
#include "locales/localizer.hpp"
#include "store/database.hpp"
#include "tests/fakes/chat_client.hpp"
#include "tests/fakes/running_app.hpp"
#include "tests/fakes/temp_dir.hpp"

namespace {

const knowledge::KnowledgeBase& Content() {
  static knowledge::KnowledgeBase kb = [] {
    auto docs = knowledge::ReadDirectory(std::string(LOKET_SOURCE_DIR) + "/content");
    std::vector<knowledge::Problem> problems;
    return knowledge::Parse(*docs, problems);
  }();
  return kb;
}

const locales::Localizer& Loc() {
  static auto loc = *locales::Localizer::Load();
  return *loc;
}

int64_t Count(const std::string& db_path, const std::string& sql) {
  auto db = store::Database::Open(db_path);
  REQUIRE(db.ok());
  auto n = store::QueryInt(*db, sql);
  REQUIRE(n.ok());
  return *n;
}

std::string State(const std::string& db_path) {
  auto db = store::Database::Open(db_path);
  REQUIRE(db.ok());
  auto s = store::Statement::Prepare(*db, "SELECT state FROM conversation ORDER BY id DESC LIMIT 1");
  REQUIRE(s.ok());
  REQUIRE(*s->Step());
  return nlohmann::json::parse(s->Text(0)).value("s", "idle");
}

const std::vector<std::string> kLocales = {"pl", "ro", "bg", "uk", "ar", "nl"};

}  // namespace

TEST_CASE("a first-contact question is answered in the detected language", "[integration][conversation]") {
  fakes::TempDir dir;
  fakes::RunningApp server(dir.Path("c.db"));
  const auto* article = Content().FindArticle("minimum-wage");
  REQUIRE(article != nullptr);
  for (const auto& lang : kLocales) {
    INFO(lang);
    fakes::ChatClient person(server.port());
    // A question written like one of the article's own examples.
    const auto& t = article->translations.at(lang);
    person.Say(t.questions.at(1));
    REQUIRE(person.status() == 200);
    CHECK(person.last()["lang"] == lang);
    CHECK_THAT(person.Text(), Catch::Contains(Loc().Format(lang, "greeting")));
    CHECK_THAT(person.Text(), Catch::Contains(t.answer));
    CHECK(!person.ChoiceStarting("more:minimum-wage").empty());
    CHECK(!person.ChoiceStarting("fb:yes").empty());
  }
}

TEST_CASE("the language can be switched mid-conversation", "[integration][conversation]") {
  fakes::TempDir dir;
  fakes::RunningApp server(dir.Path("c.db"));
  fakes::ChatClient person(server.port());
  person.Say(Content().FindArticle("bsn")->translations.at("pl").questions.at(0));
  CHECK(person.last()["lang"] == "pl");
  person.Say("język");
  REQUIRE(!person.ChoiceStarting("lang:uk").empty());
  person.Tap("lang:uk");
  CHECK(person.last()["lang"] == "uk");
  CHECK_THAT(person.Text(), Catch::Contains(Loc().Format("uk", "language.changed", {{"language", "Українська"}})));
  // And the next answer comes in Ukrainian, even for a loan word.
  person.Say("BSN");
  CHECK(person.last()["lang"] == "uk");
}

TEST_CASE("global commands work from every state", "[integration][conversation]") {
  fakes::TempDir dir;
  std::string db = dir.Path("c.db");
  fakes::RunningApp server(db);
  // Ways to reach each state from a fresh conversation.
  std::map<std::string, std::vector<std::string>> reach = {
      {"idle", {"menu"}},
      {"await_feedback", {"where do I get a BSN number"}},
      {"choose_language", {"language"}},
      {"profile_audience", {"menu", "#menu:desk"}},
      {"profile_municipality", {"menu", "#menu:desk", "#aud:labour-migrant"}},
      {"newsletter_consent", {"menu", "#menu:newsletter"}},
      {"confirm_delete", {"delete my data"}},
      {"report", {"menu", "#menu:report"}},
  };
  struct Expect {
    std::string command;
    std::string state_after;  // empty: any
    std::string mode_after;
  };
  std::vector<Expect> commands = {{"menu", "idle", "bot"},     {"language", "choose_language", "bot"},
                                  {"cancel", "idle", "bot"},   {"stop", "idle", "bot"},
                                  {"delete my data", "confirm_delete", "bot"}, {"person", "", "queued"}};
  for (const auto& [state, steps] : reach) {
    for (const auto& c : commands) {
      INFO("state " << state << ", command " << c.command);
      fakes::ChatClient person(server.port());
      person.Say("hello", "en");
      for (const auto& step : steps) {
        if (step[0] == '#') person.Tap(step.substr(1));
        else person.Say(step);
      }
      REQUIRE(State(db) == state);
      person.Say(c.command);
      REQUIRE(person.status() == 200);
      CHECK(!person.last()["replies"].empty());
      CHECK(person.last()["mode"] == c.mode_after);
      if (!c.state_after.empty()) CHECK(State(db) == c.state_after);
      if (c.mode_after == "queued") {
        // Back to the bot from the queue.
        person.Say("menu");
        CHECK(person.last()["mode"] == "bot");
      }
    }
  }
  // "back" from a profile question returns to the audience question.
  fakes::ChatClient person(server.port());
  person.Say("hello", "en");
  person.Tap("menu:desk");
  person.Tap("aud:status-holder");
  person.Say("back");
  CHECK(State(db) == "profile_audience");
}

TEST_CASE("every audience is routed to the right desk", "[integration][conversation]") {
  fakes::TempDir dir;
  fakes::RunningApp server(dir.Path("c.db"));
  struct Case {
    std::string audience, answer, expect;
  };
  std::vector<Case> cases = {{"labour-migrant", "Oss", "WIN Noordoost-Brabant"},
                             {"family-member", "tilburg", "WIN Midden-Brabant"},
                             {"knowledge-worker", "", "Holland Expat Center South"},
                             {"employer", "", "Holland Expat Center South"},
                             {"cross-border-worker", "#border:de", "grenzinfo.eu/erw"},
                             {"cross-border-worker", "#border:be", "grenzinfo.eu/mid"},
                             {"status-holder", "s hertogenbosch", "'s-Hertogenbosch"},
                             {"local-resident", "Eindhovn", "Eindhoven"}};
  for (const auto& c : cases) {
    INFO(c.audience << " " << c.answer);
    fakes::ChatClient person(server.port());
    person.Say("hi", "en");
    person.Tap("menu:desk");
    person.Tap("aud:" + c.audience);
    if (!c.answer.empty()) {
      if (c.answer[0] == '#') person.Tap(c.answer.substr(1));
      else person.Say(c.answer);
    }
    CHECK_THAT(person.Text(), Catch::Contains(c.expect));
  }
}

TEST_CASE("the conversation continues where it was after a server restart", "[integration][conversation]") {
  fakes::TempDir dir;
  std::string db = dir.Path("c.db");
  std::string session;
  {
    fakes::RunningApp server(db);
    fakes::ChatClient person(server.port());
    person.Say("hallo", "nl");
    person.Tap("menu:desk");
    person.Tap("aud:labour-migrant");
    session = person.session();
    CHECK(State(db) == "profile_municipality");
  }
  fakes::RunningApp restarted(db);
  httplib::Client c("127.0.0.1", restarted.port());
  auto r = c.Post("/api/v1/chat", {{"X-Loket-Session", session}}, R"({"text":"Den Bosch"})", "application/json");
  REQUIRE(r);
  REQUIRE(r->status == 200);
  CHECK_THAT(r->body, Catch::Contains("WIN Noordoost-Brabant"));
}

TEST_CASE("delete my data really deletes", "[integration][conversation]") {
  fakes::TempDir dir;
  std::string db = dir.Path("c.db");
  fakes::RunningApp server(db);
  fakes::ChatClient person(server.port());
  person.Say("Mój email to jan@example.com, gdzie dostanę BSN?");
  person.Say("usuń moje dane");
  if (person.ChoiceStarting("delete:yes").empty()) person.Say("delete my data");
  REQUIRE(!person.ChoiceStarting("delete:yes").empty());
  person.Tap("delete:yes");
  CHECK(person.status() == 200);
  CHECK(Count(db, "SELECT COUNT(*) FROM conversation") == 0);
  CHECK(Count(db, "SELECT COUNT(*) FROM message") == 0);
  CHECK(Count(db, "SELECT COUNT(*) FROM message WHERE text LIKE '%jan@example.com%'") == 0);
  // The session is gone with it.
  person.Say("hello?");
  CHECK(person.status() == 401);
}

TEST_CASE("two unsure answers in a row offer a person", "[integration][conversation]") {
  fakes::TempDir dir;
  std::string db = dir.Path("c.db");
  fakes::RunningApp server(db);
  fakes::ChatClient person(server.port());
  person.Say("what is the best pizza in town", "en");
  CHECK(!person.ChoiceStarting("menu:human").empty());
  person.Say("who won the football match yesterday");
  REQUIRE(!person.ChoiceStarting("handoff:yes").empty());
  person.Tap("handoff:yes");
  CHECK(person.last()["mode"] == "queued");
  CHECK(Count(db, "SELECT COUNT(*) FROM handoff WHERE reason = 'unsure' AND status = 'waiting'") == 1);
  CHECK(Count(db, "SELECT COUNT(*) FROM unanswered") == 2);
}

TEST_CASE("later messages arrive on the web-chat event stream", "[integration][conversation]") {
  fakes::TempDir dir;
  fakes::RunningApp server(dir.Path("c.db"));
  fakes::ChatClient person(server.port());
  person.Say("hello", "en");
  httplib::Client c("127.0.0.1", server.port());
  std::string received;
  c.Get(("/api/v1/chat/stream?after=0&session=" + person.session()).c_str(),
        [&](const char* data, size_t len) {
          received.append(data, len);
          return received.find("event: message") == std::string::npos;  // stop after the first event
        });
  CHECK_THAT(received, Catch::Contains("event: message"));
  CHECK_THAT(received, Catch::Contains("\"from\":\"bot\""));
  auto forged = c.Get("/api/v1/chat/stream?session=AAAA");
  REQUIRE(forged);
  CHECK(forged->status == 401);
}
