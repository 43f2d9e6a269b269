#pragma once

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bot/engine.hpp"
#include "knowledge/service.hpp"
#include "locales/localizer.hpp"

namespace bot {

// Loket's conversation engine: first contact (greeting in the detected language, immediate answer
// when the first message is a question), the main menu, global commands in every locale (menu,
// back, cancel, human, language, stop, delete my data), knowledge answers with "read more",
// related topics and "did this help?", the honest fallback, the profile questions that route a
// person to their desk, and the newsletter. The state lives in the conversation (JSON), so a
// restart continues where it was. Thread-safe for different conversations.
// States and transitions: docs/conversation.md.
class ConversationEngine final : public Engine {
 public:
  ConversationEngine(knowledge::KnowledgeService& knowledge, std::shared_ptr<const locales::Localizer> localizer);

  TurnResult Turn(store::Conversation& conversation, const core::InboundMessage& message,
                  int64_t now_ms) override;

 private:
  struct TurnContext;
  void HandleCommand(TurnContext& t, const std::string& command);
  void HandleChoice(TurnContext& t, const std::string& payload);
  void HandleText(TurnContext& t);
  void Answer(TurnContext& t, const std::string& article_id, bool with_feedback);
  void AnswerQuestion(TurnContext& t, bool first_contact);
  void ShowMenu(TurnContext& t, const std::string& lead_key);
  void ShowLanguages(TurnContext& t);
  void AskAudience(TurnContext& t);
  void ContinueDeskRouting(TurnContext& t);
  void ShowDesk(TurnContext& t);
  void StartNewsletter(TurnContext& t);
  void Handoff(TurnContext& t, const std::string& reason, const std::string& priority);
  void StartReport(TurnContext& t);
  void ContinueReport(TurnContext& t, const std::string& payload, const std::string& command);
  std::string MatchCommand(const std::string& lang, const std::string& text, bool global_only) const;
  bool SignalsDanger(const std::string& lang, const std::string& text) const;

  knowledge::KnowledgeService& knowledge_;
  std::shared_ptr<const locales::Localizer> loc_;
  // Folded command words and danger phrases per locale, computed once: matching runs every turn.
  std::map<std::string, std::map<std::string, std::vector<std::string>>> commands_;  // lang → command → words
  std::map<std::string, std::vector<std::string>> danger_;                           // lang → phrases
};

}  // namespace bot
