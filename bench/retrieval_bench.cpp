// Retrieval benchmark: top-1/top-3 accuracy and out-of-scope refusals per locale on a question set
// (JSON lines {lang, text, expected|null}) asked WITHOUT the language, beside a SQLite FTS5 BM25
// baseline over the same content; language identification beside CLD2; query latency; index build
// time; resident memory. Usage:
//   retrieval_bench --content DIR --questions FILE [--threshold T] [--holdout N] [--features OUT.tsv]
//                   [--results OUT.jsonl]   (one line per question: expected, answered, ranking)
//                   [--builds N]            (index builds to time, median reported; default 5)
//                   [--fit MIN_REFUSED]     (fit the confidence model and threshold on FILE instead of
//                                            measuring: only ever on bench/data/calibration.jsonl)
//                   [--model B,W1..W9]      (measure with this confidence model, as --fit prints it)
//                   [--sentences] [--bigrams W] [--epochs N] [--rate R] [--decay D] [--classifier W]
//                   [--blend W] [--topk W]  (retrieval options, see knowledge::IndexOptions)
#include <cstdio>  // before CLD2's header, which uses FILE without including it
#include <cld2/public/compact_lang_det.h>
#include <sqlite3.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "bench/index_option_flags.hpp"
#include "core/locales.hpp"
#include "knowledge/calibration.hpp"
#include "knowledge/index.hpp"
#include "knowledge/kb.hpp"
#include "knowledge/text.hpp"

namespace {

struct Question {
  std::string lang, text, expected;
};

long RssKb() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::stol(line.substr(6));
  }
  return -1;
}

std::string Cld2(const std::string& text) {
  bool reliable = false;
  CLD2::Language lang = CLD2::DetectLanguage(text.data(), static_cast<int>(text.size()), true, &reliable);
  return CLD2::LanguageCode(lang);
}

// The baseline: SQLite FTS5 with BM25 over each article's text in one locale.
class Fts5Baseline {
 public:
  explicit Fts5Baseline(const knowledge::KnowledgeBase& kb) {
    sqlite3_open(":memory:", &db_);
    sqlite3_exec(db_, "CREATE VIRTUAL TABLE doc USING fts5(article UNINDEXED, lang UNINDEXED, body, tokenize='unicode61 remove_diacritics 2')",
                 nullptr, nullptr, nullptr);
    sqlite3_stmt* ins = nullptr;
    sqlite3_prepare_v2(db_, "INSERT INTO doc VALUES (?1, ?2, ?3)", -1, &ins, nullptr);
    for (const auto& a : kb.articles) {
      for (const auto& [lang, t] : a.translations) {
        std::string body = t.title + "\n" + t.answer + "\n" + t.body;
        for (const auto& q : t.questions) body += "\n" + q;
        for (const auto& k : t.keywords) body += "\n" + k;
        sqlite3_bind_text(ins, 1, a.id.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 2, lang.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_bind_text(ins, 3, body.c_str(), -1, SQLITE_TRANSIENT);
        sqlite3_step(ins);
        sqlite3_reset(ins);
      }
    }
    sqlite3_finalize(ins);
    sqlite3_prepare_v2(db_, "SELECT article FROM doc WHERE doc MATCH ?1 AND lang = ?2 ORDER BY bm25(doc) LIMIT 3", -1,
                       &query_, nullptr);
  }
  ~Fts5Baseline() {
    sqlite3_finalize(query_);
    sqlite3_close(db_);
  }
  std::vector<std::string> Search(const std::string& text, const std::string& lang) {
    std::string match;
    for (const auto& w : knowledge::Words(knowledge::Fold(text))) {
      std::string quoted = "\"";
      for (char c : w) quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
      quoted += "\"";
      match += (match.empty() ? "" : " OR ") + quoted;
    }
    std::vector<std::string> out;
    if (match.empty()) return out;
    sqlite3_bind_text(query_, 1, match.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_bind_text(query_, 2, lang.c_str(), -1, SQLITE_TRANSIENT);
    while (sqlite3_step(query_) == SQLITE_ROW) out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(query_, 0)));
    sqlite3_reset(query_);
    return out;
  }

 private:
  sqlite3* db_ = nullptr;
  sqlite3_stmt* query_ = nullptr;
};

struct Tally {
  int in = 0, top1 = 0, top3 = 0, oos = 0, refused = 0, lid = 0, lid_cld2 = 0, total = 0, base1 = 0;
  int lid_short = 0, lid_short_n = 0;
};

}  // namespace

