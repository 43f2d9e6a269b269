#pragma once

#include <array>
#include <functional>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "bot/engine.hpp"
#include "core/clock.hpp"
#include "core/message.hpp"
#include "core/crypto.hpp"
#include "core/random.hpp"
#include "reports/routing.hpp"
#include "core/result.hpp"
#include "server/metrics.hpp"
#include "store/messages.hpp"
#include "store/store.hpp"

namespace server {

// The outcome of one web-chat turn.
struct ChatTurn {
  std::string session;  // the token to send back as X-Loket-Session
  std::string lang;
  std::string mode;
  std::vector<core::Reply> replies;
  int64_t last_seq = 0;  // sequence number of the last stored message of the conversation
};

// The path of a message through Loket, without HTTP: find or create the conversation, run the
// engine, and commit the inbound message, the new conversation state and the replies (plus outbox
// rows for push channels) in one transaction before returning. Turns of one conversation run one
// at a time; different conversations run in parallel. Thread-safe.
class ConversationService {
 public:
  // `data_key` encrypts reporters' contact details; without it a report asking for contact is
  // stored anonymously (the caller refuses to start in that configuration).
  ConversationService(store::Store& store, bot::Engine& engine, core::Clock& clock, core::Random& random,
                      Metrics* metrics, const core::DataKey* data_key = nullptr,
                      reports::RoutingRules routing = reports::RoutingRules::Defaults());

  // One web-chat turn. `session` is empty on the first call (a conversation and a new token are
  // created). Fails with kUnauthenticated for an unknown or malformed token, kInvalidArgument for an
  // empty or oversized message, kUnavailable when the database cannot commit.
  core::Result<ChatTurn> WebChat(const std::string& session, const core::InboundMessage& message);

  // Messages of the session's conversation after `after_seq` (staff replies, later bot messages).
  core::Result<std::vector<store::StoredMessage>> WebChatMessages(const std::string& session, int64_t after_seq);

  // The conversation behind a web-chat session token, or kUnauthenticated.
  core::Result<store::Conversation> WebChatConversation(const std::string& session);

  // A message from a push channel (WhatsApp, Telegram, SMS). Returns false when the provider
  // message id was seen before (nothing is done again), true when the turn was committed; replies
  // are queued in the outbox.
  core::Result<bool> HandleInbound(const core::InboundMessage& message);

  static constexpr size_t kMaxTextBytes = 4096;

  // Called after a turn that touched the staff queue (a handoff opened, or a person wrote while
  // queued or talking to staff), so live staff views refresh.
  void SetQueueObserver(std::function<void()> observer) { queue_observer_ = std::move(observer); }

  // Called inside the turn's transaction right after a handoff opened: returns extra replies for the
  // person (their place in the queue, when staff are back).
  using QueueNotice = std::function<std::vector<core::Reply>(store::Database&, const store::Conversation&, int64_t now_ms)>;
  void SetQueueNotice(QueueNotice notice) { queue_notice_ = std::move(notice); }

 private:
  struct Committed {
    bool duplicate = false;
    int64_t last_seq = 0;
  };
  core::Result<Committed> RunTurn(store::Conversation conversation, bool is_new,
                                  const core::InboundMessage& message, bool push_channel,
                                  std::vector<core::Reply>& replies, store::Conversation& after);
  std::mutex& StripeFor(const std::string& channel, const std::string& address);
  // Records the turn's side effects (feedback, unanswered questions, statistics, queue entries).
  core::Result<void> CommitEffects(store::Database& db, const store::Conversation& conversation,
                                   const bot::TurnResult& result, const std::string& channel, int64_t now);
  // Erases a person's conversation: everything when `whole`, else messages and profile only.
  core::Result<void> EraseConversation(store::Database& db, int64_t conversation_id, bool whole);
  static std::string knowledge_day_(int64_t ms);
  // Stores a confirmed report from the engine's submission JSON; returns (reference, office name).
  core::Result<std::pair<std::string, std::string>> StoreReport(store::Database& db, const store::Conversation& conversation,
                                                                const std::string& submission, int64_t now);

  store::Store& store_;
  bot::Engine& engine_;
  core::Clock& clock_;
  core::Random& random_;
  Metrics* metrics_;
  std::array<std::mutex, 256> stripes_;
  const core::DataKey* data_key_;
  std::function<void()> queue_observer_;
  QueueNotice queue_notice_;
  reports::RoutingRules routing_;
};

// Hex SHA-256 of a web-chat token: what is stored as the conversation's address, so a copy of the
// database does not reveal live tokens.
std::string SessionAddress(const std::string& token);

}  // namespace server
