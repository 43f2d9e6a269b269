// Content management through the real HTTP API.
#include <catch2/catch.hpp>

#include <atomic>
#include <nlohmann/json.hpp>
#include <thread>

#include "tests/fakes/chat_client.hpp"
#include "tests/fakes/running_app.hpp"
#include "tests/fakes/temp_dir.hpp"

using nlohmann::json;

namespace {

class StaffClient {
 public:
  StaffClient(int port, const std::string& email) : client_("127.0.0.1", port) {
    client_.set_read_timeout(120, 0);  // publishing rebuilds the index: slow under the sanitizers
    auto r = client_.Post("/api/v1/staff/login", json{{"email", email}, {"password", "correct horse battery"}}.dump(), "application/json");
    REQUIRE(r);
    REQUIRE(r->status == 200);
    csrf_ = json::parse(r->body)["csrf"];
    std::string cookie = r->get_header_value("Set-Cookie");
    cookie_ = cookie.substr(0, cookie.find(';'));
  }
  httplib::Result Get(const std::string& path) { return client_.Get(path, {{"Cookie", cookie_}}); }
  httplib::Result Send(const std::string& method, const std::string& path, const std::string& body) {
    httplib::Headers h = {{"Cookie", cookie_}, {"X-CSRF-Token", csrf_}};
    return method == "PUT" ? client_.Put(path, h, body, "application/json") : client_.Post(path, h, body, "application/json");
  }

 private:
  httplib::Client client_;
  std::string csrf_, cookie_;
};

struct Setup {
  fakes::TempDir dir;
  std::unique_ptr<fakes::RunningApp> server;
  Setup() {
    server = std::make_unique<fakes::RunningApp>(dir.Path("k.db"));
    auto& staff = server->app().staff();
    REQUIRE(staff.Add("cm@loket.nl", "Cora", "content-manager", {}, {"pl"}, "correct horse battery", "test").ok());
    REQUIRE(staff.Add("agent@loket.nl", "Adam", "agent", {"general"}, {"pl"}, "correct horse battery", "test").ok());
  }
};

std::string AskPolishMinimumWage(int port) {
  fakes::ChatClient p(port);
  p.Say("ile wynosi płaca minimalna w holandii", "pl");
  return p.Text();
}

}  // namespace

TEST_CASE("an edit stays a draft until published, then goes live without restart under load", "[integration][kb]") {
  Setup s;
  StaffClient cm(s.server->port(), "cm@loket.nl");
  auto got = cm.Get("/api/v1/kb/articles/minimum-wage");
  REQUIRE(got);
  REQUIRE(got->status == 200);
  json article = json::parse(got->body)["article"];
  const std::string marker = "ZMIENIONA ODPOWIEDŹ testowa: minimum to 14,99 euro brutto za godzinę.";
  article["translations"]["pl"]["answer"] = marker;
  article["translations"]["pl"]["version"] = 2;
  auto put = cm.Send("PUT", "/api/v1/kb/articles/minimum-wage/draft", article.dump());
  REQUIRE(put);
  REQUIRE(put->status == 200);
  CHECK_THAT(AskPolishMinimumWage(s.server->port()), !Catch::Contains(marker));  // the draft is invisible

  // People keep chatting while the new version is published.
  std::atomic<bool> stop{false};
  std::atomic<int> errors{0}, turns{0};
  std::vector<std::thread> load;
  for (int i = 0; i < 4; ++i) {
    load.emplace_back([&] {
      while (!stop) {
        fakes::ChatClient p(s.server->port());
        p.Say("gdzie dostanę numer BSN", "pl");
        if (p.status() != 200 || p.last()["replies"].empty()) errors++;
        turns++;
      }
    });
  }
  auto published = cm.Send("POST", "/api/v1/kb/publish", R"({"note":"new wage text"})");
  while (turns < 20) std::this_thread::yield();
  stop = true;
  for (auto& t : load) t.join();
  REQUIRE(published);
  REQUIRE(published->status == 200);
  CHECK(errors == 0);
  CHECK_THAT(AskPolishMinimumWage(s.server->port()), Catch::Contains(marker));

  // Versions, diff and rollback.
  auto versions = json::parse(cm.Get("/api/v1/kb/versions")->body);
  REQUIRE(versions["versions"].size() == 2);
  auto diff = json::parse(cm.Get("/api/v1/kb/diff?from=1&to=2")->body);
  REQUIRE(diff["changes"].size() == 1);
  CHECK(diff["changes"][0]["document"] == "kb/minimum-wage.json");
  CHECK(diff["changes"][0]["fields"][0]["locale"] == "pl");
  auto rollback = cm.Send("POST", "/api/v1/kb/rollback", R"({"version":1})");
  REQUIRE(rollback);
  REQUIRE(rollback->status == 200);
  CHECK_THAT(AskPolishMinimumWage(s.server->port()), !Catch::Contains(marker));
}

