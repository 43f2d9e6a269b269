#include "core/crypto.hpp"

#include <sodium.h>

#include <fstream>
#include <sstream>
#include <vector>

namespace core {

namespace {

std::string Trim(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.pop_back();
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.erase(s.begin());
  return s;
}

}  // namespace

Result<DataKey> DataKey::FromText(const std::string& raw) {
  if (sodium_init() < 0) return MakeError(ErrorCode::kInternal, "libsodium could not initialise");
  std::string text = Trim(raw);
  std::vector<unsigned char> key(crypto_secretbox_KEYBYTES);
  size_t len = 0;
  bool ok = false;
  if (text.size() == 64) {
    ok = sodium_hex2bin(key.data(), key.size(), text.c_str(), text.size(), nullptr, &len, nullptr) == 0 &&
         len == key.size();
  }
  if (!ok) {
    for (int variant : {sodium_base64_VARIANT_ORIGINAL, sodium_base64_VARIANT_URLSAFE,
                        sodium_base64_VARIANT_ORIGINAL_NO_PADDING, sodium_base64_VARIANT_URLSAFE_NO_PADDING}) {
      if (sodium_base642bin(key.data(), key.size(), text.c_str(), text.size(), nullptr, &len, nullptr, variant) == 0 &&
          len == key.size()) {
        ok = true;
        break;
      }
    }
  }
  if (!ok) return MakeError(ErrorCode::kInvalidArgument, "the data key must be 32 bytes as base64 or 64 hex characters");
  DataKey k;
  k.key_.assign(reinterpret_cast<const char*>(key.data()), key.size());
  sodium_memzero(key.data(), key.size());
  return k;
}

Result<DataKey> DataKey::Load(const std::string& inline_key, const std::string& key_file) {
  if (!inline_key.empty()) {
    auto k = FromText(inline_key);
    if (!k.ok()) return MakeError(ErrorCode::kInvalidArgument, "LOKET_DATA_KEY: " + k.error().message);
    return k;
  }
  if (key_file.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "reports need a data key: set LOKET_DATA_KEY or LOKET_DATA_KEY_FILE (32 bytes, base64)");
  }
  std::ifstream in(key_file);
  if (!in) return MakeError(ErrorCode::kInvalidArgument, "LOKET_DATA_KEY_FILE: cannot read " + key_file);
  std::stringstream buf;
  buf << in.rdbuf();
  auto k = FromText(buf.str());
  if (!k.ok()) return MakeError(ErrorCode::kInvalidArgument, "LOKET_DATA_KEY_FILE " + key_file + ": " + k.error().message);
  return k;
}

std::string DataKey::Encrypt(const std::string& plaintext) const {
  std::vector<unsigned char> out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + plaintext.size());
  randombytes_buf(out.data(), crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(out.data() + crypto_secretbox_NONCEBYTES, reinterpret_cast<const unsigned char*>(plaintext.data()),
                        plaintext.size(), out.data(), reinterpret_cast<const unsigned char*>(key_.data()));
  std::string encoded(sodium_base64_ENCODED_LEN(out.size(), sodium_base64_VARIANT_ORIGINAL), '\0');
  sodium_bin2base64(encoded.data(), encoded.size(), out.data(), out.size(), sodium_base64_VARIANT_ORIGINAL);
  encoded.resize(std::char_traits<char>::length(encoded.c_str()));
  return encoded;
}

Result<std::string> DataKey::Decrypt(const std::string& encoded) const {
  std::vector<unsigned char> bin(encoded.size());
  size_t len = 0;
  if (sodium_base642bin(bin.data(), bin.size(), encoded.c_str(), encoded.size(), nullptr, &len, nullptr,
                        sodium_base64_VARIANT_ORIGINAL) != 0 ||
      len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
    return MakeError(ErrorCode::kInvalidArgument, "not an encrypted value");
  }
  std::vector<unsigned char> plain(len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES);
  if (crypto_secretbox_open_easy(plain.data(), bin.data() + crypto_secretbox_NONCEBYTES, len - crypto_secretbox_NONCEBYTES,
                                 bin.data(), reinterpret_cast<const unsigned char*>(key_.data())) != 0) {
    return MakeError(ErrorCode::kInvalidArgument, "the value was not encrypted with this key or was altered");
  }
  return std::string(reinterpret_cast<const char*>(plain.data()), plain.size());
}

}  // namespace core
