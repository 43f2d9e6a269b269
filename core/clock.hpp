#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>

namespace core {

// Wall-clock time in milliseconds since the Unix epoch. Everything that depends on time (SLA,
// retention, office hours, timestamps) asks a Clock so tests can control it.
// Real implementation: SystemClock. Fake: tests/fakes/fake_clock.hpp.
class Clock {
 public:
  virtual ~Clock() = default;
  virtual int64_t NowMs() const = 0;
};

// Thread-safe.
class SystemClock final : public Clock {
 public:
  int64_t NowMs() const override {
    return std::chrono::duration_cast<std::chrono::milliseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
  }
};

}  // namespace core
