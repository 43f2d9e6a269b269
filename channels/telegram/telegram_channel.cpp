#include "channels/telegram/telegram_channel.hpp"

#include <nlohmann/json.hpp>

namespace channels {

using nlohmann::json;

core::Result<void> TelegramChannel::Verify(const WebhookRequest& request) const {
  std::string given = request.Header("x-telegram-bot-api-secret-token");
  if (given.empty()) return core::MakeError(core::ErrorCode::kUnauthenticated, "missing secret token");
  if (!SecretsEqual(given, config_.secret)) return core::MakeError(core::ErrorCode::kPermissionDenied, "wrong secret token");
  return {};
}

core::Result<ParseResult> TelegramChannel::Parse(const WebhookRequest& request) const {
  auto u = json::parse(request.body, nullptr, false);
  if (u.is_discarded() || !u.is_object() || !u.contains("update_id") || !u["update_id"].is_number_integer()) {
    return core::MakeError(core::ErrorCode::kInvalidArgument, "not a Telegram update");
  }
  ParseResult out;
  std::string update_id = std::to_string(u["update_id"].get<int64_t>());
  auto from_of = [](const json& from, core::InboundMessage& m) {
    if (from.is_object()) m.language_hint = from.value("language_code", "").substr(0, 2);
  };
  if (u.contains("message") && u["message"].is_object()) {
    const json& msg = u["message"];
    if (!msg.contains("chat") || !msg["chat"].is_object() || !msg["chat"].contains("id")) {
      return core::MakeError(core::ErrorCode::kInvalidArgument, "a message without chat id");
    }
    core::InboundMessage m;
    m.channel = "telegram";
    m.sender_id = msg["chat"]["id"].dump();
    m.message_id = update_id;
    from_of(msg.value("from", json()), m);
    m.text = msg.value("text", msg.value("caption", ""));
    for (const char* kind : {"document", "video", "voice", "audio"}) {
      if (msg.contains(kind) && msg[kind].is_object()) m.media.push_back(std::string("telegram-file:") + msg[kind].value("file_id", ""));
    }
    if (msg.contains("photo") && msg["photo"].is_array() && !msg["photo"].empty()) {
      m.media.push_back("telegram-file:" + msg["photo"].back().value("file_id", ""));
    }
    if (msg.contains("location") && msg["location"].is_object()) {
      m.media.push_back("telegram-location:" + msg["location"].value("latitude", json(0)).dump() + "," +
                        msg["location"].value("longitude", json(0)).dump());
      if (m.text.empty()) m.text = "location";
    }
    if (m.text.empty() && !m.media.empty()) m.text = "[file]";
    if (!m.text.empty()) out.messages.push_back(std::move(m));
  } else if (u.contains("callback_query") && u["callback_query"].is_object()) {
    const json& q = u["callback_query"];
    core::InboundMessage m;
    m.channel = "telegram";
    m.message_id = update_id;
    m.payload = q.value("data", "");
    m.text = m.payload;
    from_of(q.value("from", json()), m);
    if (q.contains("message") && q["message"].is_object() && q["message"].contains("chat")) {
      m.sender_id = q["message"]["chat"].value("id", json(0)).dump();
    } else if (q.contains("from") && q["from"].is_object()) {
      m.sender_id = q["from"].value("id", json(0)).dump();
    }
    if (m.sender_id.empty() || m.sender_id == "0") return core::MakeError(core::ErrorCode::kInvalidArgument, "callback without chat");
    out.messages.push_back(std::move(m));
  } else if (u.contains("my_chat_member") && u["my_chat_member"].is_object()) {
    const json& cm = u["my_chat_member"];
    if (cm.contains("new_chat_member") && cm["new_chat_member"].is_object() &&
        cm["new_chat_member"].value("status", "") == "kicked") {
      out.statuses.push_back({update_id, "blocked", ""});
    }
  }
  return out;
}

std::vector<std::string> TelegramChannel::RenderTo(const std::string& chat_id, const core::Reply& reply) const {
  std::vector<std::string> bodies;
  auto parts = SplitText(reply.text.empty() ? std::string("…") : reply.text, 4096);
  for (size_t i = 0; i < parts.size(); ++i) {
    json b = {{"text", parts[i]}};
    // Chat ids are integers up to 52 bits; keep them numeric.
    auto id = json::parse(chat_id, nullptr, false);
    b["chat_id"] = id.is_number_integer() ? id : json(chat_id);
    if (i + 1 == parts.size() && !reply.choices.empty()) {
      json keyboard = json::array();
      for (const auto& c : reply.choices) {
        if (c.id.size() > 64) continue;  // callback_data is limited to 64 bytes
        keyboard.push_back(json::array({{{"text", c.label}, {"callback_data", c.id}}}));
      }
      b["reply_markup"] = {{"inline_keyboard", keyboard}};
    }
    bodies.push_back(b.dump());
  }
  return bodies;
}

std::vector<std::string> TelegramChannel::Render(const core::Reply& reply) const { return RenderTo("0", reply); }

SendResult TelegramChannel::Send(HttpClient& http, const std::string& address, const core::Reply& reply) const {
  std::string url = config_.api_base + "/bot" + config_.token + "/sendMessage";
  for (const auto& body : RenderTo(address, reply)) {
    auto r = http.Post(url, {}, body, "application/json");
    if (!r.ok()) return {SendResult::Kind::kRetry, r.error().message, 0};
    SendResult result = ClassifyHttp(*r);
    if (result.kind == SendResult::Kind::kSent) continue;
    auto err = json::parse(r->body, nullptr, false);
    if (err.is_object()) {
      result.error += " " + err.value("description", "");
      if (err.contains("parameters") && err["parameters"].is_object() && err["parameters"].contains("retry_after")) {
        result.retry_after_ms = err["parameters"].value("retry_after", 0) * 1000;
      }
    }
    return result;
  }
  return {};
}

}  // namespace channels
