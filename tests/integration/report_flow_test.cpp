// The misstanden report flow end to end, through the web-chat API of the real server.
#include <catch2/catch.hpp>
#include <signal.h>

#include <regex>
#include <thread>

#include "core/crypto.hpp"
#include "locales/localizer.hpp"
#include "store/database.hpp"
#include "store/reports.hpp"
#include "tests/fakes/chat_client.hpp"
#include "tests/fakes/running_app.hpp"
#include "tests/fakes/server_process.hpp"
#include "tests/fakes/temp_dir.hpp"

namespace {

const locales::Localizer& Loc() {
  static auto loc = *locales::Localizer::Load();
  return *loc;
}

store::Report OnlyReport(const std::string& db_path) {
  auto db = store::Database::Open(db_path);
  REQUIRE(db.ok());
  auto list = store::reports::List(*db, {});
  REQUIRE(list.ok());
  REQUIRE(list->size() == 1);
  return list->front();
}

int64_t Count(const std::string& db_path, const std::string& sql) {
  auto db = store::Database::Open(db_path);
  REQUIRE(db.ok());
  return *store::QueryInt(*db, sql);
}

// Walks the form up to the summary. `contact` empty = anonymous.
void FillReport(fakes::ChatClient& p, const std::string& lang, const std::string& what, const std::string& contact) {
  p.Say("menu", lang);
  p.Tap("menu:report");
  p.Tap("form:wages");
  p.Say(what);
  p.Say(Loc().Find(lang)->commands.at("done").front());
  p.Say("Oss");
  p.Tap("form:skip");                 // address
  p.Say("Uitzendbureau Voorbeeld");   // who
  p.Say("2026-10");                   // when
  p.Tap("form:yes");                  // still going on
  p.Say("12");                        // others
  p.Tap("form:skip");                 // evidence
  if (contact.empty()) {
    p.Tap("form:anonymous");
  } else {
    p.Tap("form:contact");
    p.Say(contact);
    p.Tap("form:" + lang);
  }
  p.Tap("form:yes");                  // consent
}

}  // namespace

