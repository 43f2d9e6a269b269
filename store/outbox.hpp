#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.hpp"
#include "store/database.hpp"

namespace store {

// A reply waiting to be pushed to a provider. Plain data.
struct OutboxItem {
  int64_t id = 0;
  int64_t conversation_id = 0;
  int64_t message_id = 0;
  std::string channel;
  std::string status;  // pending | sent | failed
  int attempts = 0;
  int64_t next_attempt_ms = 0;
  std::string last_error;
};

namespace outbox {

// Queues message `message_id` for delivery on `channel`; fills in id.
core::Result<void> Enqueue(Database& db, OutboxItem& item, int64_t now_ms);
// Pending items due at `now_ms`, oldest first, skipping conversations that have an earlier
// pending item (so each conversation's order is kept), at most `limit`.
core::Result<std::vector<OutboxItem>> Due(Database& db, int64_t now_ms, int limit);
core::Result<void> MarkSent(Database& db, int64_t id, int64_t now_ms);
core::Result<void> MarkRetry(Database& db, int64_t id, int64_t next_attempt_ms, const std::string& error);
core::Result<void> MarkFailed(Database& db, int64_t id, const std::string& error);
core::Result<int64_t> CountPending(Database& db);

}  // namespace outbox

namespace audit {

// Appends an entry to the audit log. `actor` is e.g. "staff:12" or "system"; `detail` holds ids,
// never message text.
core::Result<void> Append(Database& db, int64_t ts_ms, const std::string& actor, const std::string& action,
                          const std::string& subject, const std::string& detail);

}  // namespace audit
}  // namespace store
