#include "store/reports.hpp"

#include <cstdio>
#include <ctime>

namespace store::reports {

namespace {

constexpr const char* kColumns =
    "id, ref, COALESCE(conversation_id, 0), channel, lang, category, COALESCE(description,''), COALESCE(municipality,''), "
    "COALESCE(region,''), COALESCE(address,''), COALESCE(responsible,''), COALESCE(started,''), COALESCE(ongoing,''), "
    "COALESCE(others,''), evidence, anonymous, COALESCE(contact_enc,''), COALESCE(contact_lang,''), consent_ms, queue, "
    "urgent, status, created_ms, updated_ms";

Report FromRow(const Statement& s) {
  Report r;
  r.id = s.Int(0);
  r.ref = s.Text(1);
  r.conversation_id = s.Int(2);
  r.channel = s.Text(3);
  r.lang = s.Text(4);
  r.category = s.Text(5);
  r.description = s.Text(6);
  r.municipality = s.Text(7);
  r.region = s.Text(8);
  r.address = s.Text(9);
  r.responsible = s.Text(10);
  r.started = s.Text(11);
  r.ongoing = s.Text(12);
  r.others = s.Text(13);
  r.evidence = s.Text(14);
  r.anonymous = s.Int(15) != 0;
  r.contact_enc = s.Text(16);
  r.contact_lang = s.Text(17);
  r.consent_ms = s.Int(18);
  r.queue = s.Text(19);
  r.urgent = s.Int(20) != 0;
  r.status = s.Text(21);
  r.created_ms = s.Int(22);
  r.updated_ms = s.Int(23);
  return r;
}

int YearOf(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm.tm_year + 1900;
}

}  // namespace

bool IsStatus(const std::string& status) {
  return status == "received" || status == "in_progress" || status == "referred" || status == "closed";
}

core::Result<void> Insert(Database& db, Report& r, const std::string& actor) {
  int year = YearOf(r.created_ms);
  std::string key = "report_seq_" + std::to_string(year);
  auto seq = Statement::Prepare(db,
                                "INSERT INTO meta (key, value) VALUES (?1, '1') ON CONFLICT(key) DO UPDATE SET "
                                "value = CAST(value AS INTEGER) + 1 RETURNING value");
  if (!seq.ok()) return seq.error();
  seq->Bind(1, key);
  auto row = seq->Step();
  if (!row.ok()) return row.error();
  int64_t n = std::stoll(seq->Text(0));
  (void)seq->Step();
  char ref[32];
  std::snprintf(ref, sizeof ref, "MS-%d-%06lld", year, static_cast<long long>(n));
  r.ref = ref;
  auto s = Statement::Prepare(
      db,
      "INSERT INTO report (ref, conversation_id, channel, lang, category, description, municipality, region, address, "
      "responsible, started, ongoing, others, evidence, anonymous, contact_enc, contact_lang, consent_ms, queue, urgent, "
      "status, created_ms, updated_ms) VALUES (?1, NULLIF(?2, 0), ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
      "NULLIF(?16,''), NULLIF(?17,''), ?18, ?19, ?20, 'received', ?21, ?21)");
  if (!s.ok()) return s.error();
  s->Bind(1, r.ref).Bind(2, r.conversation_id).Bind(3, r.channel).Bind(4, r.lang).Bind(5, r.category)
      .Bind(6, r.description).Bind(7, r.municipality).Bind(8, r.region).Bind(9, r.address).Bind(10, r.responsible)
      .Bind(11, r.started).Bind(12, r.ongoing).Bind(13, r.others).Bind(14, r.evidence).Bind(15, r.anonymous ? 1 : 0)
      .Bind(16, r.contact_enc).Bind(17, r.contact_lang).Bind(18, r.consent_ms).Bind(19, r.queue)
      .Bind(20, r.urgent ? 1 : 0).Bind(21, r.created_ms);
  auto ins = s->Run();
  if (!ins.ok()) return ins;
  r.id = db.LastInsertId();
  r.status = "received";
  auto h = Statement::Prepare(db, "INSERT INTO report_status (report_id, status, note, actor, ts_ms) VALUES (?1, 'received', NULL, ?2, ?3)");
  if (!h.ok()) return h.error();
  h->Bind(1, r.id).Bind(2, actor).Bind(3, r.created_ms);
  return h->Run();
}

core::Result<Report> Get(Database& db, const std::string& ref) {
  auto s = Statement::Prepare(db, std::string("SELECT ") + kColumns + " FROM report WHERE ref = ?1");
  if (!s.ok()) return s.error();
  s->Bind(1, ref);
  auto row = s->Step();
  if (!row.ok()) return row.error();
  if (!*row) return core::MakeError(core::ErrorCode::kNotFound, "no report " + ref);
  return FromRow(*s);
}

core::Result<std::vector<Report>> List(Database& db, const ReportFilter& f) {
  auto s = Statement::Prepare(db, std::string("SELECT ") + kColumns +
                                      " FROM report WHERE (?1 = '' OR status = ?1) AND (?2 = '' OR category = ?2) AND "
                                      "(?3 = '' OR region = ?3) AND created_ms >= ?4 ORDER BY created_ms, id");
  if (!s.ok()) return s.error();
  s->Bind(1, f.status).Bind(2, f.category).Bind(3, f.region).Bind(4, f.since_ms);
  std::vector<Report> out;
  while (true) {
    auto row = s->Step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    out.push_back(FromRow(*s));
  }
  return out;
}

core::Result<std::vector<ReportStatusChange>> History(Database& db, int64_t report_id) {
  auto s = Statement::Prepare(db, "SELECT status, COALESCE(note,''), actor, ts_ms FROM report_status WHERE report_id = ?1 ORDER BY ts_ms, id");
  if (!s.ok()) return s.error();
  s->Bind(1, report_id);
  std::vector<ReportStatusChange> out;
  while (true) {
    auto row = s->Step();
    if (!row.ok()) return row.error();
    if (!*row) break;
    out.push_back({s->Text(0), s->Text(1), s->Text(2), s->Int(3)});
  }
  return out;
}

core::Result<void> SetStatus(Database& db, int64_t report_id, const std::string& status, const std::string& note,
                             const std::string& actor, int64_t now_ms) {
  if (!IsStatus(status)) {
    return core::MakeError(core::ErrorCode::kInvalidArgument,
                           "unknown status '" + status + "' (received, in_progress, referred, closed)");
  }
  auto u = Statement::Prepare(db, "UPDATE report SET status = ?2, updated_ms = ?3 WHERE id = ?1");
  if (!u.ok()) return u.error();
  u->Bind(1, report_id).Bind(2, status).Bind(3, now_ms);
  auto r = u->Run();
  if (!r.ok()) return r;
  if (db.Changes() == 0) return core::MakeError(core::ErrorCode::kNotFound, "no such report");
  auto h = Statement::Prepare(db, "INSERT INTO report_status (report_id, status, note, actor, ts_ms) VALUES (?1, ?2, NULLIF(?3,''), ?4, ?5)");
  if (!h.ok()) return h.error();
  h->Bind(1, report_id).Bind(2, status).Bind(3, note).Bind(4, actor).Bind(5, now_ms);
  return h->Run();
}

core::Result<void> StripPersonal(Database& db, int64_t conversation_id) {
  auto s = Statement::Prepare(
      db,
      "UPDATE report SET description = NULL, address = NULL, responsible = NULL, evidence = '[]', contact_enc = NULL, "
      "anonymous = 1, conversation_id = NULL WHERE conversation_id = ?1");
  if (!s.ok()) return s.error();
  s->Bind(1, conversation_id);
  return s->Run();
}

}  // namespace store::reports
