#pragma once

#include <vector>

#include "knowledge/index.hpp"

namespace knowledge {

// Fitting the answer confidence to a set of labelled questions (our own calibration set for the
// shipped model; a benchmark's validation split for an external one).
struct CalibrationExample {
  Index::Features features;
  bool in_scope = true;
  bool correct = false;  // the top-ranked article is the expected one
};

// A logistic regression (L2-regularised, full-batch gradient descent) of "answer is right" on the
// confidence features. `oos_weight` scales each out-of-scope question's share of the loss.
ConfidenceModel FitConfidence(const std::vector<CalibrationExample>& examples, double oos_weight = 1.0);

struct ThresholdChoice {
  double threshold = 0.5;
  double answered_correctly = 0;  // share of in-scope questions
  double refused = 0;             // share of out-of-scope questions
};

// The threshold with the most in-scope questions answered correctly that still refuses at least
// `min_refused` of the out-of-scope ones (steps of 0.01).
ThresholdChoice ChooseThreshold(const std::vector<CalibrationExample>& examples, const ConfidenceModel& model,
                                double min_refused);

}  // namespace knowledge