TEST_CASE("a full report with contact, corrected from the summary, in six languages", "[integration][reports]") {
  for (const std::string lang : {"pl", "ro", "bg", "uk", "ar", "nl"}) {
    INFO(lang);
    fakes::TempDir dir;
    std::string db = dir.Path("r.db");
    fakes::RunningApp server(db);
    fakes::ChatClient p(server.port());
    p.Say("menu", lang);
    p.Tap("menu:report");
    p.Tap("form:wages");
    p.Say("The agency did not pay three weeks.");
    p.Say("They say the client did not pay them.");
    p.Say(Loc().Find(lang)->commands.at("done").front());
    p.Say("Atlantis");  // not a municipality: asked again with the reason
    CHECK_THAT(p.Text(), Catch::Contains(Loc().Format(lang, "report.where_unknown", {{"name", "Atlantis"}})));
    p.Say("Tilburg");
    p.Tap("form:back");  // back to "where"
    p.Say("Oss");
    p.Tap("form:skip");
    p.Say("Uitzendbureau Voorbeeld");
    p.Say("since October");
    p.Tap("form:yes");
    p.Say("about twelve");  // not a number
    CHECK_THAT(p.Text(), Catch::Contains(Loc().Format(lang, "report.others_invalid")));
    p.Say("12");
    p.Tap("form:skip");
    p.Tap("form:contact");
    p.Say("not-an-address@");
    CHECK_THAT(p.Text(), Catch::Contains(Loc().Format(lang, "report.contact_invalid")));
    p.Say("reporter@example.org");
    p.Tap("form:" + lang);
    p.Tap("form:no");  // consent refused: asked again
    CHECK_THAT(p.Text(), Catch::Contains(Loc().Format(lang, "report.consent_required")));
    p.Tap("form:yes");
    CHECK_THAT(p.Text(), Catch::Contains(Loc().Format(lang, "report.summary")));
    REQUIRE(!p.ChoiceStarting("form:change:where").empty());
    p.Tap("form:change:where");
    p.Say("Breda");
    CHECK_THAT(p.Text(), Catch::Contains("Breda"));
    p.Tap("form:confirm");
    std::smatch m;
    std::string text = p.Text();
    REQUIRE(std::regex_search(text, m, std::regex("MS-2026-\\d{6}")));
    auto r = OnlyReport(db);
    CHECK(r.ref == m.str());
    CHECK(r.category == "wages");
    CHECK(r.municipality == "breda");
    CHECK(r.region == "west-brabant");
    CHECK(r.queue == "labour-inspection");
    CHECK(r.description == "The agency did not pay three weeks.\nThey say the client did not pay them.");
    CHECK(r.others == "12");
    CHECK_FALSE(r.anonymous);
    CHECK(r.contact_lang == lang);
    CHECK(r.contact_enc.find("reporter@example.org") == std::string::npos);
    auto key = core::DataKey::FromText(fakes::kTestDataKey);
    REQUIRE(key.ok());
    CHECK(*key->Decrypt(r.contact_enc) == "reporter@example.org");
    CHECK(Count(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'report.received'") == 1);
  }
}

TEST_CASE("an anonymous report stores no contact", "[integration][reports]") {
  fakes::TempDir dir;
  std::string db = dir.Path("r.db");
  fakes::RunningApp server(db);
  fakes::ChatClient p(server.port());
  FillReport(p, "ro", "Nu am primit salariul pe septembrie.", "");
  p.Tap("form:confirm");
  auto r = OnlyReport(db);
  CHECK(r.anonymous);
  CHECK(r.contact_enc.empty());
  CHECK_THAT(p.Text(), Catch::Contains(r.ref));
}

TEST_CASE("cancel discards the draft; back from the first question is explained", "[integration][reports]") {
  fakes::TempDir dir;
  std::string db = dir.Path("r.db");
  fakes::RunningApp server(db);
  fakes::ChatClient p(server.port());
  p.Say("menu", "bg");
  p.Tap("menu:report");
  p.Say(Loc().Find("bg")->commands.at("back").front());
  CHECK_THAT(p.Text(), Catch::Contains(Loc().Format("bg", "back.nothing")));
  p.Tap("form:housing");
  p.Say(Loc().Find("bg")->commands.at("cancel").front());
  CHECK_THAT(p.Text(), Catch::Contains(Loc().Format("bg", "report.cancelled")));
  CHECK(Count(db, "SELECT COUNT(*) FROM report") == 0);
  CHECK(Count(db, "SELECT COUNT(*) FROM conversation WHERE state LIKE '%\"report\"%'") == 0);
}

TEST_CASE("a paused report resumes after a server restart", "[integration][reports]") {
  fakes::TempDir dir;
  std::string db = dir.Path("r.db");
  std::string session;
  {
    fakes::RunningApp server(db);
    fakes::ChatClient p(server.port());
    p.Say("menu", "uk");
    p.Tap("menu:report");
    p.Tap("form:safety");
    p.Say("Немає захисного спорядження на складі.");
    p.Say(Loc().Find("uk")->commands.at("pause").front());
    CHECK_THAT(p.Text(), Catch::Contains(Loc().Format("uk", "report.paused")));
    session = p.session();
  }
  fakes::RunningApp server(db);
  httplib::Client c("127.0.0.1", server.port());
  auto r = c.Post("/api/v1/chat", {{"X-Loket-Session", session}}, R"({"choice":"menu:report"})", "application/json");
  REQUIRE(r);
  CHECK_THAT(r->body, Catch::Contains("report:resume"));
  r = c.Post("/api/v1/chat", {{"X-Loket-Session", session}}, R"({"choice":"report:resume"})", "application/json");
  REQUIRE(r);
  // The person was in the middle of "what happened": the same question comes back.
  auto body = nlohmann::json::parse(r->body);
  CHECK_THAT(body["replies"][0]["text"].get<std::string>(), Catch::Contains(Loc().Format("uk", "report.what_question")));
}

TEST_CASE("a danger signal mid-report shows 112 and escalates without losing the report", "[integration][reports]") {
  for (const std::string lang : {"nl", "pl", "ar"}) {
    INFO(lang);
    fakes::TempDir dir;
    std::string db = dir.Path("r.db");
    fakes::RunningApp server(db);
    fakes::ChatClient p(server.port());
    p.Say("menu", lang);
    p.Tap("menu:report");
    p.Tap("form:exploitation");
    std::string danger = Loc().Find(lang)->danger.front();
    p.Say("Sinds maandag: " + danger);
    CHECK_THAT(p.Text(), Catch::Contains(Loc().Format(lang, "danger.emergency")));
    CHECK(p.last()["mode"] == "queued");
    CHECK(Count(db, "SELECT COUNT(*) FROM handoff WHERE priority = 'urgent' AND status = 'waiting'") == 1);
    // The report goes on while the person waits.
    p.Say(Loc().Find(lang)->commands.at("done").front());
    p.Say("Helmond");
    p.Tap("form:skip");
    p.Tap("form:skip");
    p.Tap("form:skip");
    p.Tap("form:yes");
    p.Tap("form:skip");
    p.Tap("form:skip");
    p.Tap("form:anonymous");
    p.Tap("form:yes");
    p.Tap("form:confirm");
    auto r = OnlyReport(db);
    CHECK(r.urgent);
    CHECK(r.queue == "exploitation");
    CHECK_THAT(r.description, Catch::Contains(danger));
  }
}

TEST_CASE("parallel report flows never mix", "[integration][reports]") {
  fakes::TempDir dir;
  std::string db = dir.Path("r.db");
  fakes::RunningApp server(db);
  constexpr int kPeople = 8;
  std::vector<std::thread> threads;
  for (int i = 0; i < kPeople; ++i) {
    threads.emplace_back([&, i] {
      fakes::ChatClient p(server.port());
      FillReport(p, "pl", "person " + std::to_string(i) + " was not paid", "+48 600 000 00" + std::to_string(i));
      p.Tap("form:confirm");
    });
  }
  for (auto& t : threads) t.join();
  auto database = store::Database::Open(db);
  REQUIRE(database.ok());
  auto list = store::reports::List(*database, {});
  REQUIRE(list.ok());
  REQUIRE(list->size() == kPeople);
  auto key = core::DataKey::FromText(fakes::kTestDataKey);
  for (const auto& r : *list) {
    // Each report's description and contact belong to the same person.
    std::string n = r.description.substr(7, 1);
    CHECK(*key->Decrypt(r.contact_enc) == "+4860000000" + n);
  }
}

TEST_CASE("a report acknowledged just before SIGKILL is there after restart", "[integration][process]") {
  fakes::TempDir dir;
  std::string db = dir.Path("r.db");
  std::string ref;
  {
    fakes::LoketProcess loket({"serve"}, {{"LOKET_DB", db}, {"LOKET_LISTEN", "127.0.0.1:0"},
                                          {"LOKET_CONTENT_DIR", LOKET_SOURCE_DIR "/content"},
                                          {"LOKET_DATA_KEY", fakes::kTestDataKey}});
    int port = loket.WaitForPort();
    REQUIRE(port > 0);
    fakes::ChatClient p(port);
    FillReport(p, "nl", "Twaalf mensen in één kamer, geen brandmelder.", "0612345678");
    p.Tap("form:confirm");
    std::smatch m;
    std::string text = p.Text();
    REQUIRE(std::regex_search(text, m, std::regex("MS-\\d{4}-\\d{6}")));
    ref = m.str();
    loket.Signal(SIGKILL);
    CHECK(loket.Wait() == 128 + SIGKILL);
  }
  fakes::LoketProcess again({"reports", "show", ref}, {{"LOKET_DB", db}, {"LOKET_DATA_KEY", fakes::kTestDataKey}});
  CHECK(again.Wait() == 0);
  auto r = OnlyReport(db);
  CHECK(r.ref == ref);
  CHECK(r.description == "Twaalf mensen in één kamer, geen brandmelder.");
  auto key = core::DataKey::FromText(fakes::kTestDataKey);
  CHECK(*key->Decrypt(r.contact_enc) == "0612345678");
}
