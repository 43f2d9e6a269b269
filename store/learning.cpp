#include "store/learning.hpp"

namespace store {
namespace learning {

core::Result<void> AddFeedback(Database& db, int64_t ts_ms, const std::string& article_id, const std::string& lang,
                               bool helpful) {
  auto s = Statement::Prepare(db, "INSERT INTO feedback (ts_ms, article_id, lang, helpful) VALUES (?1, ?2, ?3, ?4)");
  if (!s.ok()) return s.error();
  s->Bind(1, ts_ms).Bind(2, article_id).Bind(3, lang).Bind(4, helpful ? 1 : 0);
  return s->Run();
}

core::Result<void> AddUnanswered(Database& db, int64_t ts_ms, const std::string& lang, const std::string& masked_text,
                                 double confidence, const std::string& suggestions_json) {
  auto s = Statement::Prepare(
      db, "INSERT INTO unanswered (ts_ms, lang, text, confidence, suggestions) VALUES (?1, ?2, ?3, ?4, ?5)");
  if (!s.ok()) return s.error();
  s->Bind(1, ts_ms).Bind(2, lang).Bind(3, masked_text).Bind(4, confidence).Bind(5, suggestions_json);
  return s->Run();
}

core::Result<void> CountTopic(Database& db, const std::string& day, const std::string& channel, const std::string& lang,
                              const std::string& topic, const std::string& region) {
  auto s = Statement::Prepare(
      db,
      "INSERT INTO stats_daily (day, channel, lang, topic, region, count) VALUES (?1, ?2, ?3, ?4, ?5, 1) "
      "ON CONFLICT (day, channel, lang, topic, region) DO UPDATE SET count = count + 1");
  if (!s.ok()) return s.error();
  s->Bind(1, day).Bind(2, channel).Bind(3, lang).Bind(4, topic).Bind(5, region);
  return s->Run();
}

}  // namespace learning

namespace handoffs {

core::Result<void> Open(Database& db, int64_t conversation_id, const std::string& reason, const std::string& priority,
                        const std::string& desk, const std::string& lang, int64_t now_ms) {
  auto open = Statement::Prepare(db, "SELECT id, priority FROM handoff WHERE conversation_id = ?1 AND status IN ('waiting', 'assigned')");
  if (!open.ok()) return open.error();
  open->Bind(1, conversation_id);
  auto row = open->Step();
  if (!row.ok()) return row.error();
  if (*row) {
    // Already queued: an urgent signal still raises the priority.
    if (priority != "urgent") return {};
    auto up = Statement::Prepare(db, "UPDATE handoff SET priority = 'urgent', reason = ?2 WHERE id = ?1");
    if (!up.ok()) return up.error();
    up->Bind(1, open->Int(0)).Bind(2, reason);
    return up->Run();
  }
  auto s = Statement::Prepare(
      db,
      "INSERT INTO handoff (conversation_id, reason, priority, desk, lang, queued_ms, queue) "
      "VALUES (?1, ?2, ?3, NULLIF(?4,''), ?5, ?6, COALESCE(NULLIF(?4,''), 'general'))");
  if (!s.ok()) return s.error();
  s->Bind(1, conversation_id).Bind(2, reason).Bind(3, priority).Bind(4, desk).Bind(5, lang).Bind(6, now_ms);
  return s->Run();
}

core::Result<void> Return(Database& db, int64_t conversation_id, int64_t now_ms) {
  auto s = Statement::Prepare(
      db, "UPDATE handoff SET status = 'returned', closed_ms = ?2 WHERE conversation_id = ?1 AND status IN ('waiting', 'assigned')");
  if (!s.ok()) return s.error();
  s->Bind(1, conversation_id).Bind(2, now_ms);
  return s->Run();
}

}  // namespace handoffs
}  // namespace store
