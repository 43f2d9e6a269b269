// CLINC150 with Loket's own retrieval engine: each intent becomes an English article whose example
// questions are its `train` utterances, and `oos_train` becomes the out-of-scope contrast set (as
// content/out-of-scope.json does for the shipped knowledge base). The answer threshold is chosen on
// `val` + `oos_val` only; the figures are measured once on `test` + `oos_test`.
// Usage: clinc150_bench [path/to/data_full.json]
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "knowledge/index.hpp"

namespace {

struct Scored {
  std::string expected;  // "" = out of scope
  std::string top;
  double confidence;
};

std::vector<Scored> Run(const knowledge::Index& index, const nlohmann::json& in, const nlohmann::json& oos) {
  std::vector<Scored> out;
  knowledge::SearchRequest request;
  request.lang = "en";
  for (const auto* set : {&in, &oos}) {
    for (const auto& row : *set) {
      auto r = index.Search(row[0].get<std::string>(), request);
      out.push_back({set == &in ? row[1].get<std::string>() : "", r.ranked.empty() ? "" : r.ranked[0].id, r.confidence});
    }
  }
  return out;
}

void Measure(const std::vector<Scored>& rows, double threshold, double& in_acc, double& oos_recall) {
  int in = 0, in_ok = 0, oos = 0, oos_ok = 0;
  for (const auto& r : rows) {
    bool answered = r.confidence >= threshold;
    if (r.expected.empty()) {
      oos++;
      oos_ok += !answered;
    } else {
      in++;
      in_ok += answered && r.top == r.expected;
    }
  }
  in_acc = in ? static_cast<double>(in_ok) / in : 0;
  oos_recall = oos ? static_cast<double>(oos_ok) / oos : 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::string path = argc > 1 ? argv[1] : "../shared/eval/clinc150/data_full.json";
  std::ifstream f(path);
  if (!f) {
    std::fprintf(stderr, "cannot read %s\n", path.c_str());
    return 1;
  }
  std::stringstream buf;
  buf << f.rdbuf();
  auto data = nlohmann::json::parse(buf.str());
  knowledge::KnowledgeBase kb;
  std::map<std::string, knowledge::Article> by_intent;
  for (const auto& row : data["train"]) {
    std::string intent = row[1];
    auto& a = by_intent[intent];
    a.id = intent;
    a.source_locale = "en";
    auto& t = a.translations["en"];
    t.title = intent;
    std::replace(t.title.begin(), t.title.end(), '_', ' ');
    t.answer = t.title;
    t.questions.push_back(row[0]);
  }
  for (auto& [id, a] : by_intent) kb.articles.push_back(std::move(a));
  nlohmann::ordered_json oos_examples = nlohmann::ordered_json::array();
  for (const auto& row : data["oos_train"]) oos_examples.push_back(row[0].get<std::string>());
  kb.out_of_scope = {{"examples", {{"en", oos_examples}}}};

  knowledge::IndexOptions options;
  if (argc > 2) options.topk_weight = std::stod(argv[2]);
  if (argc > 3) options.word_weight = std::stod(argv[3]);
  if (argc > 4) options.classifier_weight = std::stod(argv[4]);
  if (argc > 5) options.classifier_epochs = std::stoi(argv[5]);
  if (argc > 6) options.bigram_weight = std::stod(argv[6]);
  if (argc > 7) options.classifier_rate = std::stod(argv[7]);
  if (argc > 8) options.classifier_decay = std::stod(argv[8]);
  auto t0 = std::chrono::steady_clock::now();
  auto index = knowledge::Index::Build(kb, options);
  double build_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();

  // Threshold: the highest in-scope accuracy on the validation split that still refuses at least
  // half of its out-of-scope questions (the published systems' operating range).
  auto val = Run(*index, data["val"], data["oos_val"]);
  double best_threshold = 0.5, best = -1;
  for (double th = 0.01; th < 0.99; th += 0.01) {
    double acc = 0, rec = 0;
    Measure(val, th, acc, rec);
    if (rec >= 0.5 && acc > best) {
      best = acc;
      best_threshold = th;
    }
  }
  double val_acc = 0, val_rec = 0;
  Measure(val, best_threshold, val_acc, val_rec);
  int val_top1 = 0, val_in = 0;
  for (const auto& r : val) {
    if (r.expected.empty()) continue;
    val_in++;
    val_top1 += r.top == r.expected;
  }
  if (std::getenv("CLINC_VAL_ONLY") != nullptr) {
    std::printf("val: top-1 %.1f%%, in-scope %.1f%% at oos recall %.1f%% (threshold %.2f)\n", 100.0 * val_top1 / val_in,
                100 * val_acc, 100 * val_rec, best_threshold);
    return 0;
  }
  auto t1 = std::chrono::steady_clock::now();
  auto test = Run(*index, data["test"], data["oos_test"]);
  double query_us = std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t1).count() / test.size();
  double acc = 0, rec = 0;
  Measure(test, best_threshold, acc, rec);
  int top1 = 0, in = 0;
  for (const auto& r : test) {
    if (r.expected.empty()) continue;
    in++;
    top1 += r.top == r.expected;
  }
  std::printf("CLINC150 (%zu intents, %zu train utterances), index build %.0f ms, %.0f us/query\n", kb.articles.size(),
              data["train"].size(), build_ms, query_us);
  std::printf("threshold %.2f chosen on val (val: in-scope %.1f%%, oos recall %.1f%%)\n", best_threshold, 100 * val_acc, 100 * val_rec);
  std::printf("test: in-scope accuracy %.1f%% (top-1 without threshold %.1f%%), out-of-scope recall %.1f%%\n", 100 * acc,
              100.0 * top1 / in, 100 * rec);
  std::printf("published: BERT 96.9/40.3, MLP on USE 93.5/47.4, Rasa 91.5/45.3, DialogFlow 91.7/14.0, fastText 89.0/9.7\n");
  return 0;
}
