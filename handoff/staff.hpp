#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/random.hpp"
#include "core/result.hpp"
#include "store/store.hpp"

namespace handoff {

// A signed-in staff member. Plain data.
struct Staff {
  int64_t id = 0;
  std::string email, name, role;
  std::vector<std::string> queues;
  std::vector<std::string> languages;
  bool disabled = false;
  bool available = true;
  bool Can(const std::string& permission) const;
};

// Staff accounts and their sign-in: Argon2id password hashes (libsodium), login lockout after
// repeated failures, opaque session tokens stored only as hashes, a CSRF token per session, and
// API tokens for back-office integrations. Every change is audited. Thread-safe.
//
// Roles: agent (handoff in own queues), supervisor (all queues, SLA, reports), content-manager
// (knowledge base), admin (everything).
class StaffService {
 public:
  StaffService(store::Store& store, core::Clock& clock, core::Random& random);

  static constexpr int kMaxFailedLogins = 5;
  static constexpr int64_t kLockoutMs = 15 * 60 * 1000;
  static constexpr int64_t kSessionMs = 12 * 60 * 60 * 1000;

  // Creates an account. kInvalidArgument for a bad e-mail, role or a password under 10 characters;
  // kConflict when the e-mail exists.
  core::Result<Staff> Add(const std::string& email, const std::string& name, const std::string& role,
                          const std::vector<std::string>& queues, const std::vector<std::string>& languages,
                          const std::string& password, const std::string& actor);
  core::Result<std::vector<Staff>> List();
  core::Result<void> Disable(const std::string& email, const std::string& actor);
  core::Result<void> ResetPassword(const std::string& email, const std::string& password, const std::string& actor);

  struct Session {
    std::string token;  // goes into the cookie; never stored
    std::string csrf;
    Staff staff;
  };
  // Checks the password. kUnauthenticated for a wrong e-mail or password (the same message for
  // both), kRateLimited while the account is locked after too many failures.
  core::Result<Session> Login(const std::string& email, const std::string& password);
  core::Result<void> Logout(const std::string& token);
  // An API token for integrations (no CSRF; lives until the account is disabled).
  core::Result<std::string> IssueApiToken(const std::string& email, const std::string& actor);

  struct Principal {
    Staff staff;
    std::string csrf;  // empty for API tokens
    bool api = false;
  };
  // The staff member behind a session or API token; kUnauthenticated when unknown, expired or
  // disabled.
  core::Result<Principal> Authenticate(const std::string& token);

  std::string NewPassword();

 private:
  store::Store& store_;
  core::Clock& clock_;
  core::Random& random_;
};

bool IsRole(const std::string& role);
std::string TokenHash(const std::string& token);

}  // namespace handoff
