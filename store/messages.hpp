#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/message.hpp"
#include "core/result.hpp"
#include "store/database.hpp"

namespace store {

// One stored message of a conversation. Plain data.
struct StoredMessage {
  int64_t id = 0;
  int64_t conversation_id = 0;
  int64_t seq = 0;             // 1, 2, 3 ... within the conversation
  std::string direction;       // in | out
  std::string sender;          // person | bot | staff | system
  std::string text;
  std::string payload;
  std::vector<core::Choice> choices;
  std::string provider_message_id;
  int64_t created_ms = 0;
};

namespace messages {

// Appends a message with the conversation's next sequence number; fills in id and seq.
core::Result<void> Append(Database& db, StoredMessage& message);
// Messages of a conversation with seq > after, oldest first, at most `limit`.
core::Result<std::vector<StoredMessage>> ListAfter(Database& db, int64_t conversation_id, int64_t after,
                                                   int limit);

}  // namespace messages

namespace inbound_seen {

// Records (channel, provider id). Returns true when it was new, false for a redelivery.
core::Result<bool> MarkNew(Database& db, const std::string& channel, const std::string& provider_id,
                           int64_t now_ms);

}  // namespace inbound_seen
}  // namespace store
