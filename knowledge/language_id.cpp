#include "knowledge/language_id.hpp"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/uscript.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <cmath>

#include "core/locales.hpp"
#include "core/parallel.hpp"
#include "knowledge/text.hpp"

namespace knowledge {

namespace {

constexpr int kMaxGram = 4;
constexpr double kWordWeight = 1.5;
// How much stronger the text must make another language before a conversation's previous language
// is abandoned (log-probability margin per message).
constexpr double kPreviousHoldMargin = 2.0;
// A word in the training text of at least this many locales is shared vocabulary.
constexpr int kSharedWordLocales = 5;
constexpr double kHintBonus = 2.0;  // nats added to a hinted language

// Splits lower-cased UTF-8 text into words of letters (apostrophes kept inside words).
std::vector<std::string> LetterWords(const std::string& lower) {
  std::vector<std::string> out;
  std::string cur;
  const auto* bytes = reinterpret_cast<const uint8_t*>(lower.data());
  int32_t length = static_cast<int32_t>(lower.size());
  for (int32_t i = 0; i < length;) {
    int32_t start = i;
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    if (c >= 0 && (u_isalpha(c) || (c == '\'' && !cur.empty()))) {
      cur.append(lower, static_cast<size_t>(start), static_cast<size_t>(i - start));
    } else {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

uint64_t Hash(std::string_view bytes, uint64_t seed) {
  uint64_t h = 1469598103934665603ULL ^ seed;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

// Hashes of the character 1–4-grams of " word " (a lone space is skipped).
void GramsOf(const std::string& word, std::vector<uint64_t>& out) {
  thread_local std::string padded;
  thread_local std::vector<size_t> starts;
  padded.assign(1, ' ').append(word).append(1, ' ');
  starts.clear();
  for (size_t i = 0; i < padded.size(); ++i) {
    if ((static_cast<unsigned char>(padded[i]) & 0xC0) != 0x80) starts.push_back(i);
  }
  starts.push_back(padded.size());
  size_t n_chars = starts.size() - 1;
  for (size_t n = 1; n <= kMaxGram; ++n) {
    for (size_t i = 0; i + n <= n_chars; ++i) {
      if (n == 1 && (i == 0 || i + 1 == n_chars)) continue;
      out.push_back(Hash(std::string_view(padded).substr(starts[i], starts[i + n] - starts[i]), n));
    }
  }
}

enum class Script { kLatin, kCyrillic, kArabic, kOther };

Script DominantScript(const std::string& lower) {
  icu::UnicodeString s = icu::UnicodeString::fromUTF8(lower);
  int latin = 0, cyr = 0, arab = 0;
  for (int32_t i = 0; i < s.length();) {
    UChar32 c = s.char32At(i);
    i += U16_LENGTH(c);
    if (!u_isalpha(c)) continue;
    UErrorCode e = U_ZERO_ERROR;
    UScriptCode sc = uscript_getScript(c, &e);
    if (sc == USCRIPT_LATIN) latin++;
    else if (sc == USCRIPT_CYRILLIC) cyr++;
    else if (sc == USCRIPT_ARABIC) arab++;
  }
  if (arab > 0 && arab >= latin && arab >= cyr) return Script::kArabic;
  if (cyr > 0 && cyr >= latin) return Script::kCyrillic;
  if (latin > 0) return Script::kLatin;
  return Script::kOther;
}

bool Allowed(Script script, std::string_view lang) {
  switch (script) {
    case Script::kArabic: return lang == "ar";
    case Script::kCyrillic: return lang == "bg" || lang == "uk";
    case Script::kLatin: return lang != "ar" && lang != "bg" && lang != "uk";
    case Script::kOther: return true;
  }
  return true;
}

}  // namespace

std::string LowerKeepMarks(std::string_view text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfkc = icu::Normalizer2::getNFKCCasefoldInstance(status);
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  icu::UnicodeString s = icu::UnicodeString::fromUTF8(icu::StringPiece(text.data(), static_cast<int32_t>(text.size())));
  if (U_FAILURE(status)) return std::string(text);
  icu::UnicodeString folded = nfc->normalize(nfkc->normalize(s, status), status);
  std::string out;
  folded.toUTF8String(out);
  return out;
}

int LanguageIdentifier::IndexOf(const std::string& lang) {
  for (size_t i = 0; i < core::kLocales.size(); ++i) {
    if (core::kLocales[i] == lang) return static_cast<int>(i);
  }
  return -1;
}

void LanguageIdentifier::Train(const std::string& lang, std::string_view text) { Train(lang, text, Fold(text)); }

void LanguageIdentifier::Train(const std::string& lang, std::string_view text, std::string_view folded) {
  int li = IndexOf(lang);
  if (li < 0) return;
  std::string lower = LowerKeepMarks(text);
  std::string plain(folded);
  // The tables end up with tens of thousands of entries: size them once instead of rehashing.
  if (grams_[li].counts.empty()) grams_[li].counts.Reserve(1 << 16);
  if (words_[li].counts.empty()) words_[li].counts.Reserve(1 << 14);
  thread_local std::vector<uint64_t> grams;
  grams.clear();
  for (const auto* variant : {&lower, &plain}) {
    for (const auto& w : LetterWords(*variant)) {
      GramsOf(w, grams);
      words_[li].counts[Hash(w, 99)] += 1;
      words_[li].total += 1;
    }
    if (plain == lower) break;
  }
  for (auto& g : grams) {
    grams_[li].counts[g] += 1;
    grams_[li].total += 1;
  }
}

void LanguageIdentifier::Finish() {
  // Additive smoothing over the union vocabulary.
  HashTable gram_vocab(1 << 18), word_vocab(1 << 16);  // hash → number of locales that use it
  for (const auto& m : grams_) m.counts.ForEach([&](uint64_t g, float) { gram_vocab[g] += 1; });
  for (const auto& m : words_) m.counts.ForEach([&](uint64_t w, float) { word_vocab[w] += 1; });
  const double alpha = 0.1;
  // The 16 locales' tables are independent: fill them on every core.
  core::ParallelFor(16, [&](size_t i) { FinishLocale(i, alpha, gram_vocab.size(), word_vocab.size()); });
  word_vocab.ForEach([&](uint64_t word, float locales) {
    if (locales >= kSharedWordLocales) shared_words_[word] = 1;
  });
}

void LanguageIdentifier::FinishLocale(size_t i, double alpha, size_t gram_vocab, size_t word_vocab) {
  double gden = grams_[i].total + alpha * static_cast<double>(gram_vocab + 1);
  gram_logp_[i].Reserve(grams_[i].counts.size());
  grams_[i].counts.ForEach([&](uint64_t g, float c) { gram_logp_[i][g] = static_cast<float>(std::log((c + alpha) / gden)); });
  gram_unseen_[i] = static_cast<float>(std::log(alpha / gden));
  double wden = words_[i].total + alpha * static_cast<double>(word_vocab + 1);
  word_logp_[i].Reserve(words_[i].counts.size());
  words_[i].counts.ForEach([&](uint64_t w, float c) { word_logp_[i][w] = static_cast<float>(std::log((c + alpha) / wden)); });
  word_unseen_[i] = static_cast<float>(std::log(alpha / wden));
  grams_[i] = Model{};
  words_[i] = Model{};
}

std::array<double, 16> LanguageIdentifier::Scores(std::string_view text) const {
  std::array<double, 16> scores{};
  std::string lower = LowerKeepMarks(text);
  std::vector<uint64_t> grams;
  auto words = LetterWords(lower);
  // Shared words (loan words, brand names) say nothing about the language, unless nothing else is there.
  std::vector<std::string> telling;
  for (const auto& w : words) {
    if (!shared_words_.Contains(Hash(w, 99))) telling.push_back(w);
  }
  if (!telling.empty()) words = std::move(telling);
  for (const auto& w : words) GramsOf(w, grams);
  for (size_t i = 0; i < 16; ++i) {
    double s = 0;
    for (const auto& g : grams) {
      const float* logp = gram_logp_[i].Find(g);
      s += logp == nullptr ? gram_unseen_[i] : *logp;
    }
    for (const auto& w : words) {
      const float* logp = word_logp_[i].Find(Hash(w, 99));
      s += kWordWeight * (logp == nullptr ? word_unseen_[i] : *logp);
    }
    scores[i] = s;
  }
  return scores;
}

LanguageGuess LanguageIdentifier::Identify(std::string_view text, const LanguageHints& hints) const {
  std::string lower = LowerKeepMarks(text);
  Script script = DominantScript(lower);
  auto scores = Scores(text);
  size_t grams = 0;
  for (const auto& w : LetterWords(lower)) grams += 1 + CodePoints(w);
  double scale = grams == 0 ? 1.0 : 1.0 / std::sqrt(static_cast<double>(grams));

  int hint = IndexOf(hints.channel_hint);
  int previous = IndexOf(hints.previous);
  bool only_shared = true;
  for (const auto& w : LetterWords(lower)) only_shared = only_shared && shared_words_.Contains(Hash(w, 99));
  // Posterior over the allowed locales, with the hint as a prior.
  std::array<double, 16> post{};
  double best = -1e300;
  for (size_t i = 0; i < 16; ++i) {
    if (!Allowed(script, core::kLocales[i])) {
      post[i] = -1e300;
      continue;
    }
    post[i] = scores[i] * scale + (static_cast<int>(i) == hint ? kHintBonus * scale : 0);
    best = std::max(best, post[i]);
  }
  double z = 0;
  for (auto& p : post) {
    p = p <= -1e299 ? 0 : std::exp(p - best);
    z += p;
  }
  size_t top = 0;
  for (size_t i = 1; i < 16; ++i) {
    if (post[i] > post[top]) top = i;
  }
  LanguageGuess guess;
  if (grams == 0 || z == 0 || (only_shared && (previous >= 0 || hint >= 0))) {
    // No letters ("?", "123") or only words every language uses ("BSN", "huisarts"): keep the
    // conversation's language, else the hint.
    guess.lang = previous >= 0 ? hints.previous : hint >= 0 ? hints.channel_hint : "en";
    guess.source = previous >= 0 ? "previous" : hint >= 0 ? "hint" : "default";
    return guess;
  }
  guess.lang = std::string(core::kLocales[top]);
  guess.confidence = post[top] / z;
  guess.source = static_cast<int>(top) == hint ? "hint" : "detected";
  if (previous >= 0 && static_cast<int>(top) != previous && Allowed(script, core::kLocales[previous])) {
    double margin = std::log(post[top] / std::max(post[previous], 1e-300));
    if (margin < kPreviousHoldMargin) {
      guess.lang = hints.previous;
      guess.confidence = post[previous] / z;
      guess.source = "previous";
    }
  }
  return guess;
}

}  // namespace knowledge
