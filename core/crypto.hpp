#pragma once

#include <string>

#include "core/result.hpp"

namespace core {

// The key that encrypts personal fields at rest (reporters' contact details). 32 bytes, given as
// base64 or 64 hex characters in LOKET_DATA_KEY or in the file LOKET_DATA_KEY_FILE.
// Encryption is libsodium's secretbox (XSalsa20-Poly1305) with a random nonce per value.
// Thread-safe.
class DataKey {
 public:
  // Reads the key from `inline_key` (preferred) or `key_file`. Fails with kInvalidArgument and a
  // message naming the setting when neither is given or the key is malformed.
  static Result<DataKey> Load(const std::string& inline_key, const std::string& key_file);
  static Result<DataKey> FromText(const std::string& text);

  // nonce ‖ ciphertext, base64-encoded.
  std::string Encrypt(const std::string& plaintext) const;
  // Fails with kInvalidArgument when the value was not made with this key or was altered.
  Result<std::string> Decrypt(const std::string& encoded) const;

 private:
  std::string key_;  // 32 raw bytes
};

}  // namespace core
