// `loket staff …`: staff accounts on the command line (wiring to handoff::StaffService).
#include <unistd.h>

#include <iostream>
#include <sstream>

#include "app/commands.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "handoff/staff.hpp"
#include "store/store.hpp"

namespace app {

namespace {

constexpr int kOk = 0, kFailure = 1, kUsage = 2;
constexpr const char* kUsageText =
    "usage: loket staff add --email E --name N --role agent|supervisor|content-manager|admin [--queues q1,q2]\n"
    "                       [--languages pl,ro]   (password from standard input, or generated and printed once)\n"
    "       loket staff list | disable E | reset-password E | token E\n";

std::vector<std::string> SplitComma(const std::string& s) {
  std::vector<std::string> out;
  std::stringstream in(s);
  std::string item;
  while (std::getline(in, item, ',')) {
    if (!item.empty()) out.push_back(item);
  }
  return out;
}

// A password piped in, or a generated one (printed once).
std::string ReadPassword(handoff::StaffService& service, bool& generated) {
  std::string password;
  if (!isatty(STDIN_FILENO)) std::getline(std::cin, password);
  while (!password.empty() && (password.back() == '\n' || password.back() == '\r')) password.pop_back();
  generated = password.empty();
  return generated ? service.NewPassword() : password;
}

}  // namespace

int RunStaff(const core::Config& config, const std::vector<std::string>& args) {
  if (args.empty()) {
    std::cerr << kUsageText;
    return kUsage;
  }
  auto store = store::Store::Open(config.db_path);
  if (!store.ok()) {
    std::cerr << "loket: " << store.error().message << "\n";
    return kFailure;
  }
  core::SystemClock clock;
  core::SodiumRandom random;
  handoff::StaffService service(**store, clock, random);
  const std::string actor = "cli";
  const std::string& sub = args[0];
  auto fail = [](const core::Error& e) {
    std::cerr << "loket: " << e.message << "\n";
    return kFailure;
  };
  if (sub == "add") {
    std::string email, name, role, queues, languages;
    for (size_t i = 1; i < args.size(); ++i) {
      auto value = [&]() { return i + 1 < args.size() ? args[++i] : std::string(); };
      if (args[i] == "--email") email = value();
      else if (args[i] == "--name") name = value();
      else if (args[i] == "--role") role = value();
      else if (args[i] == "--queues") queues = value();
      else if (args[i] == "--languages") languages = value();
      else {
        std::cerr << kUsageText;
        return kUsage;
      }
    }
    if (email.empty() || name.empty() || role.empty()) {
      std::cerr << kUsageText;
      return kUsage;
    }
    bool generated = false;
    std::string password = ReadPassword(service, generated);
    auto st = service.Add(email, name, role, SplitComma(queues), SplitComma(languages), password, actor);
    if (!st.ok()) return fail(st.error());
    std::cout << "added " << st->email << " (" << st->role << ")\n";
    if (generated) std::cout << "password (shown once): " << password << "\n";
    return kOk;
  }
  if (sub == "list" && args.size() == 1) {
    auto list = service.List();
    if (!list.ok()) return fail(list.error());
    for (const auto& s : *list) {
      std::cout << s.email << "  " << s.name << "  " << s.role << "  queues=";
      for (size_t i = 0; i < s.queues.size(); ++i) std::cout << (i ? "," : "") << s.queues[i];
      std::cout << (s.disabled ? "  DISABLED" : "") << "\n";
    }
    return kOk;
  }
  if (sub == "disable" && args.size() == 2) {
    auto r = service.Disable(args[1], actor);
    if (!r.ok()) return fail(r.error());
    std::cout << args[1] << " is disabled\n";
    return kOk;
  }
  if (sub == "reset-password" && args.size() == 2) {
    bool generated = false;
    std::string password = ReadPassword(service, generated);
    auto r = service.ResetPassword(args[1], password, actor);
    if (!r.ok()) return fail(r.error());
    std::cout << "password reset for " << args[1] << "\n";
    if (generated) std::cout << "password (shown once): " << password << "\n";
    return kOk;
  }
  if (sub == "token" && args.size() == 2) {
    auto t = service.IssueApiToken(args[1], actor);
    if (!t.ok()) return fail(t.error());
    std::cout << *t << "\n";
    return kOk;
  }
  std::cerr << kUsageText;
  return kUsage;
}

}  // namespace app
