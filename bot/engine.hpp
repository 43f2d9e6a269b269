#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/message.hpp"
#include "store/conversations.hpp"

namespace bot {

// What one turn of the conversation produced.
struct TurnResult {
  std::vector<core::Reply> replies;
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
