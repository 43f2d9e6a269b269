#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/result.hpp"
#include "handoff/staff.hpp"
#include "locales/localizer.hpp"
#include "store/store.hpp"

namespace handoff {

// How long a waiting conversation may wait per priority before it counts as an SLA breach.
struct SlaPolicy {
  int64_t urgent_ms = 5 * 60 * 1000;
  int64_t normal_ms = 4 * 60 * 60 * 1000;
};

// One entry of the staff queue. Plain data.
struct QueueItem {
  int64_t handoff_id = 0, conversation_id = 0;
  std::string queue, lang, reason, priority, status, channel;
  int64_t queued_ms = 0, waited_s = 0;
  int64_t assigned_to = 0;
  std::string assigned_name;
  bool sla_breached = false;
};

// The staff side of a handoff: the queue each staff member may see (agents: their queues;
// supervisors and admins: all), claiming, replying on the person's own channel, internal notes,
// transfer, return to the bot and close. Priority first (urgent), then waiting time. Every action
// is audited; `on_change` is called after each so live views refresh. Thread-safe.
class HandoffService {
 public:
  HandoffService(store::Store& store, std::shared_ptr<const locales::Localizer> localizer, core::Clock& clock,
                 SlaPolicy sla, std::function<void()> on_change);

  static constexpr int64_t kWhatsAppWindowMs = 24 * 60 * 60 * 1000;

  core::Result<std::vector<QueueItem>> Queue(const Staff& staff);
  // Transcript, profile, notes and the open queue entry. kPermissionDenied outside the staff's queues.
  core::Result<nlohmann::json> Conversation(const Staff& staff, int64_t conversation_id);
  core::Result<void> Claim(const Staff& staff, int64_t conversation_id);
  // Sends `text` to the person as staff (through the outbox for push channels). Claims if needed.
  // kConflict on WhatsApp when the person's last message is more than 24 hours old.
  core::Result<void> Reply(const Staff& staff, int64_t conversation_id, const std::string& text);
  core::Result<void> Note(const Staff& staff, int64_t conversation_id, const std::string& text);
  core::Result<void> Transfer(const Staff& staff, int64_t conversation_id, const std::string& queue, int64_t agent_id);
  // Back to the bot; the person is told in their language.
  core::Result<void> Return(const Staff& staff, int64_t conversation_id);
  // Closes the conversation's handoff; the person may rate it 1–5.
  core::Result<void> Close(const Staff& staff, int64_t conversation_id);
  // Assigns the longest-waiting unassigned conversation of each language to the available agent who
  // speaks it and has the fewest open chats. Returns how many were assigned.
  core::Result<int> AutoAssign();
  // Waiting conversations past their SLA (for metrics and supervisors).
  core::Result<int64_t> BreachCount();

 private:
  core::Result<void> CheckAccess(store::Database& db, const Staff& staff, int64_t conversation_id, int64_t* handoff_id,
                                 std::string* queue);
  core::Result<void> SendToPerson(store::Database& db, int64_t conversation_id, const std::string& sender,
                                  const std::string& text, const std::vector<std::pair<std::string, std::string>>& choices);
  bool Breached(const std::string& priority, int64_t waited_ms) const;
  // Ends the handoff with `status` (returned | closed), gives the conversation back to the bot and
  // tells the person `message_key` in their language.
  core::Result<void> End(const Staff& staff, int64_t conversation_id, const std::string& status,
                         const std::string& message_key, const std::vector<std::pair<std::string, std::string>>& choices);

  store::Store& store_;
  std::shared_ptr<const locales::Localizer> loc_;
  core::Clock& clock_;
  SlaPolicy sla_;
  std::function<void()> on_change_;
};

}  // namespace handoff
