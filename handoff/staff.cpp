#include "handoff/staff.hpp"

#include <sodium.h>

#include <nlohmann/json.hpp>

#include "store/outbox.hpp"

namespace handoff {

using core::ErrorCode;
using core::MakeError;
using nlohmann::json;

namespace {

constexpr const char* kColumns = "id, email, name, role, queues, languages, disabled, available";

Staff FromRow(const store::Statement& s) {
  Staff st;
  st.id = s.Int(0);
  st.email = s.Text(1);
  st.name = s.Text(2);
  st.role = s.Text(3);
  auto q = json::parse(s.Text(4), nullptr, false);
  if (q.is_array()) for (const auto& v : q) if (v.is_string()) st.queues.push_back(v);
  auto l = json::parse(s.Text(5), nullptr, false);
  if (l.is_array()) for (const auto& v : l) if (v.is_string()) st.languages.push_back(v);
  st.disabled = s.Int(6) != 0;
  st.available = s.Int(7) != 0;
  return st;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

core::Result<std::string> HashPassword(const std::string& password) {
  if (password.size() < 10) return MakeError(ErrorCode::kInvalidArgument, "passwords need at least 10 characters");
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.c_str(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                        crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
    return MakeError(ErrorCode::kUnavailable, "out of memory while hashing the password");
  }
  return std::string(out);
}

// Signs a staff member out everywhere (after disabling or a password reset).
core::Result<void> RevokeSessions(store::Database& db, const std::string& email) {
  auto d = store::Statement::Prepare(db, "DELETE FROM staff_session WHERE staff_id = (SELECT id FROM staff WHERE email = ?1)");
  if (!d.ok()) return d.error();
  d->Bind(1, email);
  return d->Run();
}

}  // namespace

bool IsRole(const std::string& role) {
  return role == "agent" || role == "supervisor" || role == "content-manager" || role == "admin";
}

bool Staff::Can(const std::string& permission) const {
  if (role == "admin") return true;
  if (permission == "handoff") return role == "agent" || role == "supervisor";
  if (permission == "handoff.all") return role == "supervisor";
  if (permission == "reports") return role == "supervisor";
  if (permission == "kb") return role == "content-manager";
  return false;
}

std::string TokenHash(const std::string& token) {
  unsigned char hash[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(hash, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
  return hex;
}

StaffService::StaffService(store::Store& store, core::Clock& clock, core::Random& random)
    : store_(store), clock_(clock), random_(random) {
  if (sodium_init() < 0) std::abort();
}

std::string StaffService::NewPassword() { return random_.Token(15); }

core::Result<Staff> StaffService::Add(const std::string& email_in, const std::string& name, const std::string& role,
                                      const std::vector<std::string>& queues, const std::vector<std::string>& languages,
                                      const std::string& password, const std::string& actor) {
  std::string email = Lower(email_in);
  if (email.find('@') == std::string::npos || email.size() < 3) return MakeError(ErrorCode::kInvalidArgument, "invalid e-mail");
  if (name.empty()) return MakeError(ErrorCode::kInvalidArgument, "a name is required");
  if (!IsRole(role)) return MakeError(ErrorCode::kInvalidArgument, "role must be agent, supervisor, content-manager or admin");
  auto hash = HashPassword(password);
  if (!hash.ok()) return hash.error();
  Staff st;
  auto r = store_.Write([&](store::Database& db) -> core::Result<void> {
    auto s = store::Statement::Prepare(db,
        "INSERT INTO staff (email, name, role, queues, languages, password_hash, created_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
    if (!s.ok()) return s.error();
    s->Bind(1, email).Bind(2, name).Bind(3, role).Bind(4, json(queues).dump()).Bind(5, json(languages).dump())
        .Bind(6, *hash).Bind(7, clock_.NowMs());
    auto ins = s->Run();
    if (!ins.ok()) {
      if (ins.error().code == ErrorCode::kConflict) return MakeError(ErrorCode::kConflict, "a staff account for " + email + " exists");
      return ins;
    }
    st = {db.LastInsertId(), email, name, role, queues, languages, false, true};
    return store::audit::Append(db, clock_.NowMs(), actor, "staff.add", "staff:" + std::to_string(st.id), "role=" + role);
  });
  if (!r.ok()) return r.error();
  return st;
}

core::Result<std::vector<Staff>> StaffService::List() {
  std::vector<Staff> out;
  auto r = store_.Read([&](store::Database& db) -> core::Result<void> {
    auto s = store::Statement::Prepare(db, std::string("SELECT ") + kColumns + " FROM staff ORDER BY email");
    if (!s.ok()) return s.error();
    while (true) {
      auto row = s->Step();
      if (!row.ok()) return row.error();
      if (!*row) break;
      out.push_back(FromRow(*s));
    }
    return {};
  });
  if (!r.ok()) return r.error();
  return out;
}

core::Result<void> StaffService::Disable(const std::string& email, const std::string& actor) {
  return store_.Write([&](store::Database& db) -> core::Result<void> {
    auto s = store::Statement::Prepare(db, "UPDATE staff SET disabled = 1 WHERE email = ?1");
    if (!s.ok()) return s.error();
    s->Bind(1, Lower(email));
    auto r = s->Run();
    if (!r.ok()) return r;
    if (db.Changes() == 0) return MakeError(ErrorCode::kNotFound, "no staff account " + email);
    auto revoked = RevokeSessions(db, Lower(email));
    if (!revoked.ok()) return revoked;
    return store::audit::Append(db, clock_.NowMs(), actor, "staff.disable", Lower(email), "");
  });
}

core::Result<void> StaffService::ResetPassword(const std::string& email, const std::string& password, const std::string& actor) {
  auto hash = HashPassword(password);
  if (!hash.ok()) return hash.error();
  return store_.Write([&](store::Database& db) -> core::Result<void> {
    auto s = store::Statement::Prepare(db,
        "UPDATE staff SET password_hash = ?2, failed_logins = 0, locked_until_ms = 0 WHERE email = ?1");
    if (!s.ok()) return s.error();
    s->Bind(1, Lower(email)).Bind(2, *hash);
    auto r = s->Run();
    if (!r.ok()) return r;
    if (db.Changes() == 0) return MakeError(ErrorCode::kNotFound, "no staff account " + email);
    auto revoked = RevokeSessions(db, Lower(email));
    if (!revoked.ok()) return revoked;
    return store::audit::Append(db, clock_.NowMs(), actor, "staff.reset_password", Lower(email), "");
  });
}

core::Result<StaffService::Session> StaffService::Login(const std::string& email_in, const std::string& password) {
  std::string email = Lower(email_in);
  int64_t now = clock_.NowMs();
  Staff st;
  std::string hash;
  int64_t locked_until = 0;
  bool found = false;
  auto r = store_.Read([&](store::Database& db) -> core::Result<void> {
    auto s = store::Statement::Prepare(db, std::string("SELECT ") + kColumns + ", password_hash, locked_until_ms FROM staff WHERE email = ?1");
    if (!s.ok()) return s.error();
    s->Bind(1, email);
    auto row = s->Step();
    if (!row.ok()) return row.error();
    if (!*row) return {};
    found = true;
    st = FromRow(*s);
    hash = s->Text(8);
    locked_until = s->Int(9);
    return {};
  });
  if (!r.ok()) return r.error();
  auto refuse = MakeError(ErrorCode::kUnauthenticated, "wrong e-mail address or password");
  if (!found) {
    // Spend the same time as a real check, so response times do not reveal which e-mails exist.
    char dummy[crypto_pwhash_STRBYTES];
    if (crypto_pwhash_str(dummy, password.c_str(), password.size(), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                          crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0) {
      return MakeError(ErrorCode::kUnavailable, "out of memory");
    }
    return refuse;
  }
  if (locked_until > now) return MakeError(ErrorCode::kRateLimited, "too many failed attempts; try again later");
  bool ok = !st.disabled && crypto_pwhash_str_verify(hash.c_str(), password.c_str(), password.size()) == 0;
  Session session;
  auto w = store_.Write([&](store::Database& db) -> core::Result<void> {
    if (!ok) {
      auto s = store::Statement::Prepare(db,
          "UPDATE staff SET failed_logins = failed_logins + 1, locked_until_ms = CASE WHEN failed_logins + 1 >= ?2 "
          "THEN ?3 ELSE locked_until_ms END, failed_logins = CASE WHEN failed_logins + 1 >= ?2 THEN 0 ELSE failed_logins + 1 END "
          "WHERE id = ?1");
      if (!s.ok()) return s.error();
      s->Bind(1, st.id).Bind(2, kMaxFailedLogins).Bind(3, now + kLockoutMs);
      auto u = s->Run();
      if (!u.ok()) return u;
      return store::audit::Append(db, now, "staff:" + std::to_string(st.id), "staff.login_failed", email, "");
    }
    session.token = random_.Token(32);
    session.csrf = random_.Token(24);
    session.staff = st;
    auto s = store::Statement::Prepare(db,
        "INSERT INTO staff_session (token_hash, staff_id, csrf, kind, created_ms, expires_ms) VALUES (?1, ?2, ?3, 'cookie', ?4, ?5)");
    if (!s.ok()) return s.error();
    s->Bind(1, TokenHash(session.token)).Bind(2, st.id).Bind(3, session.csrf).Bind(4, now).Bind(5, now + kSessionMs);
    auto ins = s->Run();
    if (!ins.ok()) return ins;
    auto reset = store::Statement::Prepare(db, "UPDATE staff SET failed_logins = 0 WHERE id = ?1");
    if (!reset.ok()) return reset.error();
    reset->Bind(1, st.id);
    auto rr = reset->Run();
    if (!rr.ok()) return rr;
    return store::audit::Append(db, now, "staff:" + std::to_string(st.id), "staff.login", email, "");
  });
  if (!w.ok()) return w.error();
  if (!ok) return refuse;
  return session;
}

core::Result<void> StaffService::Logout(const std::string& token) {
  return store_.Write([&](store::Database& db) -> core::Result<void> {
    auto s = store::Statement::Prepare(db, "DELETE FROM staff_session WHERE token_hash = ?1");
    if (!s.ok()) return s.error();
    s->Bind(1, TokenHash(token));
    return s->Run();
  });
}

core::Result<std::string> StaffService::IssueApiToken(const std::string& email, const std::string& actor) {
  std::string token = "lkt_" + random_.Token(32);
  auto r = store_.Write([&](store::Database& db) -> core::Result<void> {
    auto s = store::Statement::Prepare(db,
        "INSERT INTO staff_session (token_hash, staff_id, csrf, kind, created_ms, expires_ms) "
        "SELECT ?1, id, '', 'api', ?2, 9223372036854775807 FROM staff WHERE email = ?3 AND disabled = 0");
    if (!s.ok()) return s.error();
    s->Bind(1, TokenHash(token)).Bind(2, clock_.NowMs()).Bind(3, Lower(email));
    auto ins = s->Run();
    if (!ins.ok()) return ins;
    if (db.Changes() == 0) return MakeError(ErrorCode::kNotFound, "no active staff account " + email);
    return store::audit::Append(db, clock_.NowMs(), actor, "staff.api_token", Lower(email), "");
  });
  if (!r.ok()) return r.error();
  return token;
}

core::Result<StaffService::Principal> StaffService::Authenticate(const std::string& token) {
  if (token.empty()) return MakeError(ErrorCode::kUnauthenticated, "sign in first");
  Principal p;
  bool found = false;
  int64_t now = clock_.NowMs();
  auto r = store_.Read([&](store::Database& db) -> core::Result<void> {
    auto s = store::Statement::Prepare(db,
        "SELECT s.id, s.email, s.name, s.role, s.queues, s.languages, s.disabled, s.available, x.csrf, x.kind "
        "FROM staff_session x JOIN staff s ON s.id = x.staff_id WHERE x.token_hash = ?1 AND x.expires_ms > ?2");
    if (!s.ok()) return s.error();
    s->Bind(1, TokenHash(token)).Bind(2, now);
    auto row = s->Step();
    if (!row.ok()) return row.error();
    if (!*row) return {};
    found = true;
    p.staff = FromRow(*s);
    p.csrf = s->Text(8);
    p.api = s->Text(9) == "api";
    return {};
  });
  if (!r.ok()) return r.error();
  if (!found || p.staff.disabled) return MakeError(ErrorCode::kUnauthenticated, "sign in first");
  return p;
}

}  // namespace handoff
