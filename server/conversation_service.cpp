#include "server/conversation_service.hpp"

#include <sodium.h>

#include <functional>

#include <nlohmann/json.hpp>

#include "knowledge/validate.hpp"
#include "store/conversations.hpp"
#include "store/learning.hpp"
#include "store/outbox.hpp"
#include "store/reports.hpp"

namespace server {

using core::ErrorCode;
using core::MakeError;

namespace {

constexpr const char* kWebChat = "webchat";
constexpr size_t kTokenBytes = 32;
constexpr size_t kTokenChars = 43;  // base64url of 32 bytes, unpadded

bool WellFormedToken(const std::string& token) {
  if (token.size() != kTokenChars) return false;
  for (char c : token) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
    if (!ok) return false;
  }
  return true;
}

core::Result<void> CheckMessage(const core::InboundMessage& m) {
  if (m.text.empty() && m.payload.empty()) {
    return MakeError(ErrorCode::kInvalidArgument, "a message needs \"text\" or \"choice\"");
  }
  if (m.text.size() > ConversationService::kMaxTextBytes || m.payload.size() > 256) {
    return MakeError(ErrorCode::kTooLarge, "the message is longer than 4096 bytes");
  }
  return {};
}

}  // namespace

std::string ConversationService::knowledge_day_(int64_t ms) { return knowledge::DateFromMs(ms); }

