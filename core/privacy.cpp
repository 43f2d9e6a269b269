#include "core/privacy.hpp"

#include <cctype>
#include <vector>

namespace core {

namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

std::vector<std::string> SplitKeep(const std::string& text) {
  // Tokens and the whitespace between them, so the text can be rebuilt.
  std::vector<std::string> parts;
  std::string cur;
  bool space = false;
  for (char c : text) {
    if (IsSpace(c) != space && !cur.empty()) {
      parts.push_back(cur);
      cur.clear();
    }
    space = IsSpace(c);
    cur.push_back(c);
  }
  if (!cur.empty()) parts.push_back(cur);
  return parts;
}

bool LooksLikeEmail(const std::string& t) {
  auto at = t.find('@');
  return at != std::string::npos && at > 0 && t.find('.', at) != std::string::npos;
}

bool LooksLikeIban(std::string t) {
  while (!t.empty() && std::ispunct(static_cast<unsigned char>(t.back()))) t.pop_back();
  if (t.size() < 15 || t.size() > 34) return false;
  if (!std::isalpha(static_cast<unsigned char>(t[0])) || !std::isalpha(static_cast<unsigned char>(t[1]))) return false;
  if (!std::isdigit(static_cast<unsigned char>(t[2])) || !std::isdigit(static_cast<unsigned char>(t[3]))) return false;
  for (char c : t) {
    if (!std::isalnum(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

}  // namespace

std::string MaskPersonalData(const std::string& text) {
  // Pass 1: e-mail addresses and IBANs (IBANs written in groups are joined first).
  std::vector<std::string> parts = SplitKeep(text);
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    const std::string& p = parts[i];
    if (LooksLikeEmail(p)) {
      out += "[e-mail]";
      continue;
    }
    // IBAN possibly in groups of four: NL91 ABNA 0417 1643 00
    std::string joined;
    size_t j = i;
    for (; j < parts.size() && joined.size() < 34; ++j) {
      if (IsSpace(parts[j][0])) continue;
      joined += parts[j];
      if (LooksLikeIban(joined)) {
        out += "[iban]";
        i = j;
        joined = "#";
        break;
      }
      if (j - i > 16) break;
    }
    if (joined == "#") continue;
    out += p;
  }
  // Pass 2: long runs of digits with separators.
  std::string masked;
  size_t i = 0;
  while (i < out.size()) {
    size_t j = i;
    int digits = 0;
    if (std::isdigit(static_cast<unsigned char>(out[i])) || (out[i] == '+' && i + 1 < out.size() && std::isdigit(static_cast<unsigned char>(out[i + 1])))) {
      while (j < out.size() && (std::isdigit(static_cast<unsigned char>(out[j])) || out[j] == ' ' || out[j] == '-' ||
                                out[j] == '.' || out[j] == '(' || out[j] == ')' || out[j] == '+' || out[j] == '/')) {
        digits += std::isdigit(static_cast<unsigned char>(out[j])) ? 1 : 0;
        ++j;
      }
    }
    if (digits >= 6) {
      while (j > i && !std::isdigit(static_cast<unsigned char>(out[j - 1]))) --j;  // keep trailing separators
      masked += "[number]";
      i = j;
    } else {
      masked.push_back(out[i]);
      ++i;
    }
  }
  // Pass 3: a name introduced explicitly.
  static const char* kIntros[] = {"my name is ", "i am called ", "ik heet ", "mijn naam is ", "nazywam sie ", "nazywam się ",
                                  "mam na imie ", "mam na imię ", "ma numesc ", "mă numesc ", "ich heisse ", "ich heiße ",
                                  "me llamo ", "mi nombre es ", "chamo-me ", "meu nome e ", "meu nome é ", "jmenuji se ",
                                  "volám sa ", "menim adim ", "benim adım ", "мене звати ", "казвам се ", "a nevem ",
                                  "mano vardas ", "mani sauc ", "اسمي "};
  for (const char* intro : kIntros) {
    std::string lower;
    for (char c : masked) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    std::string key(intro);
    size_t pos = lower.find(key);
    while (pos != std::string::npos) {
      size_t start = pos + key.size();
      size_t end = start;
      int words = 0;
      while (end < masked.size() && words < 2) {
        size_t e = end;
        while (e < masked.size() && !IsSpace(masked[e]) && masked[e] != ',' && masked[e] != '.') ++e;
        if (e == end) break;
        ++words;
        end = e;
        if (end < masked.size() && masked[end] == ' ' && words < 2 && end + 1 < masked.size() &&
            std::isupper(static_cast<unsigned char>(masked[end + 1]))) {
          ++end;
        } else {
          break;
        }
      }
      if (end > start) {
        masked = masked.substr(0, start) + "[name]" + masked.substr(end);
        lower = lower.substr(0, start) + "[name]" + lower.substr(end);
      }
      pos = lower.find(key, start + 6);
    }
  }
  return masked;
}

}  // namespace core
