#include "server/metrics.hpp"

#include <algorithm>
#include <cstdio>
#include <sstream>

namespace server {

namespace {
const std::vector<double> kDefaultBounds = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};

std::string Number(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.12g", v);
  return buf;
}
}  // namespace

std::string LabelValue(const std::string& value) {
  std::string out;
  for (char c : value) {
    if (c == '\\' || c == '"') {
      out.push_back('\\');
      out.push_back(c);
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out.push_back(c);
    }
  }
  return out;
}

void Metrics::DescribeCounter(const std::string& name, const std::string& help) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& f = families_[name];
  f.help = help;
  f.type = "counter";
}

void Metrics::DescribeHistogram(const std::string& name, const std::string& help, std::vector<double> bounds) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& f = families_[name];
  f.help = help;
  f.type = "histogram";
  f.bounds = std::move(bounds);
}

void Metrics::Gauge(const std::string& name, const std::string& help, std::function<double()> read) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& f = families_[name];
  f.help = help;
  f.type = "gauge";
  f.gauge = std::move(read);
}

void Metrics::Count(const std::string& name, const std::string& labels, int64_t delta) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& f = families_[name];
  if (f.type.empty()) f.type = "counter";
  f.counters[labels] += delta;
}

void Metrics::Observe(const std::string& name, const std::string& labels, double value) {
  std::lock_guard<std::mutex> lock(mu_);
  auto& f = families_[name];
  if (f.type.empty()) f.type = "histogram";
  if (f.bounds.empty()) f.bounds = kDefaultBounds;
  auto& h = f.histograms[labels];
  if (h.buckets.empty()) h.buckets.assign(f.bounds.size(), 0);
  auto it = std::lower_bound(f.bounds.begin(), f.bounds.end(), value);
  if (it != f.bounds.end()) h.buckets[static_cast<size_t>(it - f.bounds.begin())]++;
  h.count++;
  h.sum += value;
}

std::string Metrics::Render() const {
  std::vector<std::pair<std::string, std::function<double()>>> gauges;
  std::ostringstream out;
  {
    std::lock_guard<std::mutex> lock(mu_);
    for (const auto& [name, f] : families_) {
      if (f.type == "gauge") {
        gauges.emplace_back(name, f.gauge);
        continue;
      }
      if (!f.help.empty()) out << "# HELP " << name << " " << f.help << "\n";
      out << "# TYPE " << name << " " << f.type << "\n";
      for (const auto& [labels, v] : f.counters) {
        out << name << (labels.empty() ? "" : "{" + labels + "}") << " " << v << "\n";
      }
      for (const auto& [labels, h] : f.histograms) {
        std::string sep = labels.empty() ? "" : labels + ",";
        uint64_t cumulative = 0;
        for (size_t i = 0; i < f.bounds.size(); ++i) {
          cumulative += h.buckets[i];
          out << name << "_bucket{" << sep << "le=\"" << Number(f.bounds[i]) << "\"} " << cumulative << "\n";
        }
        out << name << "_bucket{" << sep << "le=\"+Inf\"} " << h.count << "\n";
        out << name << "_sum" << (labels.empty() ? "" : "{" + labels + "}") << " " << Number(h.sum) << "\n";
        out << name << "_count" << (labels.empty() ? "" : "{" + labels + "}") << " " << h.count << "\n";
      }
    }
  }
  // Gauges are read outside the lock: a reader may take other locks (the store's queue).
  for (const auto& [name, read] : gauges) {
    std::string help;
    {
      std::lock_guard<std::mutex> lock(mu_);
      help = families_.at(name).help;
    }
    out << "# HELP " << name << " " << help << "\n# TYPE " << name << " gauge\n";
    out << name << " " << Number(read ? read() : 0) << "\n";
  }
  return out.str();
}

}  // namespace server
