#pragma once

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "channels/channel.hpp"
#include "core/clock.hpp"
#include "core/random.hpp"
#include "server/metrics.hpp"
#include "store/store.hpp"

namespace server {

// Delivers the outbox: takes the due head item of each conversation's queue, sends it through its
// channel, and records the outcome — sent; retry later with exponential backoff and jitter (Retry-
// After honoured) on network errors, 429 and 5xx; failed for good on permanent errors (logged and
// written to the audit log for staff). Order per conversation is kept because only the oldest
// pending item of a conversation is ever sent. A restart resumes from the database. Runs on its own
// thread; request handlers never wait for a provider. Thread-safe.
class OutboxSender {
 public:
  OutboxSender(store::Store& store, std::vector<std::shared_ptr<const channels::Channel>> channels,
               channels::HttpClient& http, core::Clock& clock, Metrics* metrics);
  ~OutboxSender();

  void Start();
  // Finishes the item in hand and stops. Idempotent.
  void Stop();
  // Wakes the worker (new items were committed).
  void Notify();
  // Sends everything due now, on the calling thread; returns how many items were attempted.
  int RunOnce();

  static int64_t BackoffMs(int attempts, int64_t retry_after_ms, double jitter01);

 private:
  void Loop();

  store::Store& store_;
  std::map<std::string, std::shared_ptr<const channels::Channel>> channels_;
  channels::HttpClient& http_;
  core::Clock& clock_;
  Metrics* metrics_;
  std::mutex mu_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool notified_ = false;
  std::thread thread_;
  std::mutex run_mu_;  // one RunOnce at a time
};

}  // namespace server