int main(int argc, char** argv) {
  std::string content = "content", questions_path, features_path, results_path;
  knowledge::IndexOptions options;
  double fit_min_refused = -1;  // --fit: fit the confidence model on these questions instead
  int builds = 5;                // --builds: index builds to time (the median is reported)
  std::vector<knowledge::CalibrationExample> calibration;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto next = [&]() -> std::string { return i + 1 < argc ? argv[++i] : ""; };
    if (ParseIndexOption(a, next, options)) continue;
    if (a == "--content") content = next();
    else if (a == "--questions") questions_path = next();
    else if (a == "--features") features_path = next();
    else if (a == "--results") results_path = next();
    else if (a == "--fit") fit_min_refused = std::stod(next());
    else if (a == "--builds") builds = std::max(1, std::stoi(next()));
    else if (a == "--model") {
      // As --fit prints it: the bias, then one weight per knowledge::kConfidenceInputNames.
      std::stringstream list(next());
      std::vector<double> values;
      for (std::string item; std::getline(list, item, ',');) values.push_back(std::stod(item));
      if (values.size() != 1 + knowledge::kConfidenceInputs) {
        std::cerr << "--model takes " << 1 + knowledge::kConfidenceInputs
                  << " comma-separated numbers (the bias and the weights, as --fit prints them)\n";
        return 2;
      }
      options.confidence.bias = values[0];
      std::copy(values.begin() + 1, values.end(), options.confidence.weights.begin());
    }
    else { std::cerr << "unknown argument " << a << "\n"; return 2; }
  }
  auto documents = knowledge::ReadDirectory(content);
  if (!documents.ok()) { std::cerr << documents.error().message << "\n"; return 1; }
  std::vector<knowledge::Problem> problems;
  knowledge::KnowledgeBase kb = knowledge::Parse(*documents, problems);
  long rss_before = RssKb();
  // The build time is the median of a few builds: one build on a shared 2-core machine varies by
  // ±100 ms. Memory is measured with one index alive.
  std::vector<double> build_times;
  std::shared_ptr<const knowledge::Index> index;
  long rss_after = 0;
  for (int b = 0; b < builds; ++b) {
    index.reset();
    auto t0 = std::chrono::steady_clock::now();
    index = knowledge::Index::Build(kb, options);
    build_times.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
    if (b == 0) rss_after = RssKb();
  }
  std::sort(build_times.begin(), build_times.end());
  double build_ms = build_times[build_times.size() / 2];

  std::vector<Question> questions;
  std::ifstream in(questions_path);
  std::string line;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_discarded()) continue;
    Question q;
    q.lang = j.value("lang", "");
    q.text = j.value("text", "");
    q.expected = j.contains("expected") && j["expected"].is_string() ? j["expected"].get<std::string>() : "";
    questions.push_back(q);
  }
  Fts5Baseline baseline(kb);
  std::map<std::string, Tally> per;
  std::vector<double> latencies;
  std::ofstream features;
  if (!features_path.empty()) {
    features.open(features_path);
    features << "kind\tlang\tcorrect\tblended\tcoverage\tmargin\tqsim\toos\tprob\tprob_oos\twords\tconfidence\n";
  }
  std::ofstream results;
  if (!results_path.empty()) results.open(results_path);
  for (const auto& q : questions) {
    Tally& t = per[q.lang];
    t.total++;
    knowledge::SearchResult r;
    for (int rep = 0; rep < 5; ++rep) {
      auto s = std::chrono::steady_clock::now();
      r = index->Search(q.text);
      latencies.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - s).count());
    }
    bool lid_ok = r.lang == q.lang;
    t.lid += lid_ok;
    t.lid_cld2 += Cld2(q.text) == q.lang;
    size_t words = knowledge::Words(knowledge::Fold(q.text)).size();
    if (words >= 2 && words <= 12) {
      t.lid_short_n++;
      t.lid_short += lid_ok;
    }
    auto base = baseline.Search(q.text, r.lang);
    knowledge::Index::Features f;
    auto ranked = index->Rank(q.text, r.lang, &f);
    bool top_right = !ranked.empty() && ranked[0].id == q.expected;
    if (features.is_open()) {
      features << (q.expected.empty() ? "oos" : "in") << "\t" << q.lang << "\t" << (top_right ? 1 : 0) << "\t"
               << f.blended << "\t" << f.coverage << "\t" << f.margin << "\t" << f.qsim << "\t" << f.oos << "\t"
               << f.prob << "\t" << f.prob_oos << "\t"
               << words << "\t" << r.confidence << "\n";
    }
    calibration.push_back({f, !q.expected.empty(), top_right});
    if (results.is_open()) {
      nlohmann::json row = {{"lang", q.lang}, {"detected", r.lang}, {"expected", q.expected},
                            {"answered", r.article_id}, {"confidence", r.confidence}, {"text", q.text}};
      row["ranked"] = nlohmann::json::array();
      for (const auto& a : ranked) row["ranked"].push_back({a.id, a.score});
      results << row.dump() << "\n";
    }
    if (q.expected.empty()) {
      t.oos++;
      t.refused += r.article_id.empty();
    } else {
      t.in++;
      t.top1 += r.article_id == q.expected;
      t.top3 += std::find(r.suggestions.begin(), r.suggestions.end(), q.expected) != r.suggestions.end();
      t.base1 += !base.empty() && base[0] == q.expected;
    }
  }
  if (fit_min_refused >= 0) {
    auto m = knowledge::FitConfidence(calibration);
    auto choice = knowledge::ChooseThreshold(calibration, m, fit_min_refused);
    std::printf("ConfidenceModel{bias %.3f", m.bias);
    for (size_t k = 0; k < knowledge::kConfidenceInputs; ++k) {
      std::printf(", %s %.3f", knowledge::kConfidenceInputNames[k], m.weights[k]);
    }
    std::printf("}\n--model %.3f", m.bias);
    for (double w : m.weights) std::printf(",%.3f", w);
    std::printf("\n");
    std::printf("threshold %.2f: in-scope answered correctly %.1f%%, out-of-scope refused %.1f%%\n", choice.threshold,
                100 * choice.answered_correctly, 100 * choice.refused);
    return 0;
  }
  std::sort(latencies.begin(), latencies.end());
  auto pct = [&](double p) { return latencies.empty() ? 0 : latencies[static_cast<size_t>(p * (latencies.size() - 1))]; };
  Tally all;
  std::printf("locale  in  top1   top3   fts5-top1  oos  refused  langid  langid(2-12w)  cld2\n");
  for (auto l : core::kLocales) {
    auto it = per.find(std::string(l));
    if (it == per.end()) continue;
    const Tally& t = it->second;
    std::printf("%-6s %3d  %5.1f%% %5.1f%%  %5.1f%%    %3d  %5.1f%%   %5.1f%%  %5.1f%%         %5.1f%%\n",
                std::string(l).c_str(), t.in, 100.0 * t.top1 / std::max(t.in, 1), 100.0 * t.top3 / std::max(t.in, 1),
                100.0 * t.base1 / std::max(t.in, 1), t.oos, 100.0 * t.refused / std::max(t.oos, 1),
                100.0 * t.lid / std::max(t.total, 1), 100.0 * t.lid_short / std::max(t.lid_short_n, 1),
                100.0 * t.lid_cld2 / std::max(t.total, 1));
    all.in += t.in; all.top1 += t.top1; all.top3 += t.top3; all.base1 += t.base1; all.oos += t.oos;
    all.refused += t.refused; all.lid += t.lid; all.lid_cld2 += t.lid_cld2; all.total += t.total;
    all.lid_short += t.lid_short; all.lid_short_n += t.lid_short_n;
  }
  std::printf("ALL    %3d  %5.1f%% %5.1f%%  %5.1f%%    %3d  %5.1f%%   %5.1f%%  %5.1f%%         %5.1f%%\n", all.in,
              100.0 * all.top1 / std::max(all.in, 1), 100.0 * all.top3 / std::max(all.in, 1),
              100.0 * all.base1 / std::max(all.in, 1), all.oos, 100.0 * all.refused / std::max(all.oos, 1),
              100.0 * all.lid / std::max(all.total, 1), 100.0 * all.lid_short / std::max(all.lid_short_n, 1),
              100.0 * all.lid_cld2 / std::max(all.total, 1));
  std::printf("threshold %.2f; query latency p50 %.0f us, p99 %.0f us; index build %.0f ms (median of %d; %zu articles); "
              "RSS %ld MB (index %ld MB)\n",
              options.threshold, pct(0.5), pct(0.99), build_ms, builds, kb.articles.size(), rss_after / 1024,
              (rss_after - rss_before) / 1024);
  return 0;
}
