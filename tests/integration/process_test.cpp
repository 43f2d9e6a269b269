// Tests that need a real `loket` process: crash durability, graceful shutdown, start-up errors.
#include <catch2/catch.hpp>

#include <httplib.h>
#include <signal.h>

#include <atomic>
#include <fstream>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "store/database.hpp"
#include "tests/fakes/server_process.hpp"
#include "tests/fakes/temp_dir.hpp"

using nlohmann::json;

TEST_CASE("acknowledged messages survive SIGKILL", "[integration][process]") {
  fakes::TempDir dir;
  std::string db = dir.Path("loket.db");
  std::vector<std::pair<std::string, std::string>> acknowledged;  // session, text
  {
    fakes::LoketProcess loket({"serve"}, {{"LOKET_DB", db}, {"LOKET_LISTEN", "127.0.0.1:0"}, {"LOKET_CONTENT_DIR", LOKET_SOURCE_DIR "/content"}, {"LOKET_DATA_KEY", "MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE="}});
    int port = loket.WaitForPort();
    REQUIRE(port > 0);
    std::mutex mu;
    std::atomic<bool> stop{false};
    std::vector<std::thread> clients;
    for (int t = 0; t < 4; ++t) {
      clients.emplace_back([&, t] {
        httplib::Client c("127.0.0.1", port);
        std::string session;
        for (int i = 0; !stop; ++i) {
          std::string text = "client " + std::to_string(t) + " message " + std::to_string(i);
          httplib::Headers h;
          if (!session.empty()) h.emplace("X-Loket-Session", session);
          auto r = c.Post("/api/v1/chat", h, json{{"text", text}}.dump(), "application/json");
          if (!r || r->status != 200) break;  // the server died mid-request: not acknowledged
          session = json::parse(r->body)["session"];
          std::lock_guard<std::mutex> lock(mu);
          acknowledged.emplace_back(session, text);
        }
      });
    }
    while (true) {
      {
        std::lock_guard<std::mutex> lock(mu);
        if (acknowledged.size() >= 200) break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    loket.Signal(SIGKILL);  // while the clients are still sending
    stop = true;
    for (auto& c : clients) c.join();
    CHECK(loket.Wait() == 128 + SIGKILL);
  }
  auto database = store::Database::Open(db);
  REQUIRE(database.ok());
  int missing = 0;
  for (const auto& [session, text] : acknowledged) {
    auto s = store::Statement::Prepare(*database, "SELECT COUNT(*) FROM message WHERE text = ?1 AND direction = 'in'");
    REQUIRE(s.ok());
    s->Bind(1, text);
    REQUIRE(*s->Step());
    if (s->Int(0) != 1) ++missing;
  }
  INFO(acknowledged.size() << " acknowledged messages checked");
  CHECK(missing == 0);

  // And the restarted server serves the same sessions.
  fakes::LoketProcess again({"serve"}, {{"LOKET_DB", db}, {"LOKET_LISTEN", "127.0.0.1:0"}, {"LOKET_CONTENT_DIR", LOKET_SOURCE_DIR "/content"}, {"LOKET_DATA_KEY", "MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE="}});
  int port = again.WaitForPort();
  REQUIRE(port > 0);
  httplib::Client c("127.0.0.1", port);
  httplib::Headers h = {{"X-Loket-Session", acknowledged.front().first}};
  auto r = c.Post("/api/v1/chat", h, R"({"text":"after the crash"})", "application/json");
  REQUIRE(r);
  CHECK(r->status == 200);
}

TEST_CASE("SIGTERM finishes in-flight requests and exits 0", "[integration][process]") {
  fakes::TempDir dir;
  fakes::LoketProcess loket({"serve"}, {{"LOKET_DB", dir.Path("loket.db")}, {"LOKET_LISTEN", "127.0.0.1:0"}, {"LOKET_CONTENT_DIR", LOKET_SOURCE_DIR "/content"}, {"LOKET_DATA_KEY", "MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE="}});
  int port = loket.WaitForPort();
  REQUIRE(port > 0);
  std::atomic<int> ok{0}, failed{0};
  std::atomic<bool> stop{false};
  std::thread client([&] {
    httplib::Client c("127.0.0.1", port);
    while (!stop) {
      auto r = c.Post("/api/v1/chat", R"({"text":"hi"})", "application/json");
      if (!r) break;  // connection refused after shutdown: fine, it was never accepted
      if (r->status == 200) ok++; else failed++;
    }
  });
  while (ok < 20) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  loket.Signal(SIGTERM);
  int code = loket.Wait();
  stop = true;
  client.join();
  CHECK(code == 0);
  CHECK(failed == 0);
  CHECK_THAT(loket.stderr_text(), Catch::Contains("\"event\":\"stopped\""));
}

TEST_CASE("bad configuration stops start-up with a message naming the key", "[integration][process]") {
  fakes::TempDir dir;
  std::string config = dir.Path("config.json");
  std::ofstream(config) << R"({"listen": "127.0.0.1:0", "colour": "blue"})";
  fakes::LoketProcess unknown({"--config", config, "serve"}, {{"LOKET_DB", dir.Path("x.db")}});
  CHECK(unknown.Wait() == 1);
  CHECK_THAT(unknown.stderr_text(), Catch::Contains("colour"));

  fakes::LoketProcess partial({"serve"}, {{"LOKET_DB", dir.Path("x.db")}, {"LOKET_TELEGRAM_TOKEN", "1:abc"}});
  CHECK(partial.Wait() == 1);
  CHECK_THAT(partial.stderr_text(), Catch::Contains("LOKET_TELEGRAM_SECRET"));

  fakes::LoketProcess usage({"frobnicate"}, {});
  CHECK(usage.Wait() == 2);

  fakes::LoketProcess help({"serve", "--help"}, {});
  CHECK(help.Wait() == 0);
}
