#include "server/app.hpp"

#include <nlohmann/json.hpp>

#include "bot/conversation_engine.hpp"
#include "channels/http_client.hpp"
#include "channels/registry.hpp"
#include <ctime>

#include "core/log.hpp"
#include "handoff/office_hours.hpp"
#include "store/outbox.hpp"

namespace server {

using nlohmann::json;

App::App(const core::Config& config) : config_(config) {}

App::~App() {
  Shutdown();
  if (store_) store_->Stop();
}

core::Result<std::unique_ptr<App>> App::Create(const core::Config& config, AppDeps deps) {
  std::unique_ptr<App> app(new App(config));
  if (deps.clock == nullptr) {
    app->own_clock_ = std::make_unique<core::SystemClock>();
    deps.clock = app->own_clock_.get();
  }
  if (deps.random == nullptr) {
    app->own_random_ = std::make_unique<core::SodiumRandom>();
    deps.random = app->own_random_.get();
  }
  app->clock_ = deps.clock;
  app->random_ = deps.random;

  store::StoreOptions options;
  options.max_batch = config.writer_max_batch;
  auto store = store::Store::Open(config.db_path, options);
  if (!store.ok()) return store.error();
  app->store_ = std::move(*store);
  app->knowledge_ = std::make_unique<knowledge::KnowledgeService>(*app->store_, *app->clock_);
  auto loaded = app->knowledge_->Start(config.content_dir);
  if (!loaded.ok()) return core::MakeError(loaded.error().code, "knowledge base: " + loaded.error().message);
  app->knowledge_ready_ = true;
  auto localizer = locales::Localizer::Load();
  if (!localizer.ok()) return core::MakeError(localizer.error().code, "catalogs: " + localizer.error().message);
  app->localizer_ = *localizer;
  if (deps.engine == nullptr) {
    app->own_engine_ = std::make_unique<bot::ConversationEngine>(*app->knowledge_, app->localizer_);
    deps.engine = app->own_engine_.get();
  }
  app->engine_ = deps.engine;
  app->metrics_.DescribeHistogram("loket_writer_batch_size", "Jobs committed per database transaction.",
                                  {1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024});
  app->store_->SetBatchObserver(
      [m = &app->metrics_](size_t n) { m->Observe("loket_writer_batch_size", "", static_cast<double>(n)); });
  app->metrics_.Gauge("loket_writer_queue_depth", "Writes waiting for the database writer.",
                      [s = app->store_.get()] { return static_cast<double>(s->queue_depth()); });
  app->metrics_.DescribeCounter("loket_messages_in_total", "Messages received from people, by channel.");
  app->metrics_.DescribeCounter("loket_messages_out_total", "Messages sent to people, by channel.");
  // Reports are always on: a reporter's contact details need the data key.
  auto key = core::DataKey::Load(config.data_key, config.data_key_file);
  if (!key.ok()) return key.error();
  app->data_key_ = std::make_unique<core::DataKey>(std::move(*key));
  reports::RoutingRules routing = reports::RoutingRules::Defaults();
  if (!config.report_routing_file.empty()) {
    auto loaded_rules = reports::RoutingRules::LoadFile(config.report_routing_file);
    if (!loaded_rules.ok()) return loaded_rules.error();
    routing = std::move(*loaded_rules);
  }
  app->conversations_ = std::make_unique<ConversationService>(*app->store_, *app->engine_, *app->clock_, *app->random_,
                                                              &app->metrics_, app->data_key_.get(), std::move(routing));
  app->conversations_->SetQueueObserver([a = app.get()] { a->events_.Bump(); });
  app->conversations_->SetQueueNotice([a = app.get()](store::Database& db, const store::Conversation& c, int64_t now) {
    return a->QueueNotice(db, c, now);
  });
  app->staff_ = std::make_unique<handoff::StaffService>(*app->store_, *app->clock_, *app->random_);
  app->handoff_ = std::make_unique<handoff::HandoffService>(*app->store_, app->localizer_, *app->clock_,
                                                            handoff::SlaPolicy{}, [a = app.get()] { a->events_.Bump(); });
  app->reports_ = std::make_unique<reports::ReportService>(*app->store_, app->data_key_.get(), app->localizer_, *app->clock_);
  app->metrics_.Gauge("loket_handoff_sla_breaches", "Conversations waiting for staff longer than their SLA.",
                      [h = app->handoff_.get()] {
                        auto n = h->BreachCount();
                        return n.ok() ? static_cast<double>(*n) : 0.0;
                      });
  app->http_ = std::make_unique<HttpServer>(config, app->metrics_);
  app->channels_ = channels::EnabledChannels(config);
  if (deps.http == nullptr) {
    app->own_http_client_ = std::make_unique<channels::HttplibClient>();
    deps.http = app->own_http_client_.get();
  }
  app->sender_ = std::make_unique<OutboxSender>(*app->store_, app->channels_, *deps.http, *app->clock_, &app->metrics_);
  app->metrics_.DescribeCounter("loket_outbox_attempts_total", "Deliveries to providers by channel and result.");
  app->metrics_.Gauge("loket_outbox_pending", "Replies waiting to be delivered to a provider.", [s = app->store_.get()] {
    int64_t n = 0;
    (void)s->Read([&](store::Database& db) -> core::Result<void> {
      auto c = store::outbox::CountPending(db);
      if (c.ok()) n = *c;
      return {};
    });
    return static_cast<double>(n);
  });
  app->RegisterRoutes();
  for (const auto& channel : config.disabled_channels) {
    core::LogInfo("channel_disabled", {{"channel", channel}, {"reason", "no credentials configured"}});
  }
  return app;
}

core::Result<int> App::Start() {
  auto port = http_->Bind(config_.listen_host, config_.listen_port);
  if (!port.ok()) return port.error();
  core::LogInfo("listening", {{"host", config_.listen_host}, {"port", *port}, {"db", config_.db_path},
                              {"schema_version", store_->schema_version()},
                              {"kb_version", knowledge_->Current()->version}});
  return port;
}

void App::Serve() {
  sender_->Start();
  // Auto-assignment runs on its own clock, so a waiting person is picked up without a staff click.
  assigner_ = std::thread([this] {
    while (!stopping_) {
      (void)handoff_->AutoAssign();
      events_.Wait(events_.version(), std::chrono::seconds(2));
    }
  });
  http_->Listen();
  stopping_ = true;
  events_.Close();
  if (assigner_.joinable()) assigner_.join();
  sender_->Stop();
  store_->Stop();
  core::LogInfo("stopped", json::object());
}

void App::Shutdown() {
  stopping_ = true;
  events_.Close();  // ends open event streams so the server can drain
  if (http_) http_->Stop();
}

std::vector<core::Reply> App::QueueNotice(store::Database& db, const store::Conversation& conversation, int64_t now) {
  std::vector<core::Reply> out;
  std::string lang = conversation.lang.empty() ? "en" : conversation.lang;
  auto s = store::Statement::Prepare(
      db,
      "SELECT h.queue, (SELECT COUNT(*) FROM handoff o WHERE o.status = 'waiting' AND o.queue = h.queue AND "
      "(o.priority = 'urgent' AND h.priority <> 'urgent' OR o.priority = h.priority AND o.queued_ms <= h.queued_ms)) "
      "FROM handoff h WHERE h.conversation_id = ?1 AND h.status = 'waiting' ORDER BY h.id DESC LIMIT 1");
  if (!s.ok()) return out;
  s->Bind(1, conversation.id);
  auto row = s->Step();
  if (!row.ok() || !*row) return out;
  std::string queue = s->Text(0);
  int64_t position = s->Int(1);
  out.push_back({localizer_->Format(lang, "human.position", {{"position", position}}), {}});
  // Outside the desk's opening hours (Dutch public holidays included), say when staff are back.
  auto snapshot = knowledge_->Current();
  const auto& desks = snapshot->kb.desks;
  if (desks.is_object() && desks.contains("desks")) {
    for (const auto& d : desks["desks"]) {
      if (d.value("id", "") != queue || !d.contains("opening_hours")) continue;
      if (handoff::IsOpen(d["opening_hours"], now)) break;
      int64_t next = handoff::NextOpening(d["opening_hours"], now);
      if (next == 0) break;
      int64_t local = next + static_cast<int64_t>(handoff::AmsterdamOffsetMinutes(next)) * 60000;
      std::time_t t = static_cast<std::time_t>(local / 1000);
      std::tm tm{};
      gmtime_r(&t, &tm);
      static const char* kDays[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};
      char hhmm[8];
      std::snprintf(hhmm, sizeof hhmm, "%02d:%02d", tm.tm_hour, tm.tm_min);
      std::string when = localizer_->Format(lang, std::string("weekday.") + kDays[tm.tm_wday]) + " " + hhmm;
      out.push_back({localizer_->Format(lang, "human.closed", {{"when", when}}), {}});
      break;
    }
  }
  return out;
}

void App::RegisterRoutes() {
  http_->Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    WriteJson(res, 200, R"({"status":"ok"})");
  });
  http_->Get("/readyz", [this](const httplib::Request&, httplib::Response& res) {
    json checks = json::object();
    bool ok = true;
    auto writable = store_->CheckWritable();
    checks["database"] = writable.ok() ? "ok" : writable.error().message;
    ok = ok && writable.ok();
    checks["knowledge"] = knowledge_ready_ ? "ok" : "not loaded";
    ok = ok && knowledge_ready_;
    WriteJson(res, ok ? 200 : 503, json{{"status", ok ? "ok" : "unavailable"}, {"checks", checks}}.dump());
  });
  http_->Get("/metrics", [this](const httplib::Request&, httplib::Response& res) {
    res.status = 200;
    res.set_content(metrics_.Render(), "text/plain; version=0.0.4; charset=utf-8");
  });
  RegisterChatRoutes();
  RegisterChatStream();
  RegisterWebhookRoutes();
  RegisterStaticRoutes();
  RegisterStaffRoutes();
  RegisterKbRoutes();
}

}  // namespace server
