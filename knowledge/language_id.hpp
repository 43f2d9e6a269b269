#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "knowledge/hash_table.hpp"

namespace knowledge {

// Evidence besides the text itself.
struct LanguageHints {
  std::string channel_hint;   // e.g. Telegram's language_code, or from the phone's country code
  std::string previous;       // the conversation's language so far
};

struct LanguageGuess {
  std::string lang;           // one of core::kLocales
  std::string source;         // "detected" | "hint" | "previous" | "default"
  double confidence = 0;      // posterior probability of `lang` from the text alone
};

// Identifies which of Loket's 16 locales a short message (1–12 words) is written in: a naive-Bayes
// model over character 1–4-grams (with and without diacritics, so "wyplata" and "wypłata" both
// count) and whole words, trained from the shipped content, restricted by script (Arabic → ar,
// Cyrillic → bg/uk). Hints break ties: the conversation's previous language holds unless the text
// is clearly another language. Immutable after construction; thread-safe.
class LanguageIdentifier {
 public:
  // Adds training text for `lang` (call before Finish()). Calls for different locales may run
  // concurrently; calls for one locale may not.
  void Train(const std::string& lang, std::string_view text);
  // The same, when the caller already has Fold(text).
  void Train(const std::string& lang, std::string_view text, std::string_view folded);
  // Freezes the model; REQUIRES: every locale got some training text.
  void Finish();

  LanguageGuess Identify(std::string_view text, const LanguageHints& hints = {}) const;

  // Log-likelihood per locale (index as core::kLocales) for `text`; exposed for the benchmarks.
  std::array<double, 16> Scores(std::string_view text) const;

 private:
  struct Model {
    HashTable counts;  // FNV-1a hash of the gram or word → count
    double total = 0;
  };
  // Turns locale i's counts into smoothed log-probabilities (part of Finish()).
  void FinishLocale(size_t i, double alpha, size_t gram_vocab, size_t word_vocab);
  // Index of the locale in core::kLocales, or -1.
  static int IndexOf(const std::string& lang);

  std::array<Model, 16> grams_;
  std::array<Model, 16> words_;
  std::array<HashTable, 16> gram_logp_;
  std::array<HashTable, 16> word_logp_;
  std::array<float, 16> gram_unseen_{};
  // Words used in many locales' text (BSN, huisarts, loonstrook, menu): no evidence of a language.
  HashTable shared_words_;
  std::array<float, 16> word_unseen_{};
};

// Lower-cases and NFKC-normalises text but keeps diacritics (unlike Fold).
std::string LowerKeepMarks(std::string_view text);

}  // namespace knowledge
