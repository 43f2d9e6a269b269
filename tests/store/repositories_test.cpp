#include <catch2/catch.hpp>

#include "store/conversations.hpp"
#include "store/database.hpp"
#include "store/messages.hpp"
#include "store/migrations.hpp"
#include "store/outbox.hpp"

namespace {

store::Database Fresh() {
  auto db = store::Database::Open(":memory:");
  REQUIRE(db.ok());
  REQUIRE(store::Migrate(*db).ok());
  return std::move(*db);
}

store::Conversation NewConversation(store::Database& db, const std::string& address) {
  store::Conversation c;
  c.channel = "whatsapp";
  c.address = address;
  c.created_ms = c.updated_ms = 10;
  REQUIRE(store::conversations::Create(db, c).ok());
  return c;
}

int64_t AppendOut(store::Database& db, int64_t conversation, const std::string& text) {
  store::StoredMessage m;
  m.conversation_id = conversation;
  m.direction = "out";
  m.sender = "bot";
  m.text = text;
  m.choices = {{"menu", "Menu"}};
  m.created_ms = 11;
  REQUIRE(store::messages::Append(db, m).ok());
  return m.id;
}

}  // namespace

TEST_CASE("conversations are found by channel and address, updated and deleted", "[store][conversations]") {
  auto db = Fresh();
  auto c = NewConversation(db, "48600000001");
  auto found = store::conversations::Find(db, "whatsapp", "48600000001");
  REQUIRE(found.ok());
  CHECK(found->id == c.id);
  CHECK(found->mode == "bot");

  found->lang = "pl";
  found->state = R"({"state":"menu"})";
  REQUIRE(store::conversations::Update(db, *found).ok());
  auto again = store::conversations::Get(db, c.id);
  REQUIRE(again.ok());
  CHECK(again->lang == "pl");
  CHECK(again->state == R"({"state":"menu"})");

  store::Conversation twin = c;
  CHECK(store::conversations::Create(db, twin).error().code == core::ErrorCode::kConflict);
  CHECK(store::conversations::Find(db, "telegram", "48600000001").error().code == core::ErrorCode::kNotFound);

  AppendOut(db, c.id, "hello");
  REQUIRE(store::conversations::Delete(db, c.id).ok());
  CHECK(*store::QueryInt(db, "SELECT COUNT(*) FROM message") == 0);
}

TEST_CASE("messages get consecutive sequence numbers per conversation", "[store][messages]") {
  auto db = Fresh();
  auto a = NewConversation(db, "a");
  auto b = NewConversation(db, "b");
  AppendOut(db, a.id, "one");
  AppendOut(db, b.id, "other");
  AppendOut(db, a.id, "two");
  auto list = store::messages::ListAfter(db, a.id, 0, 10);
  REQUIRE(list.ok());
  REQUIRE(list->size() == 2);
  CHECK((*list)[0].seq == 1);
  CHECK((*list)[1].seq == 2);
  CHECK((*list)[1].text == "two");
  REQUIRE((*list)[1].choices.size() == 1);
  CHECK((*list)[1].choices[0].label == "Menu");
  auto later = store::messages::ListAfter(db, a.id, 1, 10);
  REQUIRE(later.ok());
  CHECK(later->size() == 1);
}

TEST_CASE("a provider message id is new only once", "[store][messages]") {
  auto db = Fresh();
  CHECK(*store::inbound_seen::MarkNew(db, "telegram", "734100001", 1));
  CHECK_FALSE(*store::inbound_seen::MarkNew(db, "telegram", "734100001", 2));
  CHECK(*store::inbound_seen::MarkNew(db, "whatsapp", "734100001", 2));
}

TEST_CASE("the outbox hands out one item per conversation in order", "[store][outbox]") {
  auto db = Fresh();
  auto a = NewConversation(db, "a");
  auto b = NewConversation(db, "b");
  store::OutboxItem a1{0, a.id, AppendOut(db, a.id, "a1"), "whatsapp", "", 0, 0, ""};
  store::OutboxItem a2{0, a.id, AppendOut(db, a.id, "a2"), "whatsapp", "", 0, 0, ""};
  store::OutboxItem b1{0, b.id, AppendOut(db, b.id, "b1"), "whatsapp", "", 0, 0, ""};
  REQUIRE(store::outbox::Enqueue(db, a1, 100).ok());
  REQUIRE(store::outbox::Enqueue(db, a2, 100).ok());
  REQUIRE(store::outbox::Enqueue(db, b1, 100).ok());

  auto due = store::outbox::Due(db, 100, 10);
  REQUIRE(due.ok());
  REQUIRE(due->size() == 2);
  CHECK((*due)[0].id == a1.id);
  CHECK((*due)[1].id == b1.id);

  // a1 must be retried later: a2 waits behind it, keeping the conversation's order.
  REQUIRE(store::outbox::MarkRetry(db, a1.id, 500, "HTTP 503").ok());
  due = store::outbox::Due(db, 200, 10);
  REQUIRE(due.ok());
  REQUIRE(due->size() == 1);
  CHECK((*due)[0].id == b1.id);

  REQUIRE(store::outbox::MarkSent(db, a1.id, 600).ok());
  due = store::outbox::Due(db, 600, 10);
  REQUIRE(due.ok());
  CHECK((*due)[0].id == a2.id);
  REQUIRE(store::outbox::MarkFailed(db, a2.id, "recipient blocked").ok());
  CHECK(*store::outbox::CountPending(db) == 1);
}

TEST_CASE("the audit log records actions", "[store][audit]") {
  auto db = Fresh();
  REQUIRE(store::audit::Append(db, 5, "staff:1", "report.view", "MS-2026-000001", "").ok());
  CHECK(*store::QueryInt(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'report.view'") == 1);
}
