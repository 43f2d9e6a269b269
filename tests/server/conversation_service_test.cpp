#include <catch2/catch.hpp>

#include <thread>
#include <vector>

#include "bot/basic_engine.hpp"
#include "server/conversation_service.hpp"
#include "store/outbox.hpp"
#include "tests/fakes/fake_clock.hpp"
#include "tests/fakes/sequence_random.hpp"
#include "tests/fakes/temp_dir.hpp"

namespace {

struct Fixture {
  fakes::TempDir dir;
  fakes::FakeClock clock;
  fakes::SequenceRandom random;
  bot::BasicEngine engine;
  std::unique_ptr<store::Store> store;
  std::unique_ptr<server::ConversationService> service;
  Fixture() {
    auto s = store::Store::Open(dir.Path("c.db"));
    REQUIRE(s.ok());
    store = std::move(*s);
    service = std::make_unique<server::ConversationService>(*store, engine, clock, random, nullptr);
  }
  int64_t Count(const std::string& sql) {
    int64_t n = -1;
    REQUIRE(store->Read([&](store::Database& db) -> core::Result<void> {
      n = *store::QueryInt(db, sql);
      return {};
    }).ok());
    return n;
  }
};

core::InboundMessage Text(const std::string& text, const std::string& lang = "") {
  core::InboundMessage m;
  m.text = text;
  m.lang = lang;
  return m;
}

}  // namespace

TEST_CASE("a first web-chat message creates a conversation and a session", "[server][conversation]") {
  Fixture f;
  auto turn = f.service->WebChat("", Text("hallo", "nl"));
  REQUIRE(turn.ok());
  CHECK(turn->session.size() == 43);
  CHECK(turn->lang == "nl");
  CHECK(turn->mode == "bot");
  REQUIRE(turn->replies.size() == 1);
  CHECK(f.Count("SELECT COUNT(*) FROM message") == 2);
  // The token itself is never stored, only its hash.
  CHECK(f.Count("SELECT COUNT(*) FROM conversation WHERE address = '" + turn->session + "'") == 0);

  auto next = f.service->WebChat(turn->session, Text("nog een vraag"));
  REQUIRE(next.ok());
  CHECK(next->lang == "nl");
  CHECK(next->last_seq == 4);
  auto later = f.service->WebChatMessages(turn->session, 2);
  REQUIRE(later.ok());
  CHECK(later->size() == 2);
}

TEST_CASE("unknown, forged and malformed sessions are refused", "[server][conversation]") {
  Fixture f;
  auto forged = f.service->WebChat(std::string(43, 'A'), Text("x"));
  REQUIRE_FALSE(forged.ok());
  CHECK(forged.error().code == core::ErrorCode::kUnauthenticated);
  CHECK(f.service->WebChat("short", Text("x")).error().code == core::ErrorCode::kUnauthenticated);
  CHECK(f.service->WebChatMessages("../../etc", 0).error().code == core::ErrorCode::kUnauthenticated);
  CHECK(f.Count("SELECT COUNT(*) FROM conversation") == 0);
}

TEST_CASE("empty and oversized messages are rejected before anything is stored", "[server][conversation]") {
  Fixture f;
  CHECK(f.service->WebChat("", Text("")).error().code == core::ErrorCode::kInvalidArgument);
  CHECK(f.service->WebChat("", Text(std::string(5000, 'a'))).error().code == core::ErrorCode::kTooLarge);
  CHECK(f.Count("SELECT COUNT(*) FROM message") == 0);
}

TEST_CASE("a redelivered provider message is processed once and replies go to the outbox", "[server][conversation]") {
  Fixture f;
  core::InboundMessage m;
  m.channel = "telegram";
  m.sender_id = "6123456789";
  m.text = "Cześć";
  m.message_id = "734100001";
  auto first = f.service->HandleInbound(m);
  REQUIRE(first.ok());
  CHECK(*first);
  auto again = f.service->HandleInbound(m);
  REQUIRE(again.ok());
  CHECK_FALSE(*again);
  CHECK(f.Count("SELECT COUNT(*) FROM message WHERE direction = 'in'") == 1);
  CHECK(f.Count("SELECT COUNT(*) FROM outbox WHERE status = 'pending'") == 1);
}

TEST_CASE("parallel conversations never mix their messages", "[server][conversation]") {
  Fixture f;
  constexpr int kPeople = 8, kTurns = 10;
  std::vector<std::string> sessions(kPeople);
  std::vector<std::thread> threads;
  for (int p = 0; p < kPeople; ++p) {
    threads.emplace_back([&, p] {
      auto t = f.service->WebChat("", Text("person " + std::to_string(p) + " turn 0"));
      REQUIRE(t.ok());
      sessions[p] = t->session;
      for (int i = 1; i < kTurns; ++i) {
        REQUIRE(f.service->WebChat(t->session, Text("person " + std::to_string(p) + " turn " + std::to_string(i))).ok());
      }
    });
  }
  for (auto& t : threads) t.join();
  CHECK(f.Count("SELECT COUNT(*) FROM conversation") == kPeople);
  CHECK(f.Count("SELECT COUNT(*) FROM message") == kPeople * kTurns * 2);
  for (int p = 0; p < kPeople; ++p) {
    std::string like = "person " + std::to_string(p) + " turn %";
    CHECK(f.Count("SELECT COUNT(DISTINCT conversation_id) FROM message WHERE text LIKE '" + like + "'") == 1);
  }
}
