#include "bot/desk_router.hpp"

#include <algorithm>

#include "knowledge/text.hpp"

namespace bot {

namespace {

// Folds and splits a place name so that "'s-Hertogenbosch", "s hertogenbosch" and
// "'s Hertogenbosch" give the same words.
std::vector<std::string> PlaceWords(const std::string& text) {
  std::string folded = knowledge::Fold(text);
  for (char& c : folded) {
    if (c == '-' || c == '\'') c = ' ';
  }
  std::vector<std::string> words;
  std::string cur;
  for (char c : folded + " ") {
    if (c == ' ') {
      if (!cur.empty()) words.push_back(cur);
      cur.clear();
    } else {
      cur.push_back(c);
    }
  }
  return words;
}

std::string Join(const std::vector<std::string>& w, size_t from, size_t n) {
  std::string out;
  for (size_t i = from; i < from + n; ++i) out += (i > from ? " " : "") + w[i];
  return out;
}

}  // namespace

size_t EditDistance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

DeskRouter::DeskRouter(const nlohmann::ordered_json& desks_json) {
  if (!desks_json.is_object()) return;
  if (desks_json.contains("desks") && desks_json["desks"].is_array()) desks_ = desks_json["desks"];
  if (!desks_json.contains("municipalities") || !desks_json["municipalities"].is_array()) return;
  for (const auto& m : desks_json["municipalities"]) {
    Municipality mu;
    mu.id = m.value("id", "");
    mu.name = m.value("name", "");
    mu.region = m.value("region", "");
    mu.contact = m.value("contact", nlohmann::ordered_json::object());
    size_t index = municipalities_.size();
    municipalities_.push_back(mu);
    names_.push_back({PlaceWords(mu.name), index});
    for (const auto& alias : m.value("aliases", nlohmann::ordered_json::array())) {
      if (alias.is_string()) names_.push_back({PlaceWords(alias.get<std::string>()), index});
    }
  }
  // Longer names first, so "land van cuijk" wins over "cuijk".
  std::stable_sort(names_.begin(), names_.end(), [](const Name& a, const Name& b) { return a.words.size() > b.words.size(); });
}

const Municipality* DeskRouter::MatchMunicipality(const std::string& text) const {
  std::vector<std::string> words = PlaceWords(text);
  if (words.empty()) return nullptr;
  // Exact phrase anywhere in the text.
  for (const auto& name : names_) {
    size_t n = name.words.size();
    if (n == 0 || n > words.size()) continue;
    for (size_t i = 0; i + n <= words.size(); ++i) {
      if (std::equal(name.words.begin(), name.words.end(), words.begin() + static_cast<long>(i))) {
        return &municipalities_[name.municipality];
      }
    }
  }
  // A typing error: the closest name within 1 edit (2 for long names), when it is unique.
  const Municipality* best = nullptr;
  size_t best_distance = 99;
  bool tie = false;
  for (const auto& name : names_) {
    size_t n = name.words.size();
    if (n == 0 || n > words.size()) continue;
    std::string target = Join(name.words, 0, n);
    if (target.size() < 4) continue;
    size_t allowed = target.size() >= 9 ? 2 : 1;
    for (size_t i = 0; i + n <= words.size(); ++i) {
      size_t d = EditDistance(Join(words, i, n), target);
      if (d > allowed) continue;
      if (d < best_distance) {
        best = &municipalities_[name.municipality];
        best_distance = d;
        tie = false;
      } else if (d == best_distance && best != &municipalities_[name.municipality]) {
        tie = true;
      }
    }
  }
  return tie ? nullptr : best;
}

bool DeskRouter::NeedsMunicipality(const std::string& audience) {
  return audience == "labour-migrant" || audience == "family-member" || audience == "status-holder" ||
         audience == "local-resident";
}

bool DeskRouter::NeedsBorderCountry(const std::string& audience) { return audience == "cross-border-worker"; }

const nlohmann::ordered_json* DeskRouter::FindDesk(const std::string& id) const {
  for (const auto& d : desks_) {
    if (d.value("id", "") == id) return &d;
  }
  return nullptr;
}

nlohmann::ordered_json DeskRouter::Route(const std::string& audience, const Municipality* municipality,
                                         const std::string& border_country) const {
  auto by_kind = [&](const std::string& kind, const std::string& region) -> nlohmann::ordered_json {
    for (const auto& d : desks_) {
      if (d.value("kind", "") != kind) continue;
      if (region.empty()) return d;
      for (const auto& r : d.value("regions", nlohmann::ordered_json::array())) {
        if (r == region) return d;
      }
    }
    return nullptr;
  };
  if (audience == "knowledge-worker" || audience == "employer") return by_kind("hecs", "");
  if (audience == "cross-border-worker") {
    const auto* d = FindDesk(border_country == "de" ? "gip-germany" : "gip-belgium");
    return d != nullptr ? *d : by_kind("gip", "");
  }
  if (municipality == nullptr) return nullptr;
  if (audience == "status-holder" || audience == "local-resident") {
    nlohmann::ordered_json d = nlohmann::ordered_json::object();
    d["id"] = "municipality:" + municipality->id;
    d["kind"] = "municipality";
    d["name"] = municipality->name;
    d["contact"] = municipality->contact;
    return d;
  }
  return by_kind("win", municipality->region);
}

}  // namespace bot
