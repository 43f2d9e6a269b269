#pragma once

#include <string>

namespace core {

// Source of unguessable identifiers (session tokens, reference salts).
// Real implementation: SodiumRandom (libsodium's CSPRNG). Fake: tests/fakes/sequence_random.hpp.
class Random {
 public:
  virtual ~Random() = default;
  // Returns `bytes` random bytes encoded as unpadded base64url.
  virtual std::string Token(size_t bytes) = 0;
};

// Thread-safe.
class SodiumRandom final : public Random {
 public:
  SodiumRandom();
  std::string Token(size_t bytes) override;
};

}  // namespace core
