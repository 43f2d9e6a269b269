#pragma once

#include <atomic>
#include <string>

#include "core/random.hpp"

namespace fakes {

// Predictable tokens: base64url-shaped strings of the asked length from a counter. Thread-safe.
class SequenceRandom final : public core::Random {
 public:
  std::string Token(size_t bytes) override {
    size_t chars = (bytes * 4 + 2) / 3;
    std::string n = std::to_string(++counter_);
    return std::string(chars - n.size(), 'T') + n;
  }

 private:
  std::atomic<int> counter_{0};
};

}  // namespace fakes
