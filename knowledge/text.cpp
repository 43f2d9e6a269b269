#include "knowledge/text.hpp"

#include <libstemmer.h>
#include <unicode/brkiter.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <map>
#include <memory>
#include <unordered_map>

namespace knowledge {

namespace {

// Letters that carry no combining mark to strip but people still type without (ł → l).
UChar32 PlainLetter(UChar32 c) {
  switch (c) {
    case 0x0142: return 'l';      // ł
    case 0x0111: return 'd';      // đ
    case 0x00F8: return 'o';      // ø
    case 0x0131: return 'i';      // ı (Turkish dotless i)
    case 0x0127: return 'h';      // ħ
    case 0x0623: case 0x0625: case 0x0622: case 0x0671: return 0x0627;  // أ إ آ ٱ → ا
    case 0x0649: return 0x064A;   // ى → ي
    case 0x0629: return 0x0647;   // ة → ه
    case 0x2019: case 0x2018: case 0x02BC: return '\'';
    default: return c;
  }
}

}  // namespace

std::string Fold(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString s = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCCasefoldInstance(status);
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  if (U_FAILURE(status)) return std::string(text);
  icu::UnicodeString folded = nfkc->normalize(s, status);
  if (U_FAILURE(status)) return std::string(text);
  icu::UnicodeString decomposed = nfd->normalize(folded, status);
  if (U_FAILURE(status)) return std::string(text);

  std::string out;
  out.reserve(text.size());
  bool space = true;  // suppress leading and repeated spaces
  for (int32_t i = 0; i < decomposed.length();) {
    UChar32 c = decomposed.char32At(i);
    i += U16_LENGTH(c);
    int8_t type = u_charType(c);
    if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK || c == 0x0640 /* tatweel */) continue;
    c = PlainLetter(c);
    bool keep = u_isalnum(c) || c == '\'' || c == '-' || c == '@' || c == '+';
    if (!keep) {
      if (!space) out.push_back(' ');
      space = true;
      continue;
    }
    char buf[4];
    int32_t n = 0;
    UBool error = false;
    U8_APPEND(reinterpret_cast<uint8_t*>(buf), n, 4, c, error);
    if (!error) out.append(buf, static_cast<size_t>(n));
    space = false;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::vector<std::string> Words(std::string_view folded) {
  thread_local std::unique_ptr<icu::BreakIterator> breaker;
  std::vector<std::string> out;
  UErrorCode status = U_ZERO_ERROR;
  if (!breaker) {
    breaker.reset(icu::BreakIterator::createWordInstance(icu::Locale::getRoot(), status));
    if (U_FAILURE(status)) breaker.reset();
  }
  icu::UnicodeString s = icu::UnicodeString::fromUTF8(icu::StringPiece(folded.data(), static_cast<int32_t>(folded.size())));
  if (!breaker) {
    // Fallback without ICU's iterator: split on spaces.
    std::string word;
    for (char ch : folded) {
      if (ch == ' ') {
        if (!word.empty()) out.push_back(word);
        word.clear();
      } else {
        word.push_back(ch);
      }
    }
    if (!word.empty()) out.push_back(word);
    return out;
  }
  breaker->setText(s);
  int32_t start = breaker->first();
  for (int32_t end = breaker->next(); end != icu::BreakIterator::DONE; start = end, end = breaker->next()) {
    int32_t status_rule = breaker->getRuleStatus();
    if (status_rule == UBRK_WORD_NONE) continue;  // spaces and punctuation
    std::string word;
    s.tempSubStringBetween(start, end).toUTF8String(word);
    // Strip apostrophes and hyphens at the edges ("'s-hertogenbosch" keeps its inner hyphen).
    while (!word.empty() && (word.front() == '\'' || word.front() == '-')) word.erase(word.begin());
    while (!word.empty() && (word.back() == '\'' || word.back() == '-')) word.pop_back();
    if (!word.empty()) out.push_back(std::move(word));
  }
  return out;
}

size_t CodePoints(std::string_view text) {
  size_t n = 0;
  for (unsigned char c : text) n += (c & 0xC0) != 0x80 ? 1 : 0;
  return n;
}

namespace {

std::string StemUncached(const std::string& locale, const std::string& word);

}  // namespace

std::string Stem(const std::string& locale, const std::string& word) {
  // Index builds stem the same words thousands of times: remember them per thread, bounded so that
  // a stream of unseen query words cannot grow it without limit.
  constexpr size_t kMaxCached = 100000;
  thread_local std::unordered_map<std::string, std::string> cache;
  std::string key;
  key.reserve(locale.size() + 1 + word.size());
  key.append(locale).append(1, ':').append(word);
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  std::string stem = StemUncached(locale, word);
  if (cache.size() >= kMaxCached) cache.clear();
  cache.emplace(std::move(key), stem);
  return stem;
}

namespace {

std::string StemUncached(const std::string& locale, const std::string& word) {
  static const std::map<std::string, const char*> kSnowball = {
      {"nl", "dutch"}, {"en", "english"}, {"ro", "romanian"}, {"hu", "hungarian"}, {"lt", "lithuanian"},
      {"pt", "portuguese"}, {"es", "spanish"}, {"de", "german"}, {"ar", "arabic"}, {"tr", "turkish"}};
  // Stemmers are not thread-safe: one set per thread.
  thread_local std::map<std::string, sb_stemmer*> stemmers;
  struct Cleanup {
    std::map<std::string, sb_stemmer*>* m;
    ~Cleanup() {
      for (auto& [k, v] : *m) if (v != nullptr) sb_stemmer_delete(v);
    }
  };
  thread_local Cleanup cleanup{&stemmers};
  auto lang = kSnowball.find(locale);
  if (lang != kSnowball.end()) {
    auto it = stemmers.find(locale);
    if (it == stemmers.end()) it = stemmers.emplace(locale, sb_stemmer_new(lang->second, "UTF_8")).first;
    if (it->second != nullptr) {
      const sb_symbol* s = sb_stemmer_stem(it->second, reinterpret_cast<const sb_symbol*>(word.data()),
                                           static_cast<int>(word.size()));
      if (s != nullptr) {
        return std::string(reinterpret_cast<const char*>(s), static_cast<size_t>(sb_stemmer_length(it->second)));
      }
    }
    return word;
  }
  // Prefix stemming: keep at most six code points.
  size_t cps = 0, i = 0;
  for (; i < word.size(); ++i) {
    if ((static_cast<unsigned char>(word[i]) & 0xC0) != 0x80) {
      if (cps == 6) break;
      ++cps;
    }
  }
  return word.substr(0, i);
}

}  // namespace

}  // namespace knowledge
