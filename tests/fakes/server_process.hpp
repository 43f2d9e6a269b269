#pragma once

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <map>
#include <string>
#include <vector>

extern char** environ;

namespace fakes {

// Runs the real `loket` binary as a child process with extra environment variables, reading its
// stderr (structured JSON logs) to learn the port it bound. Used by tests that need a real process:
// SIGKILL durability, graceful shutdown, start-up errors.
class LoketProcess {
 public:
  LoketProcess(std::vector<std::string> args, const std::map<std::string, std::string>& env) {
    int fds[2];
    if (pipe(fds) != 0) return;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 2);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    std::vector<std::string> env_strings;
    for (char** e = environ; *e != nullptr; ++e) {
      std::string entry(*e);
      if (entry.rfind("LOKET_", 0) != 0) env_strings.push_back(entry);
    }
    for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
    std::vector<char*> envp;
    for (auto& s : env_strings) envp.push_back(s.data());
    envp.push_back(nullptr);
    args.insert(args.begin(), LOKET_BINARY);
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    if (posix_spawn(&pid_, LOKET_BINARY, &actions, nullptr, argv.data(), envp.data()) != 0) pid_ = -1;
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    err_fd_ = fds[0];
  }

  ~LoketProcess() {
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGKILL);
      int status = 0;
      waitpid(pid_, &status, 0);
    }
    if (err_fd_ >= 0) close(err_fd_);
  }

  // Reads stderr until the "listening" log line; returns the port, or -1 (exited or timed out).
  // Start-up seeds the knowledge base and builds its index: under ASan at -O0, with another test
  // running beside it on two cores, that alone has taken over 20 s. The bound only catches hangs.
  int WaitForPort(int timeout_ms = 120000) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < deadline) {
      auto pos = stderr_.find("\"event\":\"listening\"");
      if (pos != std::string::npos) {
        auto line_start = stderr_.rfind('\n', pos);
        line_start = line_start == std::string::npos ? 0 : line_start;
        auto p = stderr_.find("\"port\":", line_start);
        if (p != std::string::npos) return std::stoi(stderr_.substr(p + 7));
      }
      if (!ReadSome(100)) return -1;
    }
    return -1;
  }

  // Waits for the process to exit; returns its exit code (or 128+signal), -1 on timeout.
  int Wait(int timeout_ms = 20000) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(timeout_ms);
    while (std::chrono::steady_clock::now() < deadline) {
      int status = 0;
      pid_t r = waitpid(pid_, &status, WNOHANG);
      if (r == pid_) {
        exited_ = true;
        while (ReadSome(0)) {
        }
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      }
      ReadSome(20);
    }
    return -1;
  }

  void Signal(int sig) { kill(pid_, sig); }
  const std::string& stderr_text() const { return stderr_; }

 private:
  // Returns false at end of file.
  bool ReadSome(int timeout_ms) {
    pollfd p{err_fd_, POLLIN, 0};
    if (poll(&p, 1, timeout_ms) <= 0) return true;
    char buf[4096];
    ssize_t n = read(err_fd_, buf, sizeof buf);
    if (n <= 0) return false;
    stderr_.append(buf, static_cast<size_t>(n));
    return true;
  }

  pid_t pid_ = -1;
  int err_fd_ = -1;
  bool exited_ = false;
  std::string stderr_;
};

}  // namespace fakes
