// Staff queues and handoff through the real HTTP API.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "tests/fakes/chat_client.hpp"
#include "tests/fakes/fake_clock.hpp"
#include "tests/fakes/running_app.hpp"
#include "tests/fakes/temp_dir.hpp"

using nlohmann::json;

namespace {

// A staff member using the API with the session cookie and the CSRF token.
class StaffClient {
 public:
  StaffClient(int port, const std::string& email, const std::string& password) : client_("127.0.0.1", port) {
    client_.set_read_timeout(120, 0);  // publishing rebuilds the index: slow under the sanitizers
    auto r = client_.Post("/api/v1/staff/login", json{{"email", email}, {"password", password}}.dump(), "application/json");
    REQUIRE(r);
    status_ = r->status;
    if (r->status != 200) return;
    csrf_ = json::parse(r->body)["csrf"];
    std::string cookie = r->get_header_value("Set-Cookie");
    cookie_ = cookie.substr(0, cookie.find(';'));
  }
  httplib::Result Get(const std::string& path) { return client_.Get(path, {{"Cookie", cookie_}}); }
  httplib::Result Post(const std::string& path, const json& body = json::object(), bool with_csrf = true) {
    httplib::Headers h = {{"Cookie", cookie_}};
    if (with_csrf) h.emplace("X-CSRF-Token", csrf_);
    return client_.Post(path, h, body.dump(), "application/json");
  }
  int login_status() const { return status_; }

 private:
  httplib::Client client_;
  std::string csrf_, cookie_;
  int status_ = 0;
};

struct Setup {
  fakes::TempDir dir;
  fakes::FakeClock clock;
  std::unique_ptr<fakes::RunningApp> server;
  Setup() {
    server::AppDeps deps;
    deps.clock = &clock;
    server = std::make_unique<fakes::RunningApp>(dir.Path("h.db"), 256 * 1024, nullptr, deps);
    auto& staff = server->app().staff();
    REQUIRE(staff.Add("agent.pl@loket.nl", "Agnieszka", "agent", {"general"}, {"pl", "nl"}, "correct horse battery", "test").ok());
    REQUIRE(staff.Add("agent.ro@loket.nl", "Radu", "agent", {"general"}, {"ro"}, "correct horse battery", "test").ok());
    REQUIRE(staff.Add("hecs@loket.nl", "Hanna", "agent", {"hecs"}, {"en"}, "correct horse battery", "test").ok());
    REQUIRE(staff.Add("super@loket.nl", "Sam", "supervisor", {}, {"en"}, "correct horse battery", "test").ok());
    REQUIRE(staff.Add("content@loket.nl", "Cem", "content-manager", {}, {"tr"}, "correct horse battery", "test").ok());
  }
  int port() { return server->port(); }
};

json Items(StaffClient& s) {
  auto r = s.Get("/api/v1/handoff/queue");
  REQUIRE(r);
  REQUIRE(r->status == 200);
  return json::parse(r->body)["items"];
}

}  // namespace

TEST_CASE("nobody unauthenticated sees anything; roles are enforced", "[integration][handoff]") {
  Setup s;
  httplib::Client anon("127.0.0.1", s.port());
  for (const char* path : {"/api/v1/handoff/queue", "/api/v1/handoff/conversations/1", "/api/v1/reports", "/api/v1/staff/me"}) {
    auto r = anon.Get(path);
    REQUIRE(r);
    CHECK(r->status == 401);
  }
  StaffClient content(s.port(), "content@loket.nl", "correct horse battery");
  REQUIRE(content.login_status() == 200);
  auto q = content.Get("/api/v1/handoff/queue");
  REQUIRE(q);
  CHECK(q->status == 403);
  StaffClient agent(s.port(), "agent.pl@loket.nl", "correct horse battery");
  auto reports = agent.Get("/api/v1/reports");
  REQUIRE(reports);
  CHECK(reports->status == 403);
  StaffClient wrong(s.port(), "agent.pl@loket.nl", "not the password");
  CHECK(wrong.login_status() == 401);
}

TEST_CASE("repeated wrong passwords lock the account", "[integration][handoff]") {
  Setup s;
  for (int i = 0; i < 5; ++i) {
    StaffClient attempt(s.port(), "agent.ro@loket.nl", "guess " + std::to_string(i));
    CHECK(attempt.login_status() == 401);
  }
  StaffClient right(s.port(), "agent.ro@loket.nl", "correct horse battery");
  CHECK(right.login_status() == 429);
  s.clock.Advance(16 * 60 * 1000);
  StaffClient later(s.port(), "agent.ro@loket.nl", "correct horse battery");
  CHECK(later.login_status() == 200);
}