std::string SessionAddress(const std::string& token) {
  unsigned char hash[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(hash, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  char hex[crypto_hash_sha256_BYTES * 2 + 1];
  sodium_bin2hex(hex, sizeof hex, hash, sizeof hash);
  return hex;
}

ConversationService::ConversationService(store::Store& store, bot::Engine& engine, core::Clock& clock,
                                         core::Random& random, Metrics* metrics, const core::DataKey* data_key,
                                         reports::RoutingRules routing)
    : store_(store),
      engine_(engine),
      clock_(clock),
      random_(random),
      metrics_(metrics),
      data_key_(data_key),
      routing_(std::move(routing)) {}

core::Result<std::pair<std::string, std::string>> ConversationService::StoreReport(
    store::Database& db, const store::Conversation& conversation, const std::string& submission, int64_t now) {
  auto s = nlohmann::json::parse(submission, nullptr, false);
  if (!s.is_object()) return MakeError(ErrorCode::kInternal, "malformed report submission");
  store::Report r;
  r.conversation_id = conversation.id;
  r.channel = conversation.channel;
  r.lang = s.value("lang", conversation.lang);
  r.category = s.value("category", "other");
  std::string what;
  for (const auto& part : s.value("what", nlohmann::json::array())) {
    if (part.is_string()) what += (what.empty() ? "" : "\n") + part.get<std::string>();
  }
  r.description = what;
  if (s.contains("where") && s["where"].is_object()) {
    r.municipality = s["where"].value("id", "");
    r.region = s["where"].value("region", "");
  }
  r.address = s.value("address", "");
  r.responsible = s.value("who", "");
  r.started = s.value("when", "");
  r.ongoing = s.value("ongoing", "");
  r.others = s.contains("others") ? (s["others"].is_string() ? s["others"].get<std::string>() : s["others"].dump()) : "";
  r.evidence = s.value("evidence", nlohmann::json::array()).dump();
  std::string contact = s.value("contact", "");
  r.anonymous = s.value("contact_mode", "") != "contact" || contact.empty() || data_key_ == nullptr;
  if (!r.anonymous) {
    r.contact_enc = data_key_->Encrypt(contact);
    r.contact_lang = s.value("contact_lang", r.lang);
  }
  r.consent_ms = s.value("consent_ms", now);
  r.urgent = s.value("urgent", false);
  reports::Office office = routing_.Route(r.category, r.region);
  r.queue = office.id;
  r.created_ms = now;
  auto inserted = store::reports::Insert(db, r, "person:" + std::to_string(conversation.id));
  if (!inserted.ok()) return inserted.error();
  auto audit = store::audit::Append(db, now, "system", "report.received", r.ref, "queue=" + r.queue);
  if (!audit.ok()) return audit.error();
  return std::make_pair(r.ref, office.name);
}

std::mutex& ConversationService::StripeFor(const std::string& channel, const std::string& address) {
  size_t h = std::hash<std::string>{}(channel) * 31 + std::hash<std::string>{}(address);
  return stripes_[h % stripes_.size()];
}

core::Result<store::Conversation> ConversationService::WebChatConversation(const std::string& session) {
  if (!WellFormedToken(session)) return MakeError(ErrorCode::kUnauthenticated, "unknown session");
  store::Conversation found;
  std::string address = SessionAddress(session);
  auto r = store_.Read([&](store::Database& db) -> core::Result<void> {
    auto c = store::conversations::Find(db, kWebChat, address);
    if (!c.ok()) return c.error();
    found = std::move(*c);
    return {};
  });
  if (!r.ok()) {
    if (r.error().code == ErrorCode::kNotFound) return MakeError(ErrorCode::kUnauthenticated, "unknown session");
    return r.error();
  }
  return found;
}

core::Result<ChatTurn> ConversationService::WebChat(const std::string& session,
                                                     const core::InboundMessage& message) {
  auto valid = CheckMessage(message);
  if (!valid.ok()) return valid.error();
  ChatTurn turn;
  store::Conversation conversation;
  bool is_new = session.empty();
  if (is_new) {
    turn.session = random_.Token(kTokenBytes);
    conversation.channel = kWebChat;
    conversation.address = SessionAddress(turn.session);
    conversation.created_ms = clock_.NowMs();
  } else {
    turn.session = session;
  }
  std::string address = is_new ? conversation.address : SessionAddress(session);
  std::lock_guard<std::mutex> lock(StripeFor(kWebChat, address));
  if (!is_new) {
    auto found = WebChatConversation(session);
    if (!found.ok()) return found.error();
    conversation = std::move(*found);
  }
  core::InboundMessage inbound = message;
  inbound.channel = kWebChat;
  store::Conversation after;
  auto committed = RunTurn(std::move(conversation), is_new, inbound, false, turn.replies, after);
  if (!committed.ok()) return committed.error();
  turn.lang = after.lang;
  turn.mode = after.mode;
  turn.last_seq = committed->last_seq;
  return turn;
}

core::Result<std::vector<store::StoredMessage>> ConversationService::WebChatMessages(const std::string& session,
                                                                                     int64_t after_seq) {
  auto conversation = WebChatConversation(session);
  if (!conversation.ok()) return conversation.error();
  std::vector<store::StoredMessage> out;
  auto r = store_.Read([&](store::Database& db) -> core::Result<void> {
    auto list = store::messages::ListAfter(db, conversation->id, after_seq, 200);
    if (!list.ok()) return list.error();
    out = std::move(*list);
    return {};
  });
  if (!r.ok()) return r.error();
  return out;
}

core::Result<bool> ConversationService::HandleInbound(const core::InboundMessage& message) {
  auto valid = CheckMessage(message);
  if (!valid.ok()) return valid.error();
  std::lock_guard<std::mutex> lock(StripeFor(message.channel, message.sender_id));
  store::Conversation conversation;
  bool is_new = false;
  auto r = store_.Read([&](store::Database& db) -> core::Result<void> {
    auto c = store::conversations::Find(db, message.channel, message.sender_id);
    if (c.ok()) {
      conversation = std::move(*c);
      return {};
    }
    if (c.error().code != ErrorCode::kNotFound) return c.error();
    is_new = true;
    return {};
  });
  if (!r.ok()) return r.error();
  if (is_new) {
    conversation.channel = message.channel;
    conversation.address = message.sender_id;
    conversation.created_ms = clock_.NowMs();
  }
  std::vector<core::Reply> replies;
  store::Conversation after;
  auto committed = RunTurn(std::move(conversation), is_new, message, true, replies, after);
  if (!committed.ok()) return committed.error();
  return !committed->duplicate;
}

core::Result<void> ConversationService::CommitEffects(store::Database& db, const store::Conversation& conversation,
                                                      const bot::TurnResult& result, const std::string& channel,
                                                      int64_t now) {
  for (const auto& f : result.feedback) {
    auto r = store::learning::AddFeedback(db, now, f.article_id, f.lang, f.helpful);
    if (!r.ok()) return r;
  }
  for (const auto& u : result.unanswered) {
    auto r = store::learning::AddUnanswered(db, now, u.lang, u.text, u.confidence, nlohmann::json(u.suggestions).dump());
    if (!r.ok()) return r;
  }
  std::string region;
  auto profile = nlohmann::json::parse(conversation.profile, nullptr, false);
  if (profile.is_object()) region = profile.value("region", "");
  for (const auto& t : result.topics) {
    auto r = store::learning::CountTopic(db, knowledge_day_(now), channel, t.lang, t.article_id, region);
    if (!r.ok()) return r;
  }
  if (result.rating > 0) {
    auto s = store::Statement::Prepare(
        db, "UPDATE handoff SET rating = ?2 WHERE id = (SELECT MAX(id) FROM handoff WHERE conversation_id = ?1 AND status = 'closed')");
    if (!s.ok()) return s.error();
    s->Bind(1, conversation.id).Bind(2, result.rating);
    auto r = s->Run();
    if (!r.ok()) return r;
  }
  if (result.handoff) {
    auto r = store::handoffs::Open(db, conversation.id, result.handoff->reason, result.handoff->priority,
                                   profile.is_object() ? profile.value("desk", "") : "", conversation.lang, now);
    if (!r.ok()) return r;
  } else if (conversation.mode == "bot") {
    auto r = store::handoffs::Return(db, conversation.id, now);
    if (!r.ok()) return r;
  }
  return {};
}

core::Result<void> ConversationService::EraseConversation(store::Database& db, int64_t conversation_id, bool whole) {
  if (whole) return store::conversations::Delete(db, conversation_id);
  auto s = store::Statement::Prepare(db, "DELETE FROM message WHERE conversation_id = ?1");
  if (!s.ok()) return s.error();
  s->Bind(1, conversation_id);
  auto r = s->Run();
  if (!r.ok()) return r;
  auto c = store::Statement::Prepare(
      db, "UPDATE conversation SET profile = '{}', state = '{\"erased\":true}', lang = NULL WHERE id = ?1");
  if (!c.ok()) return c.error();
  c->Bind(1, conversation_id);
  return c->Run();
}

core::Result<ConversationService::Committed> ConversationService::RunTurn(
    store::Conversation conversation, bool is_new, const core::InboundMessage& message, bool push_channel,
    std::vector<core::Reply>& replies, store::Conversation& after) {
  int64_t now = clock_.NowMs();
  conversation.last_inbound_ms = now;
  conversation.updated_ms = now;
  // The engine runs outside the writer so slow turns never hold up other conversations' commits.
  bot::TurnResult result = engine_.Turn(conversation, message, now);
  Committed committed;
  auto written = store_.Write([&](store::Database& db) -> core::Result<void> {
    if (!message.message_id.empty()) {
      auto fresh = store::inbound_seen::MarkNew(db, message.channel, message.message_id, now);
      if (!fresh.ok()) return fresh.error();
      if (!*fresh) {
        committed.duplicate = true;
        return {};
      }
    }
    if (is_new) {
      auto created = store::conversations::Create(db, conversation);
      if (!created.ok()) return created.error();
    } else {
      auto updated = store::conversations::Update(db, conversation);
      if (!updated.ok()) return updated.error();
    }
    auto effects = CommitEffects(db, conversation, result, message.channel, now);
    if (!effects.ok()) return effects;
    if (result.handoff && queue_notice_) {
      for (auto& extra : queue_notice_(db, conversation, now)) result.replies.push_back(std::move(extra));
    }
    if (!result.submit_report.empty()) {
      auto stored = StoreReport(db, conversation, result.submit_report, now);
      if (!stored.ok()) return stored.error();
      for (auto& reply : result.replies) {
        for (auto [marker, value] : {std::pair<std::string, std::string>{bot::kReportRefMarker, stored->first},
                                     {bot::kReportOfficeMarker, stored->second}}) {
          for (size_t pos = reply.text.find(marker); pos != std::string::npos; pos = reply.text.find(marker)) {
            reply.text.replace(pos, marker.size(), value);
          }
        }
      }
    }
    if (result.erase_person) {
      auto stripped = store::reports::StripPersonal(db, conversation.id);
      if (!stripped.ok()) return stripped;
      // "Delete my data": the messages go now. A web chat needs nothing more (the reply travels in
      // the HTTP response and the session ends); a push channel keeps the bare address until the
      // goodbye is delivered.
      auto erased = EraseConversation(db, conversation.id, !push_channel);
      if (!erased.ok()) return erased;
      if (!push_channel) {
        committed.last_seq = 0;
        return {};
      }
    }
    store::StoredMessage in;
    in.conversation_id = conversation.id;
    in.direction = "in";
    in.sender = "person";
    in.text = message.text;
    in.payload = message.payload;
    in.provider_message_id = message.message_id;
    in.created_ms = now;
    auto appended = store::messages::Append(db, in);
    if (!appended.ok()) return appended.error();
    committed.last_seq = in.seq;
    for (const auto& reply : result.replies) {
      store::StoredMessage out;
      out.conversation_id = conversation.id;
      out.direction = "out";
      out.sender = "bot";
      out.text = reply.text;
      out.choices = reply.choices;
      out.created_ms = now;
      auto a = store::messages::Append(db, out);
      if (!a.ok()) return a.error();
      committed.last_seq = out.seq;
      if (push_channel) {
        store::OutboxItem item;
        item.conversation_id = conversation.id;
        item.message_id = out.id;
        item.channel = conversation.channel;
        auto q = store::outbox::Enqueue(db, item, now);
        if (!q.ok()) return q.error();
      }
    }
    return {};
  });
  if (!written.ok()) return written.error();
  if (!committed.duplicate) {
    if (queue_observer_ && (result.handoff || conversation.mode != "bot")) queue_observer_();
    replies = std::move(result.replies);
    after = std::move(conversation);
    if (metrics_ != nullptr) {
      std::string label = "channel=\"" + LabelValue(message.channel) + "\"";
      metrics_->Count("loket_messages_in_total", label);
      metrics_->Count("loket_messages_out_total", label, static_cast<int64_t>(replies.size()));
    }
  }
  return committed;
}

}  // namespace server
