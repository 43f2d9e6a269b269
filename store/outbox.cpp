#include "store/outbox.hpp"

namespace store {
namespace outbox {

core::Result<void> Enqueue(Database& db, OutboxItem& item, int64_t now_ms) {
  auto s = Statement::Prepare(
      db,
      "INSERT INTO outbox (conversation_id, message_id, channel, next_attempt_ms, created_ms) "
      "VALUES (?1, ?2, ?3, ?4, ?4)");
  if (!s.ok()) return s.error();
  s->Bind(1, item.conversation_id).Bind(2, item.message_id).Bind(3, item.channel).Bind(4, now_ms);
  auto r = s->Run();
  if (!r.ok()) return r.error();
  item.id = db.LastInsertId();
  item.status = "pending";
  item.next_attempt_ms = now_ms;
  return {};
}

core::Result<std::vector<OutboxItem>> Due(Database& db, int64_t now_ms, int limit) {
  // The head of each conversation's pending queue, if it is due.
  auto s = Statement::Prepare(
      db,
      "SELECT o.id, o.conversation_id, o.message_id, o.channel, o.status, o.attempts, o.next_attempt_ms, "
      "COALESCE(o.last_error,'') FROM outbox o "
      "WHERE o.status = 'pending' AND o.next_attempt_ms <= ?1 AND o.id = "
      "(SELECT MIN(id) FROM outbox p WHERE p.conversation_id = o.conversation_id AND p.status = 'pending') "
      "ORDER BY o.id LIMIT ?2");
  if (!s.ok()) return s.error();
  s->Bind(1, now_ms).Bind(2, limit);
  std::vector<OutboxItem> out;
  while (true) {
    auto row = s->Step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    OutboxItem i;
    i.id = s->Int(0);
    i.conversation_id = s->Int(1);
    i.message_id = s->Int(2);
    i.channel = s->Text(3);
    i.status = s->Text(4);
    i.attempts = static_cast<int>(s->Int(5));
    i.next_attempt_ms = s->Int(6);
    i.last_error = s->Text(7);
    out.push_back(std::move(i));
  }
  return out;
}

namespace {
core::Result<void> RunUpdate(Database& db, const char* sql, int64_t id, int64_t n, const std::string& text) {
  auto s = Statement::Prepare(db, sql);
  if (!s.ok()) return s.error();
  s->Bind(1, id).Bind(2, n).Bind(3, text);
  return s->Run();
}
}  // namespace

core::Result<void> MarkSent(Database& db, int64_t id, int64_t now_ms) {
  return RunUpdate(db, "UPDATE outbox SET status='sent', attempts=attempts+1, sent_ms=?2, last_error=NULLIF(?3,'') WHERE id=?1",
                   id, now_ms, "");
}

core::Result<void> MarkRetry(Database& db, int64_t id, int64_t next_attempt_ms, const std::string& error) {
  return RunUpdate(db, "UPDATE outbox SET attempts=attempts+1, next_attempt_ms=?2, last_error=?3 WHERE id=?1", id,
                   next_attempt_ms, error);
}

core::Result<void> MarkFailed(Database& db, int64_t id, const std::string& error) {
  return RunUpdate(db, "UPDATE outbox SET status='failed', attempts=attempts+1, last_error=?3 WHERE id=?1 AND ?2 = ?2",
                   id, 0, error);
}

core::Result<int64_t> CountPending(Database& db) {
  return QueryInt(db, "SELECT COUNT(*) FROM outbox WHERE status = 'pending'");
}

}  // namespace outbox

namespace audit {

core::Result<void> Append(Database& db, int64_t ts_ms, const std::string& actor, const std::string& action,
                          const std::string& subject, const std::string& detail) {
  auto s = Statement::Prepare(
      db, "INSERT INTO audit_log (ts_ms, actor, action, subject, detail) VALUES (?1, ?2, ?3, NULLIF(?4,''), NULLIF(?5,''))");
  if (!s.ok()) return s.error();
  s->Bind(1, ts_ms).Bind(2, actor).Bind(3, action).Bind(4, subject).Bind(5, detail);
  return s->Run();
}

}  // namespace audit
}  // namespace store
