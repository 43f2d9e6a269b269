#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/message.hpp"
#include "store/conversations.hpp"

namespace bot {

// A request to put the conversation in a staff queue.
struct Handoff {
  std::string reason;    // asked | unsure | urgent | report-follow-up
  std::string priority;  // urgent | normal
};

// A "did this help?" answer, for content managers.
struct Feedback {
  std::string article_id;
  std::string lang;
  bool helpful = false;
};

// A question Loket could not answer confidently (text already masked of personal data).
struct Unanswered {
  std::string text;
  std::string lang;
  double confidence = 0;
  std::vector<std::string> suggestions;
};

// Aggregate-only record of what was asked (no text): for the funders' figures.
struct TopicAsked {
  std::string lang;
  std::string article_id;  // empty when not answered
};

// Placeholders in a report confirmation that the caller replaces with the stored report's reference
// number and the office it was routed to.
inline constexpr const char* kReportRefMarker = "\u27E6ref\u27E7";
inline constexpr const char* kReportOfficeMarker = "\u27E6office\u27E7";

// What one turn of the conversation produced: replies plus side effects the caller commits in the
// same transaction as the turn.
struct TurnResult {
  std::vector<core::Reply> replies;
  std::optional<Handoff> handoff;
  std::vector<Feedback> feedback;
  std::vector<Unanswered> unanswered;
  std::vector<TopicAsked> topics;
  bool erase_person = false;        // "delete my data" was confirmed
  int rating = 0;                   // 1–5 after a staff conversation was closed, 0 when none
  std::string submit_report;        // JSON of a confirmed report (issue 6), empty when none
};

// The conversation engine: given a conversation (its language, mode, state and profile) and the
// person's message, updates the conversation in place and returns the replies. Pure with respect to
// storage: the caller persists the conversation, the message and the replies in one transaction.
// Implementations are thread-safe for different conversations.
class Engine {
 public:
  virtual ~Engine() = default;
  virtual TurnResult Turn(store::Conversation& conversation, const core::InboundMessage& message,
                          int64_t now_ms) = 0;
};

}  // namespace bot
