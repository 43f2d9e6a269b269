#pragma once

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>

namespace server {

// A change counter that live views (Server-Sent Events) wait on: publishers Bump() after a
// change; each stream waits for the counter to move past what it last sent. Thread-safe.
class EventHub {
 public:
  void Bump() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      ++version_;
    }
    cv_.notify_all();
  }
  // Waits until the version differs from `seen`, `timeout` passes or Close() is called; returns the
  // current version.
  uint64_t Wait(uint64_t seen, std::chrono::milliseconds timeout) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, timeout, [&] { return version_ != seen || closed_; });
    return version_;
  }
  uint64_t version() {
    std::lock_guard<std::mutex> lock(mu_);
    return version_;
  }
  void Close() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      closed_ = true;
    }
    cv_.notify_all();
  }
  bool closed() {
    std::lock_guard<std::mutex> lock(mu_);
    return closed_;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  uint64_t version_ = 0;
  bool closed_ = false;
};

}  // namespace server
