// Engine turn latency (no network, no database commit): first contact with a question, a follow-up
// question, a menu choice and a report step, over the questions of a JSON-lines file.
// Usage: engine_bench --content DIR --questions FILE
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bot/conversation_engine.hpp"
#include "core/clock.hpp"
#include "store/store.hpp"

int main(int argc, char** argv) {
  std::string content = "content", questions_path = "bench/data/calibration.jsonl";
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--content") content = argv[i + 1];
    if (a == "--questions") questions_path = argv[i + 1];
  }
  std::string db = "/tmp/loket-engine-bench.db";
  std::remove(db.c_str());
  auto store = store::Store::Open(db);
  if (!store.ok()) return 1;
  core::SystemClock clock;
  knowledge::KnowledgeService knowledge(**store, clock);
  if (!knowledge.Start(content).ok()) return 1;
  auto localizer = locales::Localizer::Load();
  bot::ConversationEngine engine(knowledge, *localizer);
  std::vector<std::string> texts;
  std::ifstream in(questions_path);
  std::string line;
  while (std::getline(in, line)) {
    auto j = nlohmann::json::parse(line, nullptr, false);
    if (j.is_object() && j.contains("text")) texts.push_back(j["text"]);
  }
  std::vector<double> us;
  auto timed = [&](store::Conversation& c, core::InboundMessage m) {
    auto t0 = std::chrono::steady_clock::now();
    auto r = engine.Turn(c, m, clock.NowMs());
    us.push_back(std::chrono::duration<double, std::micro>(std::chrono::steady_clock::now() - t0).count());
    return r;
  };
  for (int round = 0; round < 2; ++round) {
    for (const auto& text : texts) {
      store::Conversation c;
      c.channel = "webchat";
      core::InboundMessage first;
      first.text = text;
      timed(c, first);                                // first contact with a question
      core::InboundMessage again;
      again.text = text;
      timed(c, again);                                // a follow-up question
      core::InboundMessage menu;
      menu.payload = "menu:report";
      timed(c, menu);                                 // start a report
      core::InboundMessage pick;
      pick.payload = "form:wages";
      timed(c, pick);                                 // a form step
    }
  }
  std::sort(us.begin(), us.end());
  auto pct = [&](double p) { return us[static_cast<size_t>(p * (us.size() - 1))]; };
  std::printf("engine turns: %zu, p50 %.0f us, p99 %.0f us, max %.0f us\n", us.size(), pct(0.5), pct(0.99), us.back());
  std::remove(db.c_str());
  return 0;
}
