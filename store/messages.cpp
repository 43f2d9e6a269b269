#include "store/messages.hpp"

#include <nlohmann/json.hpp>

namespace store {
namespace messages {

core::Result<void> Append(Database& db, StoredMessage& m) {
  auto next = Statement::Prepare(db, "UPDATE conversation SET next_seq = next_seq + 1 WHERE id = ?1 RETURNING next_seq - 1");
  if (!next.ok()) return next.error();
  next->Bind(1, m.conversation_id);
  auto row = next->Step();
  if (!row.ok()) return row.error();
  if (!*row) return core::MakeError(core::ErrorCode::kNotFound, "no such conversation");
  m.seq = next->Int(0);
  (void)next->Step();

  std::string choices_json;
  if (!m.choices.empty()) {
    nlohmann::json arr = nlohmann::json::array();
    for (const auto& c : m.choices) arr.push_back({{"id", c.id}, {"label", c.label}});
    choices_json = arr.dump();
  }
  auto s = Statement::Prepare(
      db,
      "INSERT INTO message (conversation_id, seq, direction, sender, text, payload, choices, "
      "provider_message_id, created_ms) VALUES (?1, ?2, ?3, ?4, ?5, NULLIF(?6,''), NULLIF(?7,''), NULLIF(?8,''), ?9)");
  if (!s.ok()) return s.error();
  s->Bind(1, m.conversation_id).Bind(2, m.seq).Bind(3, m.direction).Bind(4, m.sender).Bind(5, m.text)
      .Bind(6, m.payload).Bind(7, choices_json).Bind(8, m.provider_message_id).Bind(9, m.created_ms);
  auto r = s->Run();
  if (!r.ok()) return r.error();
  m.id = db.LastInsertId();
  return {};
}

core::Result<std::vector<StoredMessage>> ListAfter(Database& db, int64_t conversation_id, int64_t after,
                                                   int limit) {
  auto s = Statement::Prepare(
      db,
      "SELECT id, conversation_id, seq, direction, sender, text, COALESCE(payload,''), COALESCE(choices,''), "
      "COALESCE(provider_message_id,''), created_ms FROM message WHERE conversation_id = ?1 AND seq > ?2 "
      "ORDER BY seq LIMIT ?3");
  if (!s.ok()) return s.error();
  s->Bind(1, conversation_id).Bind(2, after).Bind(3, limit);
  std::vector<StoredMessage> out;
  while (true) {
    auto row = s->Step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    StoredMessage m;
    m.id = s->Int(0);
    m.conversation_id = s->Int(1);
    m.seq = s->Int(2);
    m.direction = s->Text(3);
    m.sender = s->Text(4);
    m.text = s->Text(5);
    m.payload = s->Text(6);
    std::string choices = s->Text(7);
    if (!choices.empty()) {
      auto arr = nlohmann::json::parse(choices, nullptr, false);
      if (arr.is_array()) {
        for (const auto& c : arr) {
          if (c.is_object() && c.value("id", nlohmann::json()).is_string()) {
            m.choices.push_back({c["id"].get<std::string>(), c.value("label", std::string())});
          }
        }
      }
    }
    m.provider_message_id = s->Text(8);
    m.created_ms = s->Int(9);
    out.push_back(std::move(m));
  }
  return out;
}

}  // namespace messages

namespace inbound_seen {

core::Result<bool> MarkNew(Database& db, const std::string& channel, const std::string& provider_id,
                           int64_t now_ms) {
  auto s = Statement::Prepare(
      db, "INSERT OR IGNORE INTO inbound_seen (channel, provider_message_id, received_ms) VALUES (?1, ?2, ?3)");
  if (!s.ok()) return s.error();
  s->Bind(1, channel).Bind(2, provider_id).Bind(3, now_ms);
  auto r = s->Run();
  if (!r.ok()) return r.error();
  return db.Changes() > 0;
}

}  // namespace inbound_seen
}  // namespace store