TEST_CASE("validation blocks a broken publish with a clear message per problem", "[integration][kb]") {
  Setup s;
  StaffClient cm(s.server->port(), "cm@loket.nl");
  json article = json::parse(cm.Get("/api/v1/kb/articles/bsn")->body)["article"];
  article["translations"]["de"]["answer"] = std::string(950, 'x');
  article["related"] = {"no-such-article"};
  REQUIRE(cm.Send("PUT", "/api/v1/kb/articles/bsn/draft", article.dump())->status == 200);
  auto r = cm.Send("POST", "/api/v1/kb/publish", "{}");
  REQUIRE(r);
  CHECK(r->status == 422);
  json body = json::parse(r->body);
  std::string all = body["problems"].dump();
  CHECK_THAT(all, Catch::Contains("chat answer is 950 characters"));
  CHECK_THAT(all, Catch::Contains("no-such-article"));
  CHECK(json::parse(cm.Get("/api/v1/kb/versions")->body)["versions"].size() == 1);
  auto malformed = cm.Send("PUT", "/api/v1/kb/articles/bsn/draft", R"({"id":"bsn","audiences":"x"})");
  REQUIRE(malformed);
  CHECK(malformed->status == 422);
}

TEST_CASE("a content manager cannot act as an agent and vice versa", "[integration][kb]") {
  Setup s;
  StaffClient cm(s.server->port(), "cm@loket.nl");
  StaffClient agent(s.server->port(), "agent@loket.nl");
  CHECK(cm.Get("/api/v1/handoff/queue")->status == 403);
  CHECK(agent.Get("/api/v1/kb/articles")->status == 403);
  CHECK(agent.Send("POST", "/api/v1/kb/publish", "{}")->status == 403);
  CHECK(agent.Send("POST", "/api/v1/kb/try", R"({"text":"bsn"})")->status == 403);
}

TEST_CASE("unanswered questions are grouped, masked and can become example questions", "[integration][kb]") {
  Setup s;
  for (const char* q : {"Moje nazwisko to Kowalski, mój telefon +48 601 234 567, gdzie jest ambasada polska w Hadze?",
                        "gdzie jest ambasada polska w hadze", "Hadze ambasada polska gdzie jest",
                        "Who won the football match? Send the score to jan.kowalski@example.com",
                        "Who won the football match yesterday? My IBAN NL91 ABNA 0417 1643 00 for the bet"}) {
    fakes::ChatClient p(s.server->port());
    p.Say(q, std::string(q).find("football") != std::string::npos ? "en" : "pl");
    // Answered but not helpful: kept for content managers too.
    if (!p.ChoiceStarting("fb:no").empty()) p.Tap("fb:no");
  }
  StaffClient cm(s.server->port(), "cm@loket.nl");
  auto r = cm.Get("/api/v1/kb/unanswered");
  REQUIRE(r);
  REQUIRE(r->status == 200);
  std::string all = r->body;
  CHECK_THAT(all, !Catch::Contains("601 234 567"));
  CHECK_THAT(all, !Catch::Contains("NL91"));
  CHECK_THAT(all, !Catch::Contains("jan.kowalski@example.com"));
  CHECK_THAT(all, Catch::Contains("[number]"));
  CHECK_THAT(all, Catch::Contains("[iban]"));
  CHECK_THAT(all, Catch::Contains("[e-mail]"));
  json groups = json::parse(all)["groups"];
  bool grouped = false;
  for (const auto& g : groups) grouped = grouped || g["count"] == 2;
  CHECK(grouped);
  int64_t id = groups[0]["id"];
  auto add = cm.Send("POST", "/api/v1/kb/unanswered/" + std::to_string(id) + "/add", R"({"article":"desk-win"})");
  REQUIRE(add);
  CHECK(add->status == 200);
  json draft = json::parse(cm.Get("/api/v1/kb/articles/desk-win")->body)["draft"];
  CHECK(!draft.is_null());
}
