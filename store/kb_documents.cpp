#include "store/kb_documents.hpp"

namespace store::kb_documents {

core::Result<int64_t> Published(Database& db) {
  auto s = Statement::Prepare(db, "SELECT value FROM meta WHERE key = 'kb_published'");
  if (!s.ok()) return s.error();
  auto row = s->Step();
  if (!row.ok()) return row.error();
  if (!*row) return int64_t{0};
  return static_cast<int64_t>(std::stoll(s->Text(0)));
}

core::Result<Documents> At(Database& db, int64_t version) {
  auto s = Statement::Prepare(
      db,
      "SELECT d.name, d.body FROM kb_document d WHERE d.release = "
      "(SELECT MAX(release) FROM kb_document e WHERE e.name = d.name AND e.release <= ?1) "
      "AND d.body IS NOT NULL ORDER BY d.name");
  if (!s.ok()) return s.error();
  s->Bind(1, version);
  Documents out;
  while (true) {
    auto row = s->Step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    out[s->Text(0)] = s->Text(1);
  }
  return out;
}

core::Result<int64_t> Publish(Database& db, const Documents& documents, const std::string& author,
                              const std::string& note, int64_t now_ms) {
  auto current_version = Published(db);
  if (!current_version.ok()) return current_version.error();
  auto current = At(db, *current_version);
  if (!current.ok()) return current.error();
  auto release = Statement::Prepare(db, "INSERT INTO kb_release (created_ms, author, note) VALUES (?1, ?2, ?3)");
  if (!release.ok()) return release.error();
  release->Bind(1, now_ms).Bind(2, author).Bind(3, note);
  auto r = release->Run();
  if (!r.ok()) return r.error();
  int64_t version = db.LastInsertId();
  auto insert = Statement::Prepare(db, "INSERT INTO kb_document (name, release, body) VALUES (?1, ?2, ?3)");
  if (!insert.ok()) return insert.error();
  for (const auto& [name, body] : documents) {
    auto it = current->find(name);
    if (it != current->end() && it->second == body) continue;
    (void)insert->Reset();
    insert->Bind(1, name).Bind(2, version).Bind(3, body);
    auto ins = insert->Run();
    if (!ins.ok()) return ins.error();
  }
  for (const auto& [name, body] : *current) {
    if (documents.count(name)) continue;
    (void)insert->Reset();
    insert->Bind(1, name).Bind(2, version).BindNull(3);
    auto ins = insert->Run();
    if (!ins.ok()) return ins.error();
  }
  auto state = Statement::Prepare(
      db, "INSERT INTO meta (key, value) VALUES ('kb_published', ?1) ON CONFLICT(key) DO UPDATE SET value = excluded.value");
  if (!state.ok()) return state.error();
  state->Bind(1, std::to_string(version));
  auto st = state->Run();
  if (!st.ok()) return st.error();
  return version;
}

core::Result<std::vector<KbRelease>> Releases(Database& db) {
  auto s = Statement::Prepare(db, "SELECT version, created_ms, author, COALESCE(note,'') FROM kb_release ORDER BY version DESC");
  if (!s.ok()) return s.error();
  std::vector<KbRelease> out;
  while (true) {
    auto row = s->Step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    out.push_back({s->Int(0), s->Int(1), s->Text(2), s->Text(3)});
  }
  return out;
}

core::Result<void> SaveDraft(Database& db, const std::string& name, const std::string& body, const std::string& author,
                             int64_t now_ms) {
  auto s = Statement::Prepare(db,
      "INSERT INTO kb_draft (name, body, author, updated_ms) VALUES (?1, ?2, ?3, ?4) "
      "ON CONFLICT(name) DO UPDATE SET body = excluded.body, author = excluded.author, updated_ms = excluded.updated_ms");
  if (!s.ok()) return s.error();
  s->Bind(1, name).Bind(2, body).Bind(3, author).Bind(4, now_ms);
  return s->Run();
}

core::Result<Documents> Drafts(Database& db) {
  auto s = Statement::Prepare(db, "SELECT name, body FROM kb_draft ORDER BY name");
  if (!s.ok()) return s.error();
  Documents out;
  while (true) {
    auto row = s->Step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    out[s->Text(0)] = s->Text(1);
  }
  return out;
}

core::Result<void> ClearDrafts(Database& db) { return db.Exec("DELETE FROM kb_draft"); }

}  // namespace store::kb_documents
