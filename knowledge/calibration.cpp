#include "knowledge/calibration.hpp"

#include <algorithm>
#include <array>
#include <cmath>

namespace knowledge {

ConfidenceModel FitConfidence(const std::vector<CalibrationExample>& examples, double oos_weight) {
  constexpr double kL2 = 1e-3, kRate = 2.0;
  constexpr int kIterations = 6000;
  std::vector<std::array<double, kConfidenceInputs>> xs;
  std::vector<double> ys, weights;
  double total_weight = 0;
  for (const auto& e : examples) {
    xs.push_back(ConfidenceInputs(e.features));
    ys.push_back(e.in_scope && e.correct ? 1.0 : 0.0);
    weights.push_back(e.in_scope ? 1.0 : oos_weight);
    total_weight += weights.back();
  }
  if (xs.empty() || total_weight <= 0) return ConfidenceModel{};
  // Gradient descent converges slowly when inputs have very different scales (probabilities beside
  // a log word count): fit on standardised inputs, then map the weights back.
  std::array<double, kConfidenceInputs> mean{}, scale{};
  for (const auto& x : xs) {
    for (size_t k = 0; k < kConfidenceInputs; ++k) mean[k] += x[k] / static_cast<double>(xs.size());
  }
  for (const auto& x : xs) {
    for (size_t k = 0; k < kConfidenceInputs; ++k) scale[k] += std::pow(x[k] - mean[k], 2) / static_cast<double>(xs.size());
  }
  for (auto& sd : scale) sd = sd > 1e-12 ? std::sqrt(sd) : 1.0;
  for (auto& x : xs) {
    for (size_t k = 0; k < kConfidenceInputs; ++k) x[k] = (x[k] - mean[k]) / scale[k];
  }
  std::array<double, kConfidenceInputs> w{};
  double b = 0;
  for (int it = 0; it < kIterations; ++it) {
    std::array<double, kConfidenceInputs> gw{};
    double gb = 0;
    for (size_t i = 0; i < xs.size(); ++i) {
      double z = b;
      for (size_t k = 0; k < kConfidenceInputs; ++k) z += w[k] * xs[i][k];
      double p = 1.0 / (1.0 + std::exp(-std::clamp(z, -30.0, 30.0)));
      double d = weights[i] * (p - ys[i]);
      gb += d;
      for (size_t k = 0; k < kConfidenceInputs; ++k) gw[k] += d * xs[i][k];
    }
    b -= kRate * gb / total_weight;
    for (size_t k = 0; k < kConfidenceInputs; ++k) w[k] -= kRate * (gw[k] / total_weight + kL2 * w[k]);
  }
  ConfidenceModel model;
  model.bias = b;
  for (size_t k = 0; k < kConfidenceInputs; ++k) {
    model.weights[k] = w[k] / scale[k];
    model.bias -= w[k] * mean[k] / scale[k];
  }
  return model;
}

ThresholdChoice ChooseThreshold(const std::vector<CalibrationExample>& examples, const ConfidenceModel& model,
                                double min_refused) {
  ThresholdChoice best;
  double best_ok = -1;
  size_t in = 0, oos = 0;
  for (const auto& e : examples) (e.in_scope ? in : oos)++;
  for (int step = 1; step < 100; ++step) {
    double threshold = step / 100.0;
    size_t ok = 0, refused = 0;
    for (const auto& e : examples) {
      bool answered = Index::Confidence(e.features, model) >= threshold;
      if (e.in_scope) ok += answered && e.correct;
      else refused += !answered;
    }
    double refused_share = oos > 0 ? static_cast<double>(refused) / static_cast<double>(oos) : 1.0;
    if (refused_share >= min_refused && static_cast<double>(ok) > best_ok) {
      best_ok = static_cast<double>(ok);
      best = {threshold, in > 0 ? static_cast<double>(ok) / static_cast<double>(in) : 0, refused_share};
    }
  }
  return best;
}

}  // namespace knowledge
