// Drives the real HTTP server in-process over loopback with real requests.
#include <catch2/catch.hpp>

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <thread>

#include "server/app.hpp"
#include "tests/fakes/temp_dir.hpp"

using nlohmann::json;

namespace {

struct RunningApp {
  fakes::TempDir dir;
  std::unique_ptr<server::App> app;
  std::thread thread;
  int port = 0;

  explicit RunningApp(int64_t max_body = 256 * 1024) {
    core::Config config;
    config.db_path = dir.Path("loket.db");
    config.listen_port = 0;
    config.max_body_bytes = max_body;
    config.content_dir = std::string(LOKET_SOURCE_DIR) + "/content";
    config.data_key = "MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=";
    auto created = server::App::Create(config);
    REQUIRE(created.ok());
    app = std::move(*created);
    auto bound = app->Start();
    REQUIRE(bound.ok());
    port = *bound;
    thread = std::thread([this] { app->Serve(); });
  }
  ~RunningApp() {
    app->Shutdown();
    thread.join();
  }
  httplib::Client Client() const {
    httplib::Client c("127.0.0.1", port);
    c.set_read_timeout(60, 0);
    return c;
  }
};

json Body(const httplib::Result& r) {
  REQUIRE(r);
  auto j = json::parse(r->body, nullptr, false);
  REQUIRE_FALSE(j.is_discarded());
  return j;
}

}  // namespace

TEST_CASE("operations endpoints answer", "[integration][http]") {
  RunningApp s;
  auto c = s.Client();
  auto health = c.Get("/healthz");
  REQUIRE(health);
  CHECK(health->status == 200);
  auto ready = c.Get("/readyz");
  REQUIRE(ready);
  CHECK(ready->status == 200);
  CHECK(Body(ready)["checks"]["database"] == "ok");
  REQUIRE(c.Post("/api/v1/chat", R"({"text":"hi"})", "application/json"));
  auto metrics = c.Get("/metrics");
  REQUIRE(metrics);
  CHECK(metrics->status == 200);
  CHECK_THAT(metrics->body, Catch::Contains("loket_http_requests_total{route=\"/api/v1/chat\",status=\"200\"} 1"));
  CHECK_THAT(metrics->body, Catch::Contains("loket_http_request_seconds_bucket"));
  CHECK_THAT(metrics->body, Catch::Contains("loket_messages_in_total{channel=\"webchat\"} 1"));
  CHECK_THAT(metrics->body, Catch::Contains("loket_writer_batch_size_count"));
  CHECK_THAT(metrics->body, Catch::Contains("loket_writer_queue_depth"));
}

TEST_CASE("errors have JSON bodies and fitting statuses", "[integration][http]") {
  RunningApp s(1024);
  auto c = s.Client();
  auto missing = c.Get("/no/such/route");
  REQUIRE(missing);
  CHECK(missing->status == 404);
  CHECK(Body(missing)["error"]["code"] == "not_found");

  auto malformed = c.Post("/api/v1/chat", "{\"text\": ", "application/json");
  REQUIRE(malformed);
  CHECK(malformed->status == 400);
  CHECK(Body(malformed)["error"]["code"] == "malformed_json");

  auto wrong_type = c.Post("/api/v1/chat", R"({"text": 12})", "application/json");
  REQUIRE(wrong_type);
  CHECK(wrong_type->status == 400);
  CHECK_THAT(Body(wrong_type)["error"]["message"].get<std::string>(), Catch::Contains("text"));

  auto bad_lang = c.Post("/api/v1/chat", R"({"text": "x", "lang": "xx"})", "application/json");
  REQUIRE(bad_lang);
  CHECK(bad_lang->status == 400);

  auto empty = c.Post("/api/v1/chat", R"({})", "application/json");
  REQUIRE(empty);
  CHECK(empty->status == 400);

  auto big = c.Post("/api/v1/chat", std::string(2048, 'a'), "application/json");
  REQUIRE(big);
  CHECK(big->status == 413);
  CHECK(Body(big)["error"]["code"] == "payload_too_large");
}

TEST_CASE("a web chat keeps its session; forged sessions get 401", "[integration][http]") {
  RunningApp s;
  auto c = s.Client();
  auto first = c.Post("/api/v1/chat", R"({"text":"Dzień dobry","lang":"pl"})", "application/json");
  REQUIRE(first);
  REQUIRE(first->status == 200);
  json body = Body(first);
  std::string session = body["session"];
  CHECK(session.size() >= 43);
  CHECK(body["lang"] == "pl");
  CHECK(body["mode"] == "bot");
  REQUIRE(body["replies"].size() >= 1);
  CHECK(body["replies"][0]["text"].is_string());
  CHECK(body["replies"][0]["choices"].is_array());

  httplib::Headers headers = {{"X-Loket-Session", session}};
  auto second = c.Post("/api/v1/chat", headers, R"({"text":"pytanie"})", "application/json");
  REQUIRE(second);
  CHECK(second->status == 200);
  CHECK(Body(second)["session"] == session);

  auto messages = c.Get("/api/v1/chat/messages?after=0", headers);
  REQUIRE(messages);
  CHECK(messages->status == 200);
  json list = Body(messages)["messages"];
  REQUIRE(list.size() >= 2);
  CHECK(list[0]["from"] == "bot");
  CHECK(list[1]["seq"].get<int>() > list[0]["seq"].get<int>());

  auto bad_after = c.Get("/api/v1/chat/messages?after=x", headers);
  REQUIRE(bad_after);
  CHECK(bad_after->status == 400);

  std::string forged = session;
  forged[0] = forged[0] == 'A' ? 'B' : 'A';
  for (const auto& token : {forged, std::string("nonsense")}) {
    httplib::Headers h = {{"X-Loket-Session", token}};
    auto r = c.Post("/api/v1/chat", h, R"({"text":"x"})", "application/json");
    REQUIRE(r);
    CHECK(r->status == 401);
    CHECK(Body(r)["error"]["code"] == "unauthenticated");
    auto m = c.Get("/api/v1/chat/messages", h);
    REQUIRE(m);
    CHECK(m->status == 401);
  }
}

TEST_CASE("a database that cannot grow answers 503, never a silent drop", "[integration][http]") {
  RunningApp s;
  auto c = s.Client();
  REQUIRE(c.Post("/api/v1/chat", R"({"text":"warm up"})", "application/json"));
  REQUIRE(s.app->store().Write([](store::Database& db) -> core::Result<void> {
    auto pages = store::QueryInt(db, "PRAGMA page_count");
    if (!pages.ok()) return pages.error();
    return db.Exec("PRAGMA max_page_count = " + std::to_string(*pages));
  }).ok());
  bool saw_503 = false;
  for (int i = 0; i < 200 && !saw_503; ++i) {
    auto r = c.Post("/api/v1/chat", json{{"text", std::string(3000, 'x')}}.dump(), "application/json");
    REQUIRE(r);
    if (r->status == 503) {
      saw_503 = true;
      CHECK(Body(r)["error"]["code"] == "unavailable");
      CHECK(r->has_header("Retry-After"));
    } else {
      CHECK(r->status == 200);
    }
  }
  CHECK(saw_503);
}
