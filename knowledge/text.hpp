#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace knowledge {

// Folds text for matching: Unicode NFKC, case folding, diacritics removed ("wypłata" → "wyplata",
// "Straße" → "strasse"), Arabic letter variants unified, punctuation turned into spaces, runs of
// space collapsed. Invalid UTF-8 is replaced, never rejected. Thread-safe.
std::string Fold(std::string_view text);

// Splits folded text into words with ICU's word break rules (numbers kept, punctuation dropped).
// Thread-safe.
std::vector<std::string> Words(std::string_view folded);

// Reduces a folded word to its stem for `locale`: Snowball where libstemmer has the language,
// otherwise (pl, cs, sk, bg, uk, lv) a prefix of at most six characters, which works well for
// these inflecting languages. Thread-safe.
std::string Stem(const std::string& locale, const std::string& word);

// Number of Unicode code points in UTF-8 text.
size_t CodePoints(std::string_view text);

}  // namespace knowledge
