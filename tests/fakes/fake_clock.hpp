#pragma once

#include <atomic>
#include <cstdint>

#include "core/clock.hpp"

namespace fakes {

// A clock that moves only when told. Thread-safe.
class FakeClock final : public core::Clock {
 public:
  explicit FakeClock(int64_t start_ms = 1'795'000'000'000) : now_(start_ms) {}
  int64_t NowMs() const override { return now_.load(); }
  void Advance(int64_t ms) { now_ += ms; }
  void Set(int64_t ms) { now_ = ms; }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace fakes