TEST_CASE("urgent first, then waiting time; agents see only their queues; CSRF is required", "[integration][handoff]") {
  Setup s;
  fakes::ChatClient first(s.port());
  first.Say("Potrzebuję pomocy z umową", "pl");
  first.Say("człowiek");
  CHECK(first.last()["mode"] == "queued");
  s.clock.Advance(60 * 1000);
  fakes::ChatClient second(s.port());
  second.Say("hello", "en");
  second.Say("the landlord beats me and took my passport");  // danger: urgent
  CHECK(second.last()["mode"] == "queued");

  StaffClient super(s.port(), "super@loket.nl", "correct horse battery");
  json items = Items(super);
  REQUIRE(items.size() == 2);
  CHECK(items[0]["priority"] == "urgent");
  CHECK(items[1]["lang"] == "pl");
  CHECK(items[1]["waited_s"].get<int>() >= 60);

  StaffClient hecs(s.port(), "hecs@loket.nl", "correct horse battery");
  CHECK(Items(hecs).empty());
  int64_t id = items[1]["conversation"];
  auto forbidden = hecs.Get("/api/v1/handoff/conversations/" + std::to_string(id));
  REQUIRE(forbidden);
  CHECK(forbidden->status == 403);

  StaffClient agent(s.port(), "agent.pl@loket.nl", "correct horse battery");
  auto no_csrf = agent.Post("/api/v1/handoff/conversations/" + std::to_string(id) + "/claim", json::object(), false);
  REQUIRE(no_csrf);
  CHECK(no_csrf->status == 403);

  // SLA: the urgent one breaches after five minutes.
  s.clock.Advance(6 * 60 * 1000);
  CHECK(Items(super)[0]["sla_breached"] == true);
  httplib::Client metrics("127.0.0.1", s.port());
  auto m = metrics.Get("/metrics");
  REQUIRE(m);
  CHECK_THAT(m->body, Catch::Contains("loket_handoff_sla_breaches"));
}

TEST_CASE("auto-assignment goes to an agent who speaks the language", "[integration][handoff]") {
  Setup s;
  fakes::ChatClient ro(s.port());
  ro.Say("Bună ziua, am nevoie de ajutor", "ro");
  ro.Say("operator");
  auto assigned = s.server->app().handoff().AutoAssign();
  REQUIRE(assigned.ok());
  StaffClient super(s.port(), "super@loket.nl", "correct horse battery");
  json items = Items(super);
  REQUIRE(items.size() == 1);
  CHECK(items[0]["assigned_to"] == "Radu");
}

TEST_CASE("claim, reply on the person's channel, note, return to the bot", "[integration][handoff]") {
  Setup s;
  fakes::ChatClient person(s.port());
  person.Say("Dzień dobry", "pl");
  person.Say("konsultant");
  REQUIRE(person.last()["mode"] == "queued");
  person.Say("<img src=x onerror=alert(1)> czy ktoś tu jest?");
  CHECK(person.last()["replies"].empty());  // kept for the agent, the bot stays quiet

  StaffClient agent(s.port(), "agent.pl@loket.nl", "correct horse battery");
  json items = Items(agent);
  REQUIRE(items.size() == 1);
  std::string base = "/api/v1/handoff/conversations/" + std::to_string(items[0]["conversation"].get<int64_t>());
  REQUIRE(agent.Post(base + "/claim")->status == 200);
  REQUIRE(agent.Post(base + "/notes", {{"text", "asks about wages, Tilburg"}})->status == 200);
  REQUIRE(agent.Post(base + "/messages", {{"text", "Dzień dobry, tu Agnieszka. W czym mogę pomóc?"}})->status == 200);
  auto view = agent.Get(base);
  REQUIRE(view);
  json conversation = json::parse(view->body);
  CHECK(conversation["lang"] == "pl");
  CHECK(conversation["mode"] == "human");
  CHECK(conversation["notes"][0]["text"] == "asks about wages, Tilburg");
  bool found_raw = false;
  for (const auto& m : conversation["messages"]) found_raw = found_raw || m["text"].get<std::string>().find("<img src=x") != std::string::npos;
  CHECK(found_raw);  // stored as text; the console renders it as text

  httplib::Client c("127.0.0.1", s.port());
  auto later = c.Get("/api/v1/chat/messages?after=0", {{"X-Loket-Session", person.session()}});
  REQUIRE(later);
  CHECK_THAT(later->body, Catch::Contains("tu Agnieszka"));
  CHECK_THAT(later->body, Catch::Contains("\"from\":\"staff\""));

  REQUIRE(agent.Post(base + "/return")->status == 200);
  person.Say("ile wynosi płaca minimalna w holandii");
  CHECK(person.last()["mode"] == "bot");
  CHECK_THAT(person.Text(), Catch::Contains("14,"));
}

