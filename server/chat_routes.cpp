// The people-facing chat API (POST /api/v1/chat, GET /api/v1/chat/messages): decode, call the
// ConversationService, encode.
#include <nlohmann/json.hpp>

#include "core/locales.hpp"
#include "server/app.hpp"

namespace server {

using nlohmann::json;

namespace {

constexpr const char* kSessionHeader = "X-Loket-Session";

json RepliesJson(const std::vector<core::Reply>& replies) {
  json out = json::array();
  for (const auto& r : replies) {
    json choices = json::array();
    for (const auto& c : r.choices) choices.push_back({{"id", c.id}, {"label", c.label}});
    out.push_back({{"text", r.text}, {"choices", choices}});
  }
  return out;
}

// Reads an optional string field; a present field of another type is an error.
core::Result<std::string> OptionalString(const json& body, const char* key) {
  auto it = body.find(key);
  if (it == body.end() || it->is_null()) return std::string();
  if (!it->is_string()) {
    return core::MakeError(core::ErrorCode::kInvalidArgument, std::string("\"") + key + "\" must be a string");
  }
  return it->get<std::string>();
}

}  // namespace

void App::RegisterChatRoutes() {
  http_->Post("/api/v1/chat", [this](const httplib::Request& req, httplib::Response& res) {
    json body = json::parse(req.body, nullptr, false);
    if (body.is_discarded()) return WriteError(res, 400, "malformed_json", "the body is not valid JSON");
    if (!body.is_object()) return WriteError(res, 400, "invalid_argument", "the body must be a JSON object");
    auto text = OptionalString(body, "text");
    auto choice = OptionalString(body, "choice");
    auto lang = OptionalString(body, "lang");
    for (const auto* r : {&text, &choice, &lang}) {
      if (!r->ok()) return WriteError(res, r->error());
    }
    if (!lang->empty() && !core::IsLocale(*lang)) {
      return WriteError(res, 400, "invalid_argument", "unsupported \"lang\": " + *lang);
    }
    core::InboundMessage message;
    message.text = *text;
    message.payload = *choice;
    message.lang = *lang;
    std::string session = req.get_header_value(kSessionHeader);
    if (req.has_header(kSessionHeader) && session.empty()) {
      return WriteError(res, 401, "unauthenticated", "unknown session");
    }
    auto turn = conversations_->WebChat(session, message);
    if (!turn.ok()) return WriteError(res, turn.error());
    json out = {{"session", turn->session},
                {"lang", turn->lang},
                {"mode", turn->mode},
                {"seq", turn->last_seq},
                {"replies", RepliesJson(turn->replies)}};
    WriteJson(res, 200, out.dump(-1, ' ', false, json::error_handler_t::replace));
  });

  http_->Get("/api/v1/chat/messages", [this](const httplib::Request& req, httplib::Response& res) {
    int64_t after = 0;
    if (req.has_param("after")) {
      const std::string raw = req.get_param_value("after");
      size_t used = 0;
      try {
        after = std::stoll(raw, &used);
      } catch (...) {
        used = 0;
      }
      if (raw.empty() || used != raw.size() || after < 0) {
        return WriteError(res, 400, "invalid_argument", "\"after\" must be a non-negative integer");
      }
    }
    auto list = conversations_->WebChatMessages(req.get_header_value(kSessionHeader), after);
    if (!list.ok()) return WriteError(res, list.error());
    json messages = json::array();
    for (const auto& m : *list) {
      if (m.direction != "out") continue;
      json choices = json::array();
      for (const auto& c : m.choices) choices.push_back({{"id", c.id}, {"label", c.label}});
      messages.push_back({{"seq", m.seq}, {"from", m.sender}, {"text", m.text}, {"choices", choices}});
    }
    int64_t last = list->empty() ? after : list->back().seq;
    WriteJson(res, 200, json{{"messages", messages}, {"seq", last}}.dump(-1, ' ', false, json::error_handler_t::replace));
  });
}

std::optional<bool> App::AwaitChange(uint64_t& seen, httplib::DataSink& sink) {
  uint64_t now = events_.Wait(seen, std::chrono::seconds(15));
  if (events_.closed()) {
    sink.done();
    return true;
  }
  if (now == seen) {
    std::string ping = ": keep-alive\n\n";
    return sink.write(ping.data(), ping.size());
  }
  seen = now;
  return std::nullopt;
}

void App::RegisterChatStream() {
  // Later messages (staff replies, report updates) as Server-Sent Events. Browsers' EventSource
  // cannot send headers, so the session may also come as ?session=.
  http_->Get("/api/v1/chat/stream", [this](const httplib::Request& req, httplib::Response& res) {
    std::string session = req.has_header(kSessionHeader) ? req.get_header_value(kSessionHeader) : req.get_param_value("session");
    auto conversation = conversations_->WebChatConversation(session);
    if (!conversation.ok()) return WriteError(res, conversation.error());
    int64_t after = 0;
    if (req.has_param("after")) {
      try {
        after = std::stoll(req.get_param_value("after"));
      } catch (...) {
        return WriteError(res, 400, "invalid_argument", "\"after\" must be a non-negative integer");
      }
    }
    res.set_header("Cache-Control", "no-cache");
    res.set_header("Access-Control-Allow-Origin", "*");
    auto last = std::make_shared<int64_t>(after);
    auto seen = std::make_shared<uint64_t>(events_.version());
    res.set_chunked_content_provider("text/event-stream", [this, session, last, seen](size_t, httplib::DataSink& sink) {
      auto list = conversations_->WebChatMessages(session, *last);
      if (!list.ok()) {
        sink.done();
        return true;
      }
      std::string out;
      for (const auto& m : *list) {
        *last = m.seq;
        if (m.direction != "out") continue;
        json choices = json::array();
        for (const auto& c : m.choices) choices.push_back({{"id", c.id}, {"label", c.label}});
        out += "id: " + std::to_string(m.seq) + "\nevent: message\ndata: " +
               json{{"seq", m.seq}, {"from", m.sender}, {"text", m.text}, {"choices", choices}}.dump(-1, ' ', false, json::error_handler_t::replace) +
               "\n\n";
      }
      if (!out.empty()) return sink.write(out.data(), out.size());
      auto ended = AwaitChange(*seen, sink);
      return ended ? *ended : true;
    });
  });
}

}  // namespace server
