// `loket chat`: a conversation in the terminal with the real engine and database (for content
// managers and developers). Choices are shown numbered; type the number, the label or anything.
#include <iostream>

#include "app/commands.hpp"
#include "bot/conversation_engine.hpp"
#include "core/clock.hpp"
#include "core/crypto.hpp"
#include "core/locales.hpp"
#include "core/random.hpp"
#include "server/conversation_service.hpp"
#include "store/store.hpp"

namespace app {

int RunChat(const core::Config& config, const std::vector<std::string>& args) {
  std::string lang;
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i] == "--lang" && i + 1 < args.size() && core::IsLocale(args[i + 1])) {
      lang = args[++i];
    } else {
      std::cerr << "usage: loket chat [--lang xx]\n";
      return 2;
    }
  }
  auto store = store::Store::Open(config.db_path);
  if (!store.ok()) {
    std::cerr << "loket: " << store.error().message << "\n";
    return 1;
  }
  core::SystemClock clock;
  core::SodiumRandom random;
  knowledge::KnowledgeService knowledge(**store, clock);
  auto started = knowledge.Start(config.content_dir);
  if (!started.ok()) {
    std::cerr << "loket: " << started.error().message << "\n";
    return 1;
  }
  auto localizer = locales::Localizer::Load();
  if (!localizer.ok()) {
    std::cerr << "loket: " << localizer.error().message << "\n";
    return 1;
  }
  auto key = core::DataKey::Load(config.data_key, config.data_key_file);
  bot::ConversationEngine engine(knowledge, *localizer);
  server::ConversationService service(**store, engine, clock, random, nullptr, key.ok() ? &*key : nullptr);
  std::string session;
  std::cout << "Loket chat — type a message; Ctrl-D or /quit to leave.\n";
  std::string line;
  bool first = true;
  while (true) {
    std::cout << "\n> " << std::flush;
    if (!std::getline(std::cin, line) || line == "/quit") break;
    if (line.empty()) continue;
    core::InboundMessage message;
    message.text = line;
    if (first) message.lang = lang;
    first = false;
    auto turn = service.WebChat(session, message);
    if (!turn.ok()) {
      std::cout << "[" << turn.error().message << "]\n";
      continue;
    }
    session = turn->session;
    for (const auto& reply : turn->replies) {
      std::cout << "\n" << reply.text << "\n";
      for (size_t i = 0; i < reply.choices.size(); ++i) std::cout << "  " << (i + 1) << ". " << reply.choices[i].label << "\n";
    }
    std::cout << "[" << turn->lang << ", " << turn->mode << "]\n";
  }
  return 0;
}

}  // namespace app
