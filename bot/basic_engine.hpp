#pragma once

#include "bot/engine.hpp"

namespace bot {

// The first engine: keeps the conversation's language (chosen, else the previous one, else
// English) and acknowledges every message in it. Replaced by the full engine (issue 5).
// Thread-safe.
class BasicEngine final : public Engine {
 public:
  TurnResult Turn(store::Conversation& conversation, const core::InboundMessage& message,
                  int64_t now_ms) override;
};

}  // namespace bot
