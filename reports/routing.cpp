#include "reports/routing.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace reports {

using nlohmann::json;

core::Result<RoutingRules> RoutingRules::Parse(const json& config) {
  RoutingRules r;
  if (!config.is_object() || !config.contains("queues") || !config["queues"].is_array()) {
    return core::MakeError(core::ErrorCode::kInvalidArgument, "report routing: \"queues\" must be a list");
  }
  for (const auto& q : config["queues"]) {
    if (!q.is_object() || !q.contains("id") || !q["id"].is_string() || !q.contains("name") || !q["name"].is_string()) {
      return core::MakeError(core::ErrorCode::kInvalidArgument, "report routing: each queue needs \"id\" and \"name\"");
    }
    r.offices_.push_back({q["id"].get<std::string>(), q["name"].get<std::string>()});
  }
  auto known = [&](const std::string& id) {
    return std::any_of(r.offices_.begin(), r.offices_.end(), [&](const Office& o) { return o.id == id; });
  };
  for (const auto& rule : config.value("rules", json::array())) {
    Rule parsed;
    parsed.queue = rule.value("queue", "");
    for (const auto& c : rule.value("categories", json::array())) if (c.is_string()) parsed.categories.push_back(c);
    for (const auto& g : rule.value("regions", json::array())) if (g.is_string()) parsed.regions.push_back(g);
    if (!known(parsed.queue)) {
      return core::MakeError(core::ErrorCode::kInvalidArgument, "report routing: rule names unknown queue \"" + parsed.queue + "\"");
    }
    r.rules_.push_back(parsed);
  }
  r.default_queue_ = config.value("default", "");
  if (!known(r.default_queue_)) {
    return core::MakeError(core::ErrorCode::kInvalidArgument, "report routing: \"default\" must name one of the queues");
  }
  return r;
}

core::Result<RoutingRules> RoutingRules::LoadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return core::MakeError(core::ErrorCode::kInvalidArgument, "report routing: cannot read " + path);
  std::stringstream buf;
  buf << in.rdbuf();
  auto j = json::parse(buf.str(), nullptr, false);
  if (j.is_discarded()) return core::MakeError(core::ErrorCode::kInvalidArgument, "report routing: " + path + " is not valid JSON");
  return Parse(j);
}

RoutingRules RoutingRules::Defaults() {
  json config = {
      {"queues",
       {{{"id", "labour-inspection"}, {"name", "Nederlandse Arbeidsinspectie (intake)"}},
        {{"id", "municipal-enforcement"}, {"name", "gemeentelijke handhaving (municipal enforcement)"}},
        {{"id", "exploitation"}, {"name", "specialisten arbeidsuitbuiting (exploitation specialists)"}},
        {{"id", "anti-discrimination"}, {"name", "antidiscriminatievoorziening (anti-discrimination service)"}},
        {{"id", "loket-intake"}, {"name", "Loket intake"}}}},
      {"rules",
       {{{"categories", {"wages", "hours", "safety"}}, {"queue", "labour-inspection"}},
        {{"categories", {"housing", "overcrowding", "nuisance"}}, {"queue", "municipal-enforcement"}},
        {{"categories", {"exploitation", "intimidation"}}, {"queue", "exploitation"}},
        {{"categories", {"discrimination"}}, {"queue", "anti-discrimination"}}}},
      {"default", "loket-intake"}};
  return *Parse(config);
}

Office RoutingRules::Route(const std::string& category, const std::string& region) const {
  auto matches = [](const std::vector<std::string>& list, const std::string& v) {
    return list.empty() || std::find(list.begin(), list.end(), v) != list.end();
  };
  std::string queue = default_queue_;
  for (const auto& rule : rules_) {
    if (matches(rule.categories, category) && matches(rule.regions, region)) {
      queue = rule.queue;
      break;
    }
  }
  for (const auto& o : offices_) {
    if (o.id == queue) return o;
  }
  return {queue, queue};
}

}  // namespace reports
