#include "channels/whatsapp/whatsapp_channel.hpp"

#include <nlohmann/json.hpp>

namespace channels {

using nlohmann::json;

namespace {

constexpr size_t kTextLimit = 4096;
constexpr size_t kInteractiveBodyLimit = 1024;
constexpr size_t kButtonTitleLimit = 20;
constexpr size_t kRowTitleLimit = 24;
constexpr size_t kRowDescriptionLimit = 72;

size_t Chars(const std::string& s) {
  size_t n = 0;
  for (unsigned char c : s) n += (c & 0xC0) != 0x80;
  return n;
}

std::string Cut(const std::string& s, size_t max_chars) {
  if (Chars(s) <= max_chars) return s;
  size_t n = 0, i = 0;
  for (; i < s.size(); ++i) {
    if ((static_cast<unsigned char>(s[i]) & 0xC0) != 0x80) {
      if (n == max_chars - 1) break;
      ++n;
    }
  }
  return s.substr(0, i) + "…";
}

// \uXXXX-escapes non-ASCII UTF-16 units in lower-case hex, as Meta describes the signed payload.
std::string EscapeNonAscii(const std::string& body) {
  auto j = json::parse(body, nullptr, false);
  if (j.is_discarded()) return body;
  std::string ascii = j.dump(-1, ' ', true);
  for (size_t i = 0; i + 5 < ascii.size(); ++i) {
    if (ascii[i] == '\\' && ascii[i + 1] == 'u') {
      for (size_t k = i + 2; k < i + 6; ++k) ascii[k] = static_cast<char>(std::tolower(static_cast<unsigned char>(ascii[k])));
    }
  }
  return ascii;
}

}  // namespace

core::Result<void> WhatsAppChannel::Verify(const WebhookRequest& request) const {
  std::string header = request.Header("x-hub-signature-256");
  if (header.empty()) return core::MakeError(core::ErrorCode::kUnauthenticated, "missing X-Hub-Signature-256");
  if (header.rfind("sha256=", 0) != 0) return core::MakeError(core::ErrorCode::kPermissionDenied, "malformed signature");
  std::string given = header.substr(7);
  if (SecretsEqual(Hex(Hmac("sha256", config_.app_secret, request.body)), given)) return {};
  bool non_ascii = std::any_of(request.body.begin(), request.body.end(), [](char c) { return (c & 0x80) != 0; });
  if (non_ascii && SecretsEqual(Hex(Hmac("sha256", config_.app_secret, EscapeNonAscii(request.body))), given)) return {};
  return core::MakeError(core::ErrorCode::kPermissionDenied, "signature does not match");
}

core::Result<std::string> WhatsAppChannel::Handshake(const WebhookRequest& request) const {
  auto get = [&](const char* key) {
    auto it = request.params.find(key);
    return it == request.params.end() ? std::string() : it->second;
  };
  if (get("hub.mode") == "subscribe" && SecretsEqual(get("hub.verify_token"), config_.verify_token)) {
    return get("hub.challenge");
  }
  return core::MakeError(core::ErrorCode::kPermissionDenied, "verification token does not match");
}

core::Result<ParseResult> WhatsAppChannel::Parse(const WebhookRequest& request) const {
  auto root = json::parse(request.body, nullptr, false);
  if (root.is_discarded() || !root.is_object() || !root.contains("entry") || !root["entry"].is_array()) {
    return core::MakeError(core::ErrorCode::kInvalidArgument, "not a WhatsApp webhook payload");
  }
  ParseResult out;
  for (const auto& entry : root["entry"]) {
    if (!entry.is_object() || !entry.contains("changes") || !entry["changes"].is_array()) continue;
    for (const auto& change : entry["changes"]) {
      if (!change.is_object() || change.value("field", "") != "messages" || !change.contains("value")) continue;
      const json& value = change["value"];
      if (!value.is_object()) continue;
      for (const auto& s : value.value("statuses", json::array())) {
        if (!s.is_object()) continue;
        StatusEvent ev{s.value("id", ""), s.value("status", ""), ""};
        if (s.contains("errors") && s["errors"].is_array() && !s["errors"].empty() && s["errors"][0].is_object()) {
          ev.error = std::to_string(s["errors"][0].value("code", 0));
        }
        out.statuses.push_back(ev);
      }
      for (const auto& m : value.value("messages", json::array())) {
        if (!m.is_object()) continue;
        core::InboundMessage msg;
        msg.channel = "whatsapp";
        msg.sender_id = m.value("from", m.value("from_user_id", ""));
        msg.message_id = m.value("id", "");
        if (msg.sender_id.empty() || msg.message_id.empty()) {
          return core::MakeError(core::ErrorCode::kInvalidArgument, "a message without sender or id");
        }
        msg.language_hint = LanguageFromPhone(msg.sender_id);
        std::string type = m.value("type", "");
        if (type == "text" && m.contains("text") && m["text"].is_object()) {
          msg.text = m["text"].value("body", "");
        } else if (type == "interactive" && m.contains("interactive") && m["interactive"].is_object()) {
          const json& i = m["interactive"];
          for (const char* kind : {"button_reply", "list_reply"}) {
            if (i.contains(kind) && i[kind].is_object()) {
              msg.payload = i[kind].value("id", "");
              msg.text = i[kind].value("title", "");
            }
          }
        } else if (type == "button" && m.contains("button") && m["button"].is_object()) {
          msg.payload = m["button"].value("payload", "");
          msg.text = m["button"].value("text", "");
        } else if (type == "location" && m.contains("location") && m["location"].is_object()) {
          const json& l = m["location"];
          msg.text = l.value("address", l.value("name", ""));
          if (msg.text.empty()) msg.text = "location";
          msg.media.push_back("whatsapp-location:" + l.value("latitude", json(0)).dump() + "," +
                              l.value("longitude", json(0)).dump());
        } else if (m.contains(type) && m[type].is_object() && m[type].contains("id")) {
          // image, video, document, audio, sticker: kept by reference; the caption is the text.
          msg.media.push_back("whatsapp-media:" + m[type].value("id", ""));
          msg.text = m[type].value("caption", "");
          if (msg.text.empty()) msg.text = "[" + type + "]";
        } else {
          continue;  // reactions, unsupported: nothing to answer
        }
        out.messages.push_back(std::move(msg));
      }
    }
  }
  return out;
}

std::vector<std::string> WhatsAppChannel::RenderTo(const std::string& to, const core::Reply& reply) const {
  std::vector<std::string> bodies;
  auto base = [&]() {
    return json{{"messaging_product", "whatsapp"}, {"recipient_type", "individual"}, {"to", to}};
  };
  std::string text = reply.text;
  std::string interactive_body;
  if (!reply.choices.empty()) {
    // The interactive body is limited: the last paragraph goes with the choices, the rest before it.
    auto parts = SplitText(text, kInteractiveBodyLimit);
    size_t last_break = text.rfind("\n\n");
    if (Chars(text) <= kInteractiveBodyLimit) {
      interactive_body = text;
      text.clear();
    } else if (last_break != std::string::npos && Chars(text.substr(last_break + 2)) <= kInteractiveBodyLimit) {
      interactive_body = text.substr(last_break + 2);
      text = text.substr(0, last_break);
    } else {
      interactive_body = parts.back();
      text = text.substr(0, text.size() - parts.back().size());
    }
  }
  for (const auto& part : text.empty() ? std::vector<std::string>{} : SplitText(text, kTextLimit)) {
    json b = base();
    b["type"] = "text";
    b["text"] = {{"body", part}, {"preview_url", false}};
    bodies.push_back(b.dump());
  }
  if (reply.choices.empty()) return bodies;
  bool buttons = reply.choices.size() <= 3 &&
                 std::all_of(reply.choices.begin(), reply.choices.end(),
                             [](const core::Choice& c) { return Chars(c.label) <= kButtonTitleLimit; });
  json b = base();
  b["type"] = "interactive";
  if (buttons) {
    json list = json::array();
    for (const auto& c : reply.choices) list.push_back({{"type", "reply"}, {"reply", {{"id", c.id}, {"title", c.label}}}});
    b["interactive"] = {{"type", "button"}, {"body", {{"text", interactive_body}}}, {"action", {{"buttons", list}}}};
    bodies.push_back(b.dump());
    return bodies;
  }
  // A list holds 10 rows at most; more choices are numbered in the text (the person types the number).
  json rows = json::array();
  std::string numbered;
  for (size_t i = 0; i < reply.choices.size(); ++i) {
    const auto& c = reply.choices[i];
    if (i < 10) {
      json row = {{"id", c.id}, {"title", Cut(c.label, kRowTitleLimit)}};
      if (Chars(c.label) > kRowTitleLimit) row["description"] = Cut(c.label, kRowDescriptionLimit);
      rows.push_back(row);
    } else {
      numbered += "\n" + std::to_string(i + 1) + ". " + c.label;
    }
  }
  b["interactive"] = {{"type", "list"},
                      {"body", {{"text", Cut(interactive_body + numbered, kInteractiveBodyLimit)}}},
                      {"action", {{"button", "☰"}, {"sections", json::array({{{"rows", rows}}})}}}};
  bodies.push_back(b.dump());
  return bodies;
}

std::vector<std::string> WhatsAppChannel::Render(const core::Reply& reply) const { return RenderTo("", reply); }

SendResult WhatsAppChannel::Send(HttpClient& http, const std::string& address, const core::Reply& reply) const {
  std::string url = config_.api_base + "/" + config_.phone_number_id + "/messages";
  for (const auto& body : RenderTo(address, reply)) {
    auto r = http.Post(url, {{"Authorization", "Bearer " + config_.token}}, body, "application/json");
    if (!r.ok()) return {SendResult::Kind::kRetry, r.error().message, 0};
    SendResult result = ClassifyHttp(*r);
    if (result.kind != SendResult::Kind::kSent) {
      auto err = json::parse(r->body, nullptr, false);
      int code = err.is_object() && err.contains("error") && err["error"].is_object() ? err["error"].value("code", 0) : 0;
      if (code != 0) result.error += " code " + std::to_string(code);
      // Throughput and spam limits: back off and retry; a closed 24-hour window or an undeliverable
      // number will not get better.
      if (code == 130429 || code == 131056 || code == 131048 || code == 4 || code == 80007 || code == 131000) {
        result.kind = SendResult::Kind::kRetry;
      } else if (code == 131047) {
        result.kind = SendResult::Kind::kPermanent;
        result.error += " (24-hour window closed: a template is needed)";
      } else if (code == 131026) {
        result.kind = SendResult::Kind::kPermanent;
        result.error += " (undeliverable)";
      }
      return result;
    }
  }
  return {};
}

}  // namespace channels
