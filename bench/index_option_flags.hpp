#pragma once
// Retrieval options (knowledge::IndexOptions) that both retrieval benchmarks accept on the command line.
#include <functional>
#include <string>

#include "knowledge/index.hpp"

// Applies `flag` (reading its value with `next`) to `options`; false when it is not such a flag.
inline bool ParseIndexOption(const std::string& flag, const std::function<std::string()>& next,
                             knowledge::IndexOptions& options) {
  if (flag == "--classifier") options.classifier_weight = std::stod(next());
  else if (flag == "--rate") options.classifier_rate = std::stod(next());
  else if (flag == "--decay") options.classifier_decay = std::stod(next());
  else if (flag == "--epochs") options.classifier_epochs = std::stoi(next());
  else if (flag == "--bigrams") options.bigram_weight = std::stod(next());
  else if (flag == "--sentences") options.body_sentences = true;
  else if (flag == "--blend") options.word_weight = std::stod(next());
  else if (flag == "--topk") options.topk_weight = std::stod(next());
  else if (flag == "--holdout") options.holdout_every = std::stoi(next());
  else if (flag == "--threshold") options.threshold = std::stod(next());
  else return false;
  return true;
}
