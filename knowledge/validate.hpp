#pragma once

#include <string>
#include <vector>

#include "knowledge/kb.hpp"

namespace knowledge {

struct ValidationOptions {
  std::string today;             // YYYY-MM-DD: review dates older than a year before it fail
  size_t max_answer_chars = 900;
  size_t min_questions = 6;
  size_t min_keywords = 3;
};

// Checks the knowledge base against docs/content-format.md: every required topic and locale,
// references (related articles, organisations, desks, regions), chat-answer length, example
// question counts and duplicates (within and across articles, per locale, after folding), review
// dates, desks for every labour-market region and every municipality mapped. Returns one Problem per
// finding; empty means valid. Outdated translations are reported with the prefix "warning: " and do
// not count as failures (see IsFailure).
std::vector<Problem> Validate(const KnowledgeBase& kb, const ValidationOptions& options);

bool IsFailure(const Problem& problem);

// Today's date as YYYY-MM-DD from milliseconds since the epoch (UTC).
std::string DateFromMs(int64_t ms);

}  // namespace knowledge
