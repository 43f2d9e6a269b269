#include "channels/channel.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <algorithm>

namespace channels {

std::string LanguageFromPhone(const std::string& phone) {
  std::string digits;
  for (char c : phone) {
    if (c >= '0' && c <= '9') digits.push_back(c);
  }
  static const std::vector<std::pair<std::string, std::string>> kPrefixes = {
      {"380", "uk"}, {"359", "bg"}, {"370", "lt"}, {"371", "lv"}, {"421", "sk"}, {"420", "cs"}, {"351", "pt"},
      {"963", "ar"}, {"964", "ar"}, {"962", "ar"}, {"961", "ar"}, {"966", "ar"}, {"212", "ar"}, {"213", "ar"},
      {"216", "ar"}, {"218", "ar"}, {"249", "ar"}, {"967", "ar"}, {"970", "ar"}, {"971", "ar"}, {"974", "ar"},
      {"20", "ar"},  {"48", "pl"},  {"40", "ro"},  {"36", "hu"},  {"34", "es"},  {"49", "de"},  {"43", "de"},
      {"90", "tr"},  {"31", "nl"},  {"44", "en"},  {"353", "en"}, {"1", "en"},   {"55", "pt"},  {"52", "es"},
      {"54", "es"},  {"57", "es"}};
  std::string best_lang;
  size_t best = 0;
  for (const auto& [prefix, lang] : kPrefixes) {
    if (digits.rfind(prefix, 0) == 0 && prefix.size() > best) {
      best = prefix.size();
      best_lang = lang;
    }
  }
  return best_lang;
}

bool SecretsEqual(const std::string& a, const std::string& b) {
  if (a.size() != b.size() || a.empty()) return false;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string Hmac(const std::string& algorithm, const std::string& key, const std::string& message) {
  const EVP_MD* md = algorithm == "sha1" ? EVP_sha1() : EVP_sha256();
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  HMAC(md, key.data(), static_cast<int>(key.size()), reinterpret_cast<const unsigned char*>(message.data()),
       message.size(), out, &len);
  return std::string(reinterpret_cast<const char*>(out), len);
}

std::string Hex(const std::string& bytes) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

std::string Base64(const std::string& bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), reinterpret_cast<const unsigned char*>(bytes.data()),
                          static_cast<int>(bytes.size()));
  out.resize(static_cast<size_t>(n));
  return out;
}

namespace {
size_t CodePoints(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}
// Byte offset after `cps` code points.
size_t Offset(const std::string& s, size_t cps) {
  size_t n = 0;
  for (size_t i = 0; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (n == cps) return i;
      ++n;
    }
  }
  return s.size();
}
}  // namespace

std::vector<std::string> SplitText(const std::string& text, size_t max_chars) {
  std::vector<std::string> parts;
  std::string rest = text;
  while (CodePoints(rest) > max_chars) {
    size_t limit = Offset(rest, max_chars);
    std::string window = rest.substr(0, limit);
    size_t cut = std::string::npos;
    for (const char* sep : {"\n\n", "\n", ". ", "! ", "? ", " "}) {
      size_t pos = window.rfind(sep);
      if (pos != std::string::npos && pos > limit / 3) {
        cut = pos + std::string(sep).size();
        break;
      }
    }
    if (cut == std::string::npos) cut = limit;
    std::string part = rest.substr(0, cut);
    while (!part.empty() && (part.back() == ' ' || part.back() == '\n')) part.pop_back();
    if (!part.empty()) parts.push_back(part);
    rest = rest.substr(cut);
    while (!rest.empty() && (rest.front() == ' ' || rest.front() == '\n')) rest.erase(rest.begin());
  }
  if (!rest.empty() || parts.empty()) parts.push_back(rest);
  return parts;
}

SendResult ClassifyHttp(const HttpResponse& response) {
  SendResult r;
  if (response.status >= 200 && response.status < 300) return r;
  r.error = "HTTP " + std::to_string(response.status);
  if (response.status == 429 || response.status >= 500 || response.status == 408) {
    r.kind = SendResult::Kind::kRetry;
    auto it = response.headers.find("retry-after");
    if (it != response.headers.end()) {
      try {
        r.retry_after_ms = std::stoll(it->second) * 1000;
      } catch (...) {
      }
    }
  } else {
    r.kind = SendResult::Kind::kPermanent;
  }
  return r;
}

}  // namespace channels
