#include "handoff/handoff_service.hpp"

#include <algorithm>
#include <map>

#include "store/conversations.hpp"
#include "store/messages.hpp"
#include "store/outbox.hpp"

namespace handoff {

using core::ErrorCode;
using core::MakeError;
using nlohmann::json;

namespace {

bool Sees(const Staff& staff, const std::string& queue) {
  if (staff.Can("handoff.all")) return true;
  return std::find(staff.queues.begin(), staff.queues.end(), queue) != staff.queues.end() ||
         std::find(staff.queues.begin(), staff.queues.end(), "*") != staff.queues.end();
}

std::string Actor(const Staff& s) { return "staff:" + std::to_string(s.id); }

}  // namespace

HandoffService::HandoffService(store::Store& store, std::shared_ptr<const locales::Localizer> localizer,
                               core::Clock& clock, SlaPolicy sla, std::function<void()> on_change)
    : store_(store), loc_(std::move(localizer)), clock_(clock), sla_(sla), on_change_(std::move(on_change)) {}

bool HandoffService::Breached(const std::string& priority, int64_t waited_ms) const {
  return waited_ms > (priority == "urgent" ? sla_.urgent_ms : sla_.normal_ms);
}

core::Result<std::vector<QueueItem>> HandoffService::Queue(const Staff& staff) {
  if (!staff.Can("handoff")) return MakeError(ErrorCode::kPermissionDenied, "this account does not work in the queues");
  std::vector<QueueItem> out;
  int64_t now = clock_.NowMs();
  auto r = store_.Read([&](store::Database& db) -> core::Result<void> {
    auto s = store::Statement::Prepare(db,
        "SELECT h.id, h.conversation_id, h.queue, COALESCE(h.lang,''), h.reason, h.priority, h.status, c.channel, "
        "h.queued_ms, COALESCE(h.assigned_to,0), COALESCE(st.name,'') FROM handoff h JOIN conversation c ON c.id = h.conversation_id "
        "LEFT JOIN staff st ON st.id = h.assigned_to WHERE h.status IN ('waiting','assigned') "
        "ORDER BY CASE h.priority WHEN 'urgent' THEN 0 ELSE 1 END, h.queued_ms");
    if (!s.ok()) return s.error();
    while (true) {
      auto row = s->Step();
      if (!row.ok()) return row.error();
      if (!*row) break;
      QueueItem q;
      q.handoff_id = s->Int(0);
      q.conversation_id = s->Int(1);
      q.queue = s->Text(2);
      q.lang = s->Text(3);
      q.reason = s->Text(4);
      q.priority = s->Text(5);
      q.status = s->Text(6);
      q.channel = s->Text(7);
      q.queued_ms = s->Int(8);
      q.assigned_to = s->Int(9);
      q.assigned_name = s->Text(10);
      q.waited_s = (now - q.queued_ms) / 1000;
      q.sla_breached = q.status == "waiting" && Breached(q.priority, now - q.queued_ms);
      if (Sees(staff, q.queue)) out.push_back(q);
    }
    return {};
  });
  if (!r.ok()) return r.error();
  return out;
}

core::Result<void> HandoffService::CheckAccess(store::Database& db, const Staff& staff, int64_t conversation_id,
                                               int64_t* handoff_id, std::string* queue) {
  if (!staff.Can("handoff")) return MakeError(ErrorCode::kPermissionDenied, "this account does not work in the queues");
  auto s = store::Statement::Prepare(db,
      "SELECT id, queue FROM handoff WHERE conversation_id = ?1 ORDER BY CASE WHEN status IN ('waiting','assigned') THEN 0 ELSE 1 END, id DESC LIMIT 1");
  if (!s.ok()) return s.error();
  s->Bind(1, conversation_id);
  auto row = s->Step();
  if (!row.ok()) return row.error();
  if (!*row) return MakeError(ErrorCode::kNotFound, "no handoff for this conversation");
  if (handoff_id != nullptr) *handoff_id = s->Int(0);
  std::string q = s->Text(1);
  if (queue != nullptr) *queue = q;
  if (!Sees(staff, q)) return MakeError(ErrorCode::kPermissionDenied, "this conversation is in another queue");
  return {};
}

core::Result<json> HandoffService::Conversation(const Staff& staff, int64_t conversation_id) {
  json out;
  auto r = store_.Read([&](store::Database& db) -> core::Result<void> {
    int64_t handoff_id = 0;
    std::string queue;
    auto access = CheckAccess(db, staff, conversation_id, &handoff_id, &queue);
    if (!access.ok()) return access;
    auto c = store::conversations::Get(db, conversation_id);
    if (!c.ok()) return c.error();
    auto messages = store::messages::ListAfter(db, conversation_id, 0, 1000);
    if (!messages.ok()) return messages.error();
    json transcript = json::array();
    for (const auto& m : *messages) {
      json choices = json::array();
      for (const auto& ch : m.choices) choices.push_back(ch.label);
      transcript.push_back({{"seq", m.seq}, {"from", m.sender}, {"text", m.text}, {"choices", choices}, {"ts_ms", m.created_ms}});
    }
    json notes = json::array();
    auto n = store::Statement::Prepare(db,
        "SELECT n.text, n.ts_ms, s.name FROM conversation_note n JOIN staff s ON s.id = n.staff_id WHERE n.conversation_id = ?1 ORDER BY n.id");
    if (!n.ok()) return n.error();
    n->Bind(1, conversation_id);
    while (true) {
      auto row = n->Step();
      if (!row.ok()) return row.error();
      if (!*row) break;
      notes.push_back({{"text", n->Text(0)}, {"ts_ms", n->Int(1)}, {"by", n->Text(2)}});
    }
    json profile = json::parse(c->profile, nullptr, false);
    if (profile.is_object()) profile.erase("newsletter");
    out = {{"id", c->id}, {"channel", c->channel}, {"lang", c->lang}, {"mode", c->mode}, {"queue", queue},
           {"profile", profile.is_object() ? profile : json::object()}, {"messages", transcript}, {"notes", notes}};
    return {};
  });
  if (!r.ok()) return r.error();
  (void)store_.Write([&](store::Database& db) {
    return store::audit::Append(db, clock_.NowMs(), Actor(staff), "handoff.view", "conversation:" + std::to_string(conversation_id), "");
  });
  return out;
}

core::Result<void> HandoffService::Claim(const Staff& staff, int64_t conversation_id) {
  auto r = store_.Write([&](store::Database& db) -> core::Result<void> {
    int64_t handoff_id = 0;
    auto access = CheckAccess(db, staff, conversation_id, &handoff_id, nullptr);
    if (!access.ok()) return access;
    auto s = store::Statement::Prepare(db,
        "UPDATE handoff SET status = 'assigned', assigned_to = ?2 WHERE id = ?1 AND status IN ('waiting','assigned')");
    if (!s.ok()) return s.error();
    s->Bind(1, handoff_id).Bind(2, staff.id);
    auto u = s->Run();
    if (!u.ok()) return u;
    if (db.Changes() == 0) return MakeError(ErrorCode::kConflict, "this conversation is no longer waiting");
    auto c = store::Statement::Prepare(db, "UPDATE conversation SET mode = 'human' WHERE id = ?1");
    if (!c.ok()) return c.error();
    c->Bind(1, conversation_id);
    auto cu = c->Run();
    if (!cu.ok()) return cu;
    return store::audit::Append(db, clock_.NowMs(), Actor(staff), "handoff.claim", "conversation:" + std::to_string(conversation_id), "");
  });
  if (r.ok() && on_change_) on_change_();
  return r;
}

core::Result<void> HandoffService::SendToPerson(store::Database& db, int64_t conversation_id, const std::string& sender,
                                                const std::string& text,
                                                const std::vector<std::pair<std::string, std::string>>& choices) {
  auto c = store::conversations::Get(db, conversation_id);
  if (!c.ok()) return c.error();
  store::StoredMessage m;
  m.conversation_id = conversation_id;
  m.direction = "out";
  m.sender = sender;
  m.text = text;
  for (const auto& [id, label] : choices) m.choices.push_back({id, label});
  m.created_ms = clock_.NowMs();
  auto a = store::messages::Append(db, m);
  if (!a.ok()) return a;
  if (c->channel == "webchat") return {};
  store::OutboxItem item;
  item.conversation_id = conversation_id;
  item.message_id = m.id;
  item.channel = c->channel;
  return store::outbox::Enqueue(db, item, m.created_ms);
}

core::Result<void> HandoffService::Reply(const Staff& staff, int64_t conversation_id, const std::string& text) {
  if (text.empty() || text.size() > 4096) return MakeError(ErrorCode::kInvalidArgument, "a reply needs 1 to 4096 bytes of text");
  auto r = store_.Write([&](store::Database& db) -> core::Result<void> {
    int64_t handoff_id = 0;
    auto access = CheckAccess(db, staff, conversation_id, &handoff_id, nullptr);
    if (!access.ok()) return access;
    auto claim = store::Statement::Prepare(db,
        "UPDATE handoff SET status = 'assigned', assigned_to = COALESCE(assigned_to, ?2) WHERE id = ?1 AND status IN ('waiting','assigned')");
    if (!claim.ok()) return claim.error();
    claim->Bind(1, handoff_id).Bind(2, staff.id);
    auto cu = claim->Run();
    if (!cu.ok()) return cu;
    if (db.Changes() == 0) return MakeError(ErrorCode::kConflict, "this conversation was returned or closed");
    auto mode = store::Statement::Prepare(db, "UPDATE conversation SET mode = 'human' WHERE id = ?1");
    if (!mode.ok()) return mode.error();
    mode->Bind(1, conversation_id);
    auto mu = mode->Run();
    if (!mu.ok()) return mu;
    // WhatsApp allows free-form messages only within 24 hours of the person's last message.
    auto conversation = store::conversations::Get(db, conversation_id);
    if (!conversation.ok()) return conversation.error();
    bool whatsapp = conversation->channel == "whatsapp" || conversation->address.rfind("whatsapp:", 0) == 0;
    if (whatsapp && clock_.NowMs() - conversation->last_inbound_ms > kWhatsAppWindowMs) {
      return MakeError(ErrorCode::kConflict,
                       "WhatsApp's 24-hour window closed: the person last wrote more than 24 hours ago, so only an approved "
                       "template can reach them. Wait for them to write again.");
    }
    auto sent = SendToPerson(db, conversation_id, "staff", text, {});
    if (!sent.ok()) return sent;
    return store::audit::Append(db, clock_.NowMs(), Actor(staff), "handoff.reply", "conversation:" + std::to_string(conversation_id), "");
  });
  if (r.ok() && on_change_) on_change_();
  return r;
}

core::Result<void> HandoffService::Note(const Staff& staff, int64_t conversation_id, const std::string& text) {
  if (text.empty() || text.size() > 8192) return MakeError(ErrorCode::kInvalidArgument, "a note needs 1 to 8192 bytes of text");
  return store_.Write([&](store::Database& db) -> core::Result<void> {
    auto access = CheckAccess(db, staff, conversation_id, nullptr, nullptr);
    if (!access.ok()) return access;
    auto s = store::Statement::Prepare(db, "INSERT INTO conversation_note (conversation_id, staff_id, text, ts_ms) VALUES (?1, ?2, ?3, ?4)");
    if (!s.ok()) return s.error();
    s->Bind(1, conversation_id).Bind(2, staff.id).Bind(3, text).Bind(4, clock_.NowMs());
    auto ins = s->Run();
    if (!ins.ok()) return ins;
    return store::audit::Append(db, clock_.NowMs(), Actor(staff), "handoff.note", "conversation:" + std::to_string(conversation_id), "");
  });
}

core::Result<void> HandoffService::Transfer(const Staff& staff, int64_t conversation_id, const std::string& queue, int64_t agent_id) {
  if (queue.empty() && agent_id == 0) return MakeError(ErrorCode::kInvalidArgument, "transfer needs a queue or an agent");
  auto r = store_.Write([&](store::Database& db) -> core::Result<void> {
    int64_t handoff_id = 0;
    auto access = CheckAccess(db, staff, conversation_id, &handoff_id, nullptr);
    if (!access.ok()) return access;
    auto s = store::Statement::Prepare(db,
        "UPDATE handoff SET queue = CASE WHEN ?2 = '' THEN queue ELSE ?2 END, assigned_to = NULLIF(?3, 0), "
        "status = CASE WHEN ?3 = 0 THEN 'waiting' ELSE 'assigned' END WHERE id = ?1");
    if (!s.ok()) return s.error();
    s->Bind(1, handoff_id).Bind(2, queue).Bind(3, agent_id);
    auto u = s->Run();
    if (!u.ok()) return u;
    return store::audit::Append(db, clock_.NowMs(), Actor(staff), "handoff.transfer", "conversation:" + std::to_string(conversation_id),
                                "queue=" + queue + " agent=" + std::to_string(agent_id));
  });
  if (r.ok() && on_change_) on_change_();
  return r;
}

core::Result<void> HandoffService::End(const Staff& staff, int64_t conversation_id, const std::string& status,
                                       const std::string& message_key,
                                       const std::vector<std::pair<std::string, std::string>>& choices) {
  auto r = store_.Write([&](store::Database& db) -> core::Result<void> {
    int64_t handoff_id = 0;
    auto access = CheckAccess(db, staff, conversation_id, &handoff_id, nullptr);
    if (!access.ok()) return access;
    auto c = store::conversations::Get(db, conversation_id);
    if (!c.ok()) return c.error();
    auto s = store::Statement::Prepare(db, "UPDATE handoff SET status = ?3, closed_ms = ?2 WHERE id = ?1");
    if (!s.ok()) return s.error();
    s->Bind(1, handoff_id).Bind(2, clock_.NowMs()).Bind(3, status);
    auto u = s->Run();
    if (!u.ok()) return u;
    auto m = store::Statement::Prepare(db, "UPDATE conversation SET mode = 'bot' WHERE id = ?1");
    if (!m.ok()) return m.error();
    m->Bind(1, conversation_id);
    auto mu = m->Run();
    if (!mu.ok()) return mu;
    std::string lang = c->lang.empty() ? "en" : c->lang;
    auto sent = SendToPerson(db, conversation_id, "system", loc_->Format(lang, message_key), choices);
    if (!sent.ok()) return sent;
    return store::audit::Append(db, clock_.NowMs(), Actor(staff), "handoff." + status,
                                "conversation:" + std::to_string(conversation_id), "");
  });
  if (r.ok() && on_change_) on_change_();
  return r;
}

core::Result<void> HandoffService::Return(const Staff& staff, int64_t conversation_id) {
  return End(staff, conversation_id, "returned", "human.back_to_bot", {});
}

core::Result<void> HandoffService::Close(const Staff& staff, int64_t conversation_id) {
  std::vector<std::pair<std::string, std::string>> ratings;
  for (int i = 1; i <= 5; ++i) ratings.push_back({"rate:" + std::to_string(i), std::to_string(i)});
  return End(staff, conversation_id, "closed", "rating.question", ratings);
}

core::Result<int> HandoffService::AutoAssign() {
  int assigned = 0;
  auto r = store_.Write([&](store::Database& db) -> core::Result<void> {
    // Available agents with their open chats.
    struct Agent {
      int64_t id;
      std::vector<std::string> queues, languages;
      int64_t open;
    };
    std::vector<Agent> agents;
    auto a = store::Statement::Prepare(db,
        "SELECT s.id, s.queues, s.languages, (SELECT COUNT(*) FROM handoff h WHERE h.assigned_to = s.id AND h.status = 'assigned') "
        "FROM staff s WHERE s.disabled = 0 AND s.available = 1 AND s.role IN ('agent','supervisor','admin')");
    if (!a.ok()) return a.error();
    while (true) {
      auto row = a->Step();
      if (!row.ok()) return row.error();
      if (!*row) break;
      Agent ag{a->Int(0), {}, {}, a->Int(3)};
      auto q = json::parse(a->Text(1), nullptr, false);
      if (q.is_array()) for (const auto& v : q) if (v.is_string()) ag.queues.push_back(v);
      auto l = json::parse(a->Text(2), nullptr, false);
      if (l.is_array()) for (const auto& v : l) if (v.is_string()) ag.languages.push_back(v);
      agents.push_back(ag);
    }
    auto w = store::Statement::Prepare(db,
        "SELECT id, conversation_id, queue, COALESCE(lang,'') FROM handoff WHERE status = 'waiting' "
        "ORDER BY CASE priority WHEN 'urgent' THEN 0 ELSE 1 END, queued_ms");
    if (!w.ok()) return w.error();
    std::vector<std::tuple<int64_t, int64_t, std::string, std::string>> waiting;
    while (true) {
      auto row = w->Step();
      if (!row.ok()) return row.error();
      if (!*row) break;
      waiting.emplace_back(w->Int(0), w->Int(1), w->Text(2), w->Text(3));
    }
    for (const auto& [handoff_id, conversation_id, queue, lang] : waiting) {
      Agent* best = nullptr;
      for (auto& ag : agents) {
        bool in_queue = std::find(ag.queues.begin(), ag.queues.end(), queue) != ag.queues.end() ||
                        std::find(ag.queues.begin(), ag.queues.end(), "*") != ag.queues.end();
        bool speaks = std::find(ag.languages.begin(), ag.languages.end(), lang) != ag.languages.end();
        if (in_queue && speaks && (best == nullptr || ag.open < best->open)) best = &ag;
      }
      if (best == nullptr) continue;
      auto s = store::Statement::Prepare(db, "UPDATE handoff SET status = 'assigned', assigned_to = ?2 WHERE id = ?1");
      if (!s.ok()) return s.error();
      s->Bind(1, handoff_id).Bind(2, best->id);
      auto u = s->Run();
      if (!u.ok()) return u;
      auto audit = store::audit::Append(db, clock_.NowMs(), "system", "handoff.auto_assign",
                                        "conversation:" + std::to_string(conversation_id), "staff=" + std::to_string(best->id));
      if (!audit.ok()) return audit;
      best->open++;
      assigned++;
    }
    return {};
  });
  if (!r.ok()) return r.error();
  if (assigned > 0 && on_change_) on_change_();
  return assigned;
}

core::Result<int64_t> HandoffService::BreachCount() {
  int64_t n = 0;
  int64_t now = clock_.NowMs();
  auto r = store_.Read([&](store::Database& db) -> core::Result<void> {
    auto s = store::Statement::Prepare(db, "SELECT priority, queued_ms FROM handoff WHERE status = 'waiting'");
    if (!s.ok()) return s.error();
    while (true) {
      auto row = s->Step();
      if (!row.ok()) return row.error();
      if (!*row) break;
      n += Breached(s->Text(0), now - s->Int(1)) ? 1 : 0;
    }
    return {};
  });
  if (!r.ok()) return r.error();
  return n;
}

}  // namespace handoff