TEST_CASE("the person hears their place in the queue and can rate a closed conversation", "[integration][handoff]") {
  Setup s;
  fakes::ChatClient person(s.port());
  person.Say("hello", "en");
  person.Say("person");
  CHECK_THAT(person.Text(), Catch::Contains("You are number 1 in the queue."));
  StaffClient agent(s.port(), "super@loket.nl", "correct horse battery");
  std::string base = "/api/v1/handoff/conversations/" + std::to_string(Items(agent)[0]["conversation"].get<int64_t>());
  REQUIRE(agent.Post(base + "/claim")->status == 200);
  REQUIRE(agent.Post(base + "/close")->status == 200);
  httplib::Client c("127.0.0.1", s.port());
  auto later = c.Get("/api/v1/chat/messages?after=0", {{"X-Loket-Session", person.session()}});
  REQUIRE(later);
  CHECK_THAT(later->body, Catch::Contains("rate:5"));
  person.Tap("rate:4");
  CHECK_THAT(person.Text(), Catch::Contains("Thank you for your rating."));
  auto metrics = s.server->app().store().Read([&](store::Database& db) -> core::Result<void> {
    CHECK(*store::QueryInt(db, "SELECT rating FROM handoff") == 4);
    return {};
  });
  CHECK(metrics.ok());
}

TEST_CASE("reports back office over HTTP: list, show with contact, status change told to the reporter, export",
          "[integration][handoff]") {
  Setup s;
  fakes::ChatClient person(s.port());
  person.Say("menu", "pl");
  person.Tap("menu:report");
  person.Tap("form:housing");
  person.Say("Dwanaście osób w jednym pokoju.");
  person.Say("gotowe");
  person.Say("Tilburg");
  for (int i = 0; i < 6; ++i) person.Tap("form:skip");  // address, who, when, ongoing, others, evidence
  person.Tap("form:contact");
  person.Say("+48 600 100 200");
  person.Tap("form:pl");
  person.Tap("form:yes");
  person.Tap("form:confirm");
  StaffClient super(s.port(), "super@loket.nl", "correct horse battery");
  auto list = super.Get("/api/v1/reports?category=housing");
  REQUIRE(list);
  REQUIRE(list->status == 200);
  json reports = json::parse(list->body)["reports"];
  REQUIRE(reports.size() == 1);
  std::string ref = reports[0]["ref"];
  CHECK(reports[0]["queue"] == "municipal-enforcement");
  auto shown = super.Get("/api/v1/reports/" + ref);
  REQUIRE(shown);
  json report = json::parse(shown->body);
  CHECK(report["contact"] == "+48600100200");
  CHECK(report["description"] == "Dwanaście osób w jednym pokoju.");
  auto bad = super.Post("/api/v1/reports/" + ref + "/status", {{"status", "lost"}});
  REQUIRE(bad);
  CHECK(bad->status == 400);
  auto changed = super.Post("/api/v1/reports/" + ref + "/status", {{"status", "in_progress"}, {"note", "assigned to inspector"}});
  REQUIRE(changed);
  CHECK(changed->status == 200);
  httplib::Client c("127.0.0.1", s.port());
  auto later = c.Get("/api/v1/chat/messages?after=0", {{"X-Loket-Session", person.session()}});
  REQUIRE(later);
  CHECK_THAT(later->body, Catch::Contains(ref));  // told in Polish through the web chat
  auto csv = super.Get("/api/v1/reports/export?format=csv");
  REQUIRE(csv);
  CHECK(csv->status == 200);
  CHECK_THAT(csv->body, Catch::StartsWith("ref,created,status"));
  CHECK_THAT(csv->body, Catch::Contains(ref));
  CHECK_THAT(csv->body, !Catch::Contains("+48600100200"));  // contact only when asked for
  json history = json::parse(super.Get("/api/v1/reports/" + ref)->body)["history"];
  REQUIRE(history.size() == 2);
  CHECK(history[1]["note"] == "assigned to inspector");
}
