// Staff-facing API: login, the handoff queue and conversations (with a live event stream), and the
// reports back office. Authentication: the session cookie (with X-CSRF-Token on changes) or an API
// bearer token.
#include <nlohmann/json.hpp>

#include "channels/channel.hpp"
#include "reports/report_service.hpp"
#include "server/app.hpp"

namespace server {

using nlohmann::json;

namespace {

constexpr const char* kCookie = "loket_session";

std::string CookieValue(const httplib::Request& req, const std::string& name) {
  std::string header = req.get_header_value("Cookie");
  size_t pos = 0;
  while (pos < header.size()) {
    size_t end = header.find(';', pos);
    if (end == std::string::npos) end = header.size();
    std::string part = header.substr(pos, end - pos);
    while (!part.empty() && part.front() == ' ') part.erase(part.begin());
    if (part.rfind(name + "=", 0) == 0) return part.substr(name.size() + 1);
    pos = end + 1;
  }
  return "";
}

json StaffJson(const handoff::Staff& s) {
  return {{"email", s.email}, {"name", s.name}, {"role", s.role}, {"queues", s.queues}, {"languages", s.languages}};
}

json Body(const httplib::Request& req, httplib::Response& res, bool& ok) {
  auto j = json::parse(req.body.empty() ? "{}" : req.body, nullptr, false);
  ok = !j.is_discarded() && j.is_object();
  if (!ok) WriteError(res, 400, "malformed_json", "the body must be a JSON object");
  return j;
}

std::string StringField(const json& j, const char* key) {
  return j.contains(key) && j[key].is_string() ? j[key].get<std::string>() : "";
}

json ReportJson(const store::Report& r) {
  return {{"ref", r.ref}, {"status", r.status}, {"category", r.category}, {"municipality", r.municipality},
          {"region", r.region}, {"queue", r.queue}, {"urgent", r.urgent}, {"anonymous", r.anonymous},
          {"lang", r.lang}, {"channel", r.channel}, {"created_ms", r.created_ms}, {"updated_ms", r.updated_ms}};
}

}  // namespace

core::Result<handoff::StaffService::Principal> App::Authorize(const httplib::Request& req, const std::string& permission) {
  std::string token;
  bool bearer = false;
  std::string auth = req.get_header_value("Authorization");
  if (auth.rfind("Bearer ", 0) == 0) {
    token = auth.substr(7);
    bearer = true;
  } else {
    token = CookieValue(req, kCookie);
  }
  auto principal = staff_->Authenticate(token);
  if (!principal.ok()) return principal.error();
  if (bearer != principal->api) return core::MakeError(core::ErrorCode::kUnauthenticated, "sign in first");
  if (!bearer && req.method != "GET" && req.method != "HEAD") {
    if (!channels::SecretsEqual(req.get_header_value("X-CSRF-Token"), principal->csrf)) {
      return core::MakeError(core::ErrorCode::kPermissionDenied, "missing or wrong X-CSRF-Token");
    }
  }
  if (!permission.empty() && !principal->staff.Can(permission)) {
    return core::MakeError(core::ErrorCode::kPermissionDenied, "your role does not allow this");
  }
  return principal;
}

void App::RegisterStaffRoutes() {
  http_->Post("/api/v1/staff/login", [this](const httplib::Request& req, httplib::Response& res) {
    bool ok = false;
    json body = Body(req, res, ok);
    if (!ok) return;
    auto session = staff_->Login(StringField(body, "email"), StringField(body, "password"));
    if (!session.ok()) return WriteError(res, session.error());
    res.set_header("Set-Cookie", std::string(kCookie) + "=" + session->token +
                                     "; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=43200");
    WriteJson(res, 200, json{{"staff", StaffJson(session->staff)}, {"csrf", session->csrf}}.dump());
  });
  http_->Post("/api/v1/staff/logout", [this](const httplib::Request& req, httplib::Response& res) {
    auto p = Authorize(req, "");
    if (!p.ok()) return WriteError(res, p.error());
    (void)staff_->Logout(CookieValue(req, kCookie));
    res.set_header("Set-Cookie", std::string(kCookie) + "=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0");
    WriteJson(res, 200, R"({"ok":true})");
  });
  http_->Get("/api/v1/staff/me", [this](const httplib::Request& req, httplib::Response& res) {
    auto p = Authorize(req, "");
    if (!p.ok()) return WriteError(res, p.error());
    WriteJson(res, 200, json{{"staff", StaffJson(p->staff)}, {"csrf", p->csrf}}.dump());
  });

  // Handoff.
  http_->Get("/api/v1/handoff/queue", [this](const httplib::Request& req, httplib::Response& res) {
    auto p = Authorize(req, "handoff");
    if (!p.ok()) return WriteError(res, p.error());
    auto items = handoff_->Queue(p->staff);
    if (!items.ok()) return WriteError(res, items.error());
    json list = json::array();
    for (const auto& q : *items) {
      list.push_back({{"conversation", q.conversation_id}, {"queue", q.queue}, {"lang", q.lang}, {"reason", q.reason},
                      {"priority", q.priority}, {"status", q.status}, {"channel", q.channel}, {"waited_s", q.waited_s},
                      {"assigned_to", q.assigned_name}, {"sla_breached", q.sla_breached}});
    }
    WriteJson(res, 200, json{{"items", list}}.dump());
  });
  http_->Get(R"(/api/v1/handoff/conversations/(\d+))", [this](const httplib::Request& req, httplib::Response& res) {
    auto p = Authorize(req, "handoff");
    if (!p.ok()) return WriteError(res, p.error());
    auto c = handoff_->Conversation(p->staff, std::stoll(req.matches[1]));
    if (!c.ok()) return WriteError(res, c.error());
    WriteJson(res, 200, c->dump(-1, ' ', false, json::error_handler_t::replace));
  });
  auto action = [this](const std::string& name) {
    return [this, name](const httplib::Request& req, httplib::Response& res) {
      auto p = Authorize(req, "handoff");
      if (!p.ok()) return WriteError(res, p.error());
      bool ok = false;
      json body = Body(req, res, ok);
      if (!ok) return;
      int64_t id = std::stoll(req.matches[1]);
      core::Result<void> r;
      if (name == "claim") r = handoff_->Claim(p->staff, id);
      else if (name == "messages") r = handoff_->Reply(p->staff, id, StringField(body, "text"));
      else if (name == "notes") r = handoff_->Note(p->staff, id, StringField(body, "text"));
      else if (name == "transfer") r = handoff_->Transfer(p->staff, id, StringField(body, "queue"),
                                                          body.value("agent", json(0)).is_number_integer() ? body["agent"].get<int64_t>() : 0);
      else if (name == "return") r = handoff_->Return(p->staff, id);
      else if (name == "close") r = handoff_->Close(p->staff, id);
      if (!r.ok()) return WriteError(res, r.error());
      if (name == "messages" || name == "return" || name == "close") sender_->Notify();
      WriteJson(res, 200, R"({"ok":true})");
    };
  };
  for (const char* name : {"claim", "messages", "notes", "transfer", "return", "close"}) {
    http_->Post(std::string(R"(/api/v1/handoff/conversations/(\d+)/)") + name, action(name));
  }
  http_->Get("/api/v1/handoff/events", [this](const httplib::Request& req, httplib::Response& res) {
    auto p = Authorize(req, "handoff");
    if (!p.ok()) return WriteError(res, p.error());
    res.set_header("Cache-Control", "no-cache");
    auto seen = std::make_shared<uint64_t>(events_.version());
    auto first = std::make_shared<bool>(true);
    res.set_chunked_content_provider("text/event-stream", [this, seen, first](size_t, httplib::DataSink& sink) {
      if (!*first) {
        auto ended = AwaitChange(*seen, sink);
        if (ended) return *ended;
      }
      *first = false;
      std::string event = "event: queue\ndata: {\"version\":" + std::to_string(*seen) + "}\n\n";
      return sink.write(event.data(), event.size());
    });
  });

  // Reports back office.
  http_->Get("/api/v1/reports", [this](const httplib::Request& req, httplib::Response& res) {
    auto p = Authorize(req, "reports");
    if (!p.ok()) return WriteError(res, p.error());
    store::ReportFilter f{req.get_param_value("status"), req.get_param_value("category"), req.get_param_value("region"), 0};
    if (req.has_param("since") && !req.get_param_value("since").empty()) {
      auto since = reports::ParseDate(req.get_param_value("since"));
      if (!since.ok()) return WriteError(res, since.error());
      f.since_ms = *since;
    }
    auto list = reports_->List(f, "staff:" + std::to_string(p->staff.id));
    if (!list.ok()) return WriteError(res, list.error());
    json out = json::array();
    for (const auto& r : *list) out.push_back(ReportJson(r));
    WriteJson(res, 200, json{{"reports", out}}.dump());
  });
  http_->Get("/api/v1/reports/export", [this](const httplib::Request& req, httplib::Response& res) {
    auto p = Authorize(req, "reports");
    if (!p.ok()) return WriteError(res, p.error());
    std::string format = req.has_param("format") ? req.get_param_value("format") : "json";
    auto out = reports_->Export({}, format, req.get_param_value("include_contact") == "true", "staff:" + std::to_string(p->staff.id));
    if (!out.ok()) return WriteError(res, out.error());
    res.status = 200;
    res.set_content(*out, format == "csv" ? "text/csv; charset=utf-8" : "application/json; charset=utf-8");
  });
  http_->Get(R"(/api/v1/reports/(MS-\d{4}-\d{6}))", [this](const httplib::Request& req, httplib::Response& res) {
    auto p = Authorize(req, "reports");
    if (!p.ok()) return WriteError(res, p.error());
    auto view = reports_->Show(req.matches[1], "staff:" + std::to_string(p->staff.id));
    if (!view.ok()) return WriteError(res, view.error());
    json j = ReportJson(view->report);
    j["description"] = view->report.description;
    j["address"] = view->report.address;
    j["responsible"] = view->report.responsible;
    j["started"] = view->report.started;
    j["ongoing"] = view->report.ongoing;
    j["others"] = view->report.others;
    j["evidence"] = json::parse(view->report.evidence, nullptr, false);
    j["contact"] = view->contact;
    j["contact_lang"] = view->report.contact_lang;
    json history = json::array();
    for (const auto& h : view->history) history.push_back({{"status", h.status}, {"note", h.note}, {"actor", h.actor}, {"ts_ms", h.ts_ms}});
    j["history"] = history;
    WriteJson(res, 200, j.dump(-1, ' ', false, json::error_handler_t::replace));
  });
  http_->Post(R"(/api/v1/reports/(MS-\d{4}-\d{6})/status)", [this](const httplib::Request& req, httplib::Response& res) {
    auto p = Authorize(req, "reports");
    if (!p.ok()) return WriteError(res, p.error());
    bool ok = false;
    json body = Body(req, res, ok);
    if (!ok) return;
    auto r = reports_->SetStatus(req.matches[1], StringField(body, "status"), StringField(body, "note"),
                                 "staff:" + std::to_string(p->staff.id));
    if (!r.ok()) return WriteError(res, r.error());
    sender_->Notify();
    events_.Bump();  // a web-chat reporter's live stream shows the update
    WriteJson(res, 200, R"({"ok":true})");
  });
}

}  // namespace server
