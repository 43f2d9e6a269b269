#include <catch2/catch.hpp>

#include "knowledge/calibration.hpp"

namespace {

// A right answer: a strong, clear top article; a wrong or out-of-scope one: weak and close to the
// out-of-scope examples. `noise` (0..1) blurs the two.
knowledge::CalibrationExample Example(bool in_scope, bool correct, double noise) {
  knowledge::CalibrationExample e;
  e.in_scope = in_scope;
  e.correct = correct;
  bool good = in_scope && correct;
  e.features.blended = good ? 0.6 - 0.3 * noise : 0.2 + 0.3 * noise;
  e.features.margin = good ? 0.5 - 0.2 * noise : 0.1 + 0.2 * noise;
  e.features.coverage = good ? 0.9 : 0.4;
  e.features.qsim = good ? 0.7 : 0.3;
  e.features.oos = in_scope ? 0.1 : 0.6 - 0.3 * noise;
  e.features.prob = good ? 0.8 : 0.3;
  e.features.prob_oos = in_scope ? 0.05 : 0.5;
  return e;
}

std::vector<knowledge::CalibrationExample> Set() {
  std::vector<knowledge::CalibrationExample> set;
  for (int i = 0; i < 40; ++i) {
    double noise = i / 40.0;
    set.push_back(Example(true, true, noise));
    if (i % 4 == 0) set.push_back(Example(true, false, noise));
    if (i % 2 == 0) set.push_back(Example(false, false, noise));
  }
  return set;
}

}  // namespace

TEST_CASE("a fitted confidence ranks right answers above wrong and out-of-scope ones") {
  auto set = Set();
  auto model = knowledge::FitConfidence(set);
  double right = knowledge::Index::Confidence(Example(true, true, 0.1).features, model);
  double wrong = knowledge::Index::Confidence(Example(true, false, 0.1).features, model);
  double oos = knowledge::Index::Confidence(Example(false, false, 0.1).features, model);
  CHECK(right > 0.5);
  CHECK(wrong < 0.5);
  CHECK(oos < 0.5);
  // Closeness to the out-of-scope examples lowers confidence.
  auto closer = Example(true, true, 0.1).features;
  closer.oos += 0.3;
  CHECK(knowledge::Index::Confidence(closer, model) < right);
}

TEST_CASE("an input on a much larger scale than the others is still learnt") {
  // Only the query length tells right answers (long queries) from wrong ones (one or two words).
  std::vector<knowledge::CalibrationExample> set;
  for (int i = 0; i < 60; ++i) {
    knowledge::CalibrationExample e;
    e.in_scope = true;
    e.correct = i % 2 == 0;
    e.features.blended = 0.3;
    e.features.words = e.correct ? 200 + i : 1 + i % 2;
    set.push_back(e);
  }
  auto model = knowledge::FitConfidence(set);
  auto long_query = set[0].features, short_query = set[1].features;
  CHECK(knowledge::Index::Confidence(long_query, model) > 0.9);
  CHECK(knowledge::Index::Confidence(short_query, model) < 0.1);
}

TEST_CASE("weighting out-of-scope questions more makes the model more cautious") {
  auto set = Set();
  auto plain = knowledge::FitConfidence(set, 1.0);
  auto cautious = knowledge::FitConfidence(set, 20.0);
  auto borderline = Example(false, false, 1.0).features;
  CHECK(knowledge::Index::Confidence(borderline, cautious) < knowledge::Index::Confidence(borderline, plain));
}

TEST_CASE("the chosen threshold refuses at least the asked share of out-of-scope questions") {
  auto set = Set();
  auto model = knowledge::FitConfidence(set);
  for (double min_refused : {0.5, 0.9, 1.0}) {
    auto choice = knowledge::ChooseThreshold(set, model, min_refused);
    CHECK(choice.refused >= min_refused);
    CHECK(choice.threshold > 0);
    CHECK(choice.threshold < 1);
    size_t refused = 0, oos = 0, answered_right = 0, in = 0;
    for (const auto& e : set) {
      bool answered = knowledge::Index::Confidence(e.features, model) >= choice.threshold;
      if (e.in_scope) {
        in++;
        answered_right += answered && e.correct;
      } else {
        oos++;
        refused += !answered;
      }
    }
    CHECK(static_cast<double>(refused) / static_cast<double>(oos) == Approx(choice.refused));
    CHECK(static_cast<double>(answered_right) / static_cast<double>(in) == Approx(choice.answered_correctly));
  }
}

TEST_CASE("fitting nothing gives the shipped model") {
  auto model = knowledge::FitConfidence({});
  knowledge::ConfidenceModel shipped;
  CHECK(model.bias == shipped.bias);
  CHECK(model.weights == shipped.weights);
}
