#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "store/database.hpp"

namespace store {

// Repository functions for what the engine records besides messages: feedback, unanswered
// questions, aggregate statistics and staff-queue entries.
namespace learning {

core::Result<void> AddFeedback(Database& db, int64_t ts_ms, const std::string& article_id, const std::string& lang,
                               bool helpful);
core::Result<void> AddUnanswered(Database& db, int64_t ts_ms, const std::string& lang, const std::string& masked_text,
                                 double confidence, const std::string& suggestions_json);
// Adds one to the day's count for (channel, lang, topic, region).
core::Result<void> CountTopic(Database& db, const std::string& day, const std::string& channel, const std::string& lang,
                              const std::string& topic, const std::string& region);

}  // namespace learning

namespace handoffs {

// Opens a queue entry for the conversation unless one is already waiting or assigned.
core::Result<void> Open(Database& db, int64_t conversation_id, const std::string& reason, const std::string& priority,
                        const std::string& desk, const std::string& lang, int64_t now_ms);
// Marks open entries of the conversation as returned to the bot.
core::Result<void> Return(Database& db, int64_t conversation_id, int64_t now_ms);

}  // namespace handoffs
}  // namespace store
