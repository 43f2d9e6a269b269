#pragma once

#include <atomic>
#include <map>
#include <optional>
#include <functional>
#include <memory>
#include <string>

#include "bot/engine.hpp"
#include "channels/channel.hpp"
#include "core/clock.hpp"
#include "core/config.hpp"
#include "core/random.hpp"
#include "knowledge/service.hpp"
#include "server/conversation_service.hpp"
#include "server/http.hpp"
#include "server/metrics.hpp"
#include "server/event_hub.hpp"
#include "server/outbox_sender.hpp"
#include "handoff/handoff_service.hpp"
#include "handoff/staff.hpp"
#include "reports/report_service.hpp"
#include "store/store.hpp"

namespace server {

// What the App needs from outside; tests substitute their own.
struct AppDeps {
  core::Clock* clock = nullptr;     // defaults to the system clock
  core::Random* random = nullptr;   // defaults to libsodium
  bot::Engine* engine = nullptr;    // defaults to the real engine
  channels::HttpClient* http = nullptr;  // outbound provider calls; defaults to cpp-httplib
};

// Loket's HTTP server wired together: store, engine, conversation service and routes. Create, then
// Start() to bind, Serve() to run until Shutdown() (from any thread, e.g. a signal handler thread).
class App {
 public:
  static core::Result<std::unique_ptr<App>> Create(const core::Config& config, AppDeps deps = {});
  ~App();

  // Binds the configured address; returns the port actually bound.
  core::Result<int> Start();
  // Serves until Shutdown(); in-flight requests finish, then the writer is flushed.
  void Serve();
  // Stops accepting; Serve() returns after draining. Thread-safe, idempotent.
  void Shutdown();

  store::Store& store() { return *store_; }
  knowledge::KnowledgeService& knowledge() { return *knowledge_; }
  OutboxSender* sender() { return sender_.get(); }
  handoff::StaffService& staff() { return *staff_; }
  handoff::HandoffService& handoff() { return *handoff_; }
  Metrics& metrics() { return metrics_; }

 private:
  explicit App(const core::Config& config);
  void RegisterRoutes();
  void RegisterChatRoutes();
  void RegisterChatStream();
  // For event streams: waits up to 15 s for a change. Returns nullopt when something changed
  // (`seen` updated), else what the content provider should return (stream ended, or a keep-alive
  // comment written).
  std::optional<bool> AwaitChange(uint64_t& seen, httplib::DataSink& sink);
  void RegisterWebhookRoutes();
  void RegisterStaticRoutes();
  void RegisterStaffRoutes();
  // The person's place in the staff queue and, outside office hours, when staff are back.
  std::vector<core::Reply> QueueNotice(store::Database& db, const store::Conversation& conversation, int64_t now);
  void RegisterKbRoutes();
  // The published documents with the drafts laid over them.
  core::Result<std::map<std::string, std::string>> DraftState();
  // The signed-in staff member for a request, checking CSRF on changes and the permission.
  core::Result<handoff::StaffService::Principal> Authorize(const httplib::Request& req, const std::string& permission);

  core::Config config_;
  Metrics metrics_;
  std::unique_ptr<core::Clock> own_clock_;
  std::unique_ptr<core::Random> own_random_;
  std::unique_ptr<bot::Engine> own_engine_;
  core::Clock* clock_ = nullptr;
  core::Random* random_ = nullptr;
  bot::Engine* engine_ = nullptr;
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<knowledge::KnowledgeService> knowledge_;
  std::unique_ptr<ConversationService> conversations_;
  std::unique_ptr<core::DataKey> data_key_;
  std::unique_ptr<HttpServer> http_;
  std::vector<std::shared_ptr<const channels::Channel>> channels_;
  std::unique_ptr<channels::HttpClient> own_http_client_;
  std::unique_ptr<OutboxSender> sender_;
  std::shared_ptr<const locales::Localizer> localizer_;
  std::unique_ptr<handoff::StaffService> staff_;
  std::unique_ptr<handoff::HandoffService> handoff_;
  std::unique_ptr<reports::ReportService> reports_;
  EventHub events_;
  std::thread assigner_;
  std::atomic<bool> stopping_{false};
  std::atomic<bool> knowledge_ready_{false};
};

}  // namespace server
