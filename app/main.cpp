// The `loket` command line: parses global options, loads the configuration and dispatches to a
// command. Wiring only; every command's logic lives in a module.
#include <pthread.h>
#include <signal.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <map>
#include <string>
#include <thread>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/commands.hpp"
#include "core/config.hpp"
#include "core/log.hpp"
#include "server/app.hpp"
#include "store/migrations.hpp"
#include "store/store.hpp"

namespace {

constexpr int kOk = 0;
constexpr int kFailure = 1;
constexpr int kUsage = 2;

struct Command {
  const char* name;
  const char* summary;
  const char* usage;  // shown by `loket <command> --help`
  int (*run)(const core::Config& config, const std::vector<std::string>& args);
  bool needs_config;
};

int Fail(const std::string& message) {
  std::cerr << "loket: " << message << "\n";
  return kFailure;
}

bool WantsHelp(const std::vector<std::string>& args) {
  for (const auto& a : args) {
    if (a == "--help" || a == "-h") return true;
  }
  return false;
}

sigset_t ShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  sigaddset(&set, SIGHUP);
  return set;
}

int RunServe(const core::Config& config, const std::vector<std::string>& args) {
  if (!args.empty()) {
    std::cerr << "loket serve: unexpected argument '" << args[0] << "'\n";
    return kUsage;
  }
  // Block the shutdown signals in every thread; one thread waits for them.
  sigset_t signals = ShutdownSignals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  auto app = server::App::Create(config);
  if (!app.ok()) return Fail(app.error().message);
  auto port = (*app)->Start();
  if (!port.ok()) return Fail(port.error().message);
  server::App* raw = app->get();
  std::thread waiter([raw, signals] {
    while (true) {
      int sig = 0;
      if (sigwait(&signals, &sig) != 0) continue;
      if (sig == SIGHUP) {
        core::LogInfo("sighup", {{"action", "reload is not available yet; ignored"}});
        continue;
      }
      core::LogInfo("shutdown", {{"signal", sig == SIGTERM ? "SIGTERM" : "SIGINT"}});
      raw->Shutdown();
      return;
    }
  });
  (*app)->Serve();
  // Serve() also returns when the listener fails; make sure the waiter can finish.
  pthread_kill(waiter.native_handle(), SIGTERM);
  waiter.join();
  return kOk;
}

int RunMigrate(const core::Config& config, const std::vector<std::string>& args) {
  if (!args.empty()) {
    std::cerr << "loket migrate: unexpected argument '" << args[0] << "'\n";
    return kUsage;
  }
  auto store = store::Store::Open(config.db_path);
  if (!store.ok()) return Fail(store.error().message);
  std::cout << "database " << config.db_path << " is at schema version " << (*store)->schema_version() << "\n";
  return kOk;
}


const std::vector<Command>& Commands() {
  static const std::vector<Command> kCommands = {
      {"serve", "run the HTTP server",
       "usage: loket [--config FILE] [--db PATH] serve\n\n"
       "Starts the HTTP server on LOKET_LISTEN (default 127.0.0.1:8080). SIGTERM/SIGINT stop accepting,\n"
       "finish in-flight requests, flush the database writer and exit 0.\n",
       RunServe, true},
      {"migrate", "apply database migrations and exit",
       "usage: loket [--config FILE] [--db PATH] migrate\n\n"
       "Creates the database if needed and applies every migration this version knows. Refuses a\n"
       "database written by a newer Loket.\n",
       RunMigrate, true},
      {"ask", "answer one question from the knowledge base",
       "usage: loket ask [--lang xx] [--json] TEXT\n       loket ask --json --batch < questions.jsonl\n", app::RunAsk, true},
      {"chat", "talk to Loket in the terminal", "usage: loket chat [--lang xx]\n", app::RunChat, true},
      {"kb", "validate, import or export the knowledge base",
       "usage: loket kb validate [DIR] | kb import DIR | kb export DIR\n", app::RunKb, true},
      {"staff", "manage staff accounts",
       "usage: loket staff add --email E --name N --role R [--queues q1,q2] | list | disable E |\n"
       "       reset-password E | token E\n",
       app::RunStaff, true},
      {"reports", "list, show, export and update misstanden reports",
       "usage: loket reports list [--status S] [--category C] [--region R] [--since DATE] |\n"
       "       show REF | export --format csv|json | status REF NEW_STATUS [--note TEXT]\n",
       app::RunReports, true},
  };
  return kCommands;
}

void PrintUsage(std::ostream& out) {
  out << "usage: loket [--config FILE] [--db PATH] <command> [options]\n\ncommands:\n";
  for (const auto& c : Commands()) {
    out << "  " << c.name << std::string(10 - std::strlen(c.name), ' ') << c.summary << "\n";
  }
  out << "\nEvery command has --help. Configuration: a JSON file (--config) and LOKET_* environment\n"
         "variables, which win. See README.md.\n";
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  std::string config_path;
  std::string db_override;
  size_t i = 0;
  for (; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--config" || a == "--db") {
      if (i + 1 >= args.size()) {
        std::cerr << "loket: " << a << " needs a value\n";
        return kUsage;
      }
      (a == "--config" ? config_path : db_override) = args[++i];
    } else if (a.rfind("--config=", 0) == 0) {
      config_path = a.substr(9);
    } else if (a.rfind("--db=", 0) == 0) {
      db_override = a.substr(5);
    } else if (a == "--help" || a == "-h" || a == "help") {
      PrintUsage(std::cout);
      return kOk;
    } else {
      break;
    }
  }
  if (i >= args.size()) {
    PrintUsage(std::cerr);
    return kUsage;
  }
  const std::string name = args[i];
  std::vector<std::string> rest(args.begin() + static_cast<long>(i) + 1, args.end());
  const Command* command = nullptr;
  for (const auto& c : Commands()) {
    if (name == c.name) command = &c;
  }
  if (command == nullptr) {
    std::cerr << "loket: unknown command '" << name << "'\n";
    PrintUsage(std::cerr);
    return kUsage;
  }
  if (WantsHelp(rest)) {
    std::cout << command->usage;
    return kOk;
  }
  auto config = core::LoadConfig(config_path, [](const char* key) { return std::getenv(key); });
  if (!config.ok()) return Fail("configuration: " + config.error().message);
  if (!db_override.empty()) config->db_path = db_override;
  core::SetLogLevel(config->log_level == "debug" ? core::LogLevel::kDebug
                    : config->log_level == "warn" ? core::LogLevel::kWarn
                    : config->log_level == "error" ? core::LogLevel::kError
                                                   : core::LogLevel::kInfo);
  return command->run(*config, rest);
}
