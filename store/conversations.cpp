#include "store/conversations.hpp"

namespace store::conversations {
namespace {

constexpr const char* kColumns =
    "id, channel, address, COALESCE(lang,''), COALESCE(lang_source,''), mode, state, profile, "
    "created_ms, updated_ms, COALESCE(last_inbound_ms, 0)";

Conversation FromRow(const Statement& s) {
  Conversation c;
  c.id = s.Int(0);
  c.channel = s.Text(1);
  c.address = s.Text(2);
  c.lang = s.Text(3);
  c.lang_source = s.Text(4);
  c.mode = s.Text(5);
  c.state = s.Text(6);
  c.profile = s.Text(7);
  c.created_ms = s.Int(8);
  c.updated_ms = s.Int(9);
  c.last_inbound_ms = s.Int(10);
  return c;
}

core::Result<Conversation> QueryOne(Statement& s) {
  auto row = s.Step();
  if (!row.ok()) return row.error();
  if (!*row) return core::MakeError(core::ErrorCode::kNotFound, "no such conversation");
  return FromRow(s);
}

}  // namespace

core::Result<Conversation> Find(Database& db, const std::string& channel, const std::string& address) {
  auto s = Statement::Prepare(db, std::string("SELECT ") + kColumns +
                                      " FROM conversation WHERE channel = ?1 AND address = ?2");
  if (!s.ok()) return s.error();
  s->Bind(1, channel).Bind(2, address);
  return QueryOne(*s);
}

core::Result<Conversation> Get(Database& db, int64_t id) {
  auto s = Statement::Prepare(db, std::string("SELECT ") + kColumns + " FROM conversation WHERE id = ?1");
  if (!s.ok()) return s.error();
  s->Bind(1, id);
  return QueryOne(*s);
}

core::Result<void> Create(Database& db, Conversation& c) {
  auto s = Statement::Prepare(
      db,
      "INSERT INTO conversation (channel, address, lang, lang_source, mode, state, profile, "
      "created_ms, updated_ms, last_inbound_ms) VALUES (?1, ?2, NULLIF(?3,''), NULLIF(?4,''), ?5, ?6, ?7, ?8, ?9, NULLIF(?10, 0))");
  if (!s.ok()) return s.error();
  s->Bind(1, c.channel).Bind(2, c.address).Bind(3, c.lang).Bind(4, c.lang_source).Bind(5, c.mode)
      .Bind(6, c.state).Bind(7, c.profile).Bind(8, c.created_ms).Bind(9, c.updated_ms)
      .Bind(10, c.last_inbound_ms);
  auto r = s->Run();
  if (!r.ok()) return r.error();
  c.id = db.LastInsertId();
  return {};
}

core::Result<void> Update(Database& db, const Conversation& c) {
  auto s = Statement::Prepare(
      db,
      "UPDATE conversation SET lang = NULLIF(?2,''), lang_source = NULLIF(?3,''), mode = ?4, state = ?5, "
      "profile = ?6, updated_ms = ?7, last_inbound_ms = NULLIF(?8, 0) WHERE id = ?1");
  if (!s.ok()) return s.error();
  s->Bind(1, c.id).Bind(2, c.lang).Bind(3, c.lang_source).Bind(4, c.mode).Bind(5, c.state)
      .Bind(6, c.profile).Bind(7, c.updated_ms).Bind(8, c.last_inbound_ms);
  auto r = s->Run();
  if (!r.ok()) return r.error();
  if (db.Changes() == 0) return core::MakeError(core::ErrorCode::kNotFound, "no such conversation");
  return {};
}

core::Result<void> Delete(Database& db, int64_t id) {
  auto s = Statement::Prepare(db, "DELETE FROM conversation WHERE id = ?1");
  if (!s.ok()) return s.error();
  s->Bind(1, id);
  return s->Run();
}

}  // namespace store::conversations
