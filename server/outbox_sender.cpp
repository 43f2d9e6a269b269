#include "server/outbox_sender.hpp"

#include <cmath>
#include <nlohmann/json.hpp>
#include <random>

#include "core/log.hpp"
#include "store/conversations.hpp"
#include "store/messages.hpp"
#include "store/outbox.hpp"

namespace server {

namespace {
constexpr int kMaxAttempts = 12;           // about a day of retries with the backoff below
constexpr int64_t kMaxBackoffMs = 60 * 60 * 1000;
}  // namespace

int64_t OutboxSender::BackoffMs(int attempts, int64_t retry_after_ms, double jitter01) {
  double base = 1000.0 * std::pow(2.0, std::min(attempts, 20));
  int64_t backoff = static_cast<int64_t>(std::min(base, static_cast<double>(kMaxBackoffMs)) * (0.5 + jitter01 * 0.5));
  return std::max(backoff, retry_after_ms);
}

OutboxSender::OutboxSender(store::Store& store, std::vector<std::shared_ptr<const channels::Channel>> channels,
                           channels::HttpClient& http, core::Clock& clock, Metrics* metrics)
    : store_(store), http_(http), clock_(clock), metrics_(metrics) {
  for (auto& c : channels) channels_[c->Name()] = std::move(c);
}

OutboxSender::~OutboxSender() { Stop(); }

void OutboxSender::Start() {
  if (channels_.empty() || thread_.joinable()) return;
  thread_ = std::thread([this] { Loop(); });
}

void OutboxSender::Stop() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void OutboxSender::Notify() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    notified_ = true;
  }
  cv_.notify_all();
}

void OutboxSender::Loop() {
  while (true) {
    int attempted = RunOnce();
    std::unique_lock<std::mutex> lock(mu_);
    if (stopping_) return;
    if (attempted == 0) {
      cv_.wait_for(lock, std::chrono::milliseconds(200), [this] { return stopping_ || notified_; });
    }
    notified_ = false;
    if (stopping_) return;
  }
}

int OutboxSender::RunOnce() {
  std::lock_guard<std::mutex> running(run_mu_);
  int64_t now = clock_.NowMs();
  std::vector<store::OutboxItem> due;
  auto r = store_.Read([&](store::Database& db) -> core::Result<void> {
    auto d = store::outbox::Due(db, now, 64);
    if (!d.ok()) return d.error();
    due = std::move(*d);
    return {};
  });
  if (!r.ok()) {
    core::LogWarn("outbox_read_failed", {{"error", r.error().message}});
    return 0;
  }
  static thread_local std::mt19937_64 rng{std::random_device{}()};
  std::uniform_real_distribution<double> jitter(0.0, 1.0);
  int attempted = 0;
  for (const auto& item : due) {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (stopping_) break;
    }
    store::Conversation conversation;
    core::Reply reply;
    bool erased = false;
    auto loaded = store_.Read([&](store::Database& db) -> core::Result<void> {
      auto c = store::conversations::Get(db, item.conversation_id);
      if (!c.ok()) return c.error();
      conversation = *c;
      auto s = store::Statement::Prepare(db, "SELECT text, COALESCE(choices,'') FROM message WHERE id = ?1");
      if (!s.ok()) return s.error();
      s->Bind(1, item.message_id);
      auto row = s->Step();
      if (!row.ok()) return row.error();
      if (!*row) return core::MakeError(core::ErrorCode::kNotFound, "message gone");
      reply.text = s->Text(0);
      auto choices = nlohmann::json::parse(s->Text(1), nullptr, false);
      if (choices.is_array()) {
        for (const auto& ch : choices) reply.choices.push_back({ch.value("id", ""), ch.value("label", "")});
      }
      erased = conversation.state.find("\"erased\":true") != std::string::npos;
      return {};
    });
    if (!loaded.ok()) continue;
    auto channel = channels_.find(item.channel);
    ++attempted;
    channels::SendResult result;
    if (channel == channels_.end()) {
      result = {channels::SendResult::Kind::kPermanent, "channel " + item.channel + " is not enabled", 0};
    } else {
      result = channel->second->Send(http_, conversation.address, reply);
    }
    int64_t done = clock_.NowMs();
    std::string outcome = result.kind == channels::SendResult::Kind::kSent    ? "sent"
                          : result.kind == channels::SendResult::Kind::kRetry ? "retry"
                                                                              : "failed";
    if (result.kind == channels::SendResult::Kind::kRetry && item.attempts + 1 >= kMaxAttempts) outcome = "failed";
    auto written = store_.Write([&](store::Database& db) -> core::Result<void> {
      if (outcome == "sent") {
        auto s = store::outbox::MarkSent(db, item.id, done);
        if (!s.ok()) return s;
        // "Delete my data" on a push channel: the goodbye is out, now the address goes too.
        if (erased) {
          auto pending = store::QueryInt(db, "SELECT COUNT(*) FROM outbox WHERE status = 'pending' AND conversation_id = " +
                                                 std::to_string(item.conversation_id));
          if (pending.ok() && *pending == 0) return store::conversations::Delete(db, item.conversation_id);
        }
        return {};
      }
      if (outcome == "retry") {
        return store::outbox::MarkRetry(db, item.id, done + BackoffMs(item.attempts, result.retry_after_ms, jitter(rng)),
                                        result.error);
      }
      auto f = store::outbox::MarkFailed(db, item.id, result.error);
      if (!f.ok()) return f;
      return store::audit::Append(db, done, "system", "outbox.failed", "conversation:" + std::to_string(item.conversation_id),
                                  result.error);
    });
    if (!written.ok()) core::LogWarn("outbox_write_failed", {{"error", written.error().message}});
    if (outcome == "failed") {
      core::LogWarn("outbox_failed", {{"channel", item.channel}, {"conversation", item.conversation_id}, {"error", result.error}});
    }
    if (metrics_ != nullptr) {
      metrics_->Count("loket_outbox_attempts_total",
                      "channel=\"" + LabelValue(item.channel) + "\",result=\"" + outcome + "\"");
    }
  }
  return attempted;
}

}  // namespace server
