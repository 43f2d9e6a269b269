#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace reports {

// A back-office queue that receives reports.
struct Office {
  std::string id;
  std::string name;
};

// Assigns confirmed reports to back-office queues by category and region, from
// config/report-routing.json (format: docs/report-routing.md). The first matching rule wins; an
// unmatched report goes to the default queue, never nowhere. Immutable; thread-safe.
class RoutingRules {
 public:
  // Parses the rules; fails with a message naming the problem (unknown queue in a rule, no default).
  static core::Result<RoutingRules> Parse(const nlohmann::json& config);
  static core::Result<RoutingRules> LoadFile(const std::string& path);
  // The rules Loket ships with, used when no file is configured.
  static RoutingRules Defaults();

  Office Route(const std::string& category, const std::string& region) const;
  const std::vector<Office>& offices() const { return offices_; }

 private:
  struct Rule {
    std::vector<std::string> categories;  // empty = any
    std::vector<std::string> regions;     // empty = any
    std::string queue;
  };
  std::vector<Office> offices_;
  std::vector<Rule> rules_;
  std::string default_queue_;
};

}  // namespace reports
