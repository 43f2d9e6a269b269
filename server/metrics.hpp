#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

namespace server {

// Prometheus-style metrics: counters with labels and latency histograms. Thread-safe.
class Metrics {
 public:
  // Adds `delta` to the counter `name` with the label set `labels` ("route=\"/x\",status=\"200\"").
  void Count(const std::string& name, const std::string& labels, int64_t delta = 1);
  // Records one observation (seconds, or a size) into the histogram `name`.
  void Observe(const std::string& name, const std::string& labels, double value);
  // Registers a gauge read at scrape time.
  void Gauge(const std::string& name, const std::string& help, std::function<double()> read);
  // Declares HELP text and the bucket bounds of a histogram before first use.
  void DescribeHistogram(const std::string& name, const std::string& help, std::vector<double> bounds);
  void DescribeCounter(const std::string& name, const std::string& help);

  // The Prometheus text exposition format (version 0.0.4).
  std::string Render() const;

 private:
  struct Histogram {
    std::vector<uint64_t> buckets;  // cumulative at render time
    uint64_t count = 0;
    double sum = 0;
  };
  struct Family {
    std::string help;
    std::string type;
    std::vector<double> bounds;
    std::map<std::string, int64_t> counters;
    std::map<std::string, Histogram> histograms;
    std::function<double()> gauge;
  };
  mutable std::mutex mu_;
  std::map<std::string, Family> families_;
};

// Escapes a label value for the exposition format.
std::string LabelValue(const std::string& value);

}  // namespace server
