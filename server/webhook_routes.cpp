// Provider webhooks (/webhooks/<channel>): authenticate the raw body, parse, hand each message to
// the ConversationService (durable before the 200), wake the outbox sender.
#include <nlohmann/json.hpp>

#include "channels/whatsapp/whatsapp_channel.hpp"
#include "core/log.hpp"
#include "server/app.hpp"

namespace server {

namespace {

channels::WebhookRequest FromHttp(const httplib::Request& req, const std::string& public_url) {
  channels::WebhookRequest w;
  w.method = req.method;
  w.path = req.path;
  auto q = req.target.find('?');
  w.query = q == std::string::npos ? "" : req.target.substr(q + 1);
  for (const auto& [k, v] : req.headers) {
    std::string lower;
    for (char c : k) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    w.headers[lower] = v;
  }
  // Only query parameters: a form body is parsed by the channel from the raw bytes.
  if (q != std::string::npos) {
    httplib::Params params;
    httplib::detail::parse_query_text(w.query, params);
    for (const auto& [k, v] : params) w.params.emplace(k, v);
  }
  w.body = req.body;
  w.public_url = public_url;
  return w;
}

}  // namespace

void App::RegisterWebhookRoutes() {
  for (const auto& channel : channels_) {
    std::string name = channel->Name();
    if (name == "whatsapp") {
      auto whatsapp = std::static_pointer_cast<const channels::WhatsAppChannel>(channel);
      http_->Get("/webhooks/whatsapp", [this, whatsapp](const httplib::Request& req, httplib::Response& res) {
        auto challenge = whatsapp->Handshake(FromHttp(req, config_.public_url));
        if (!challenge.ok()) return WriteError(res, 403, "permission_denied", challenge.error().message);
        res.status = 200;
        res.set_content(*challenge, "text/plain");
      });
    }
    http_->Post("/webhooks/" + name, [this, channel, name](const httplib::Request& req, httplib::Response& res) {
      auto request = FromHttp(req, config_.public_url);
      auto verified = channel->Verify(request);
      if (!verified.ok()) {
        core::LogWarn("webhook_rejected", {{"channel", name}, {"reason", verified.error().message}});
        return WriteError(res, verified.error());
      }
      auto parsed = channel->Parse(request);
      if (!parsed.ok()) return WriteError(res, 400, "malformed_body", parsed.error().message);
      for (const auto& status : parsed->statuses) {
        metrics_.Count("loket_channel_statuses_total", "channel=\"" + name + "\",status=\"" + LabelValue(status.status) + "\"");
      }
      int handled = 0;
      for (const auto& message : parsed->messages) {
        auto r = conversations_->HandleInbound(message);
        if (!r.ok()) {
          // Nothing is acknowledged that was not stored: the provider redelivers, and the
          // messages already committed are recognised by their ids.
          return WriteError(res, r.error());
        }
        handled += *r ? 1 : 0;
      }
      if (handled > 0 && sender_) sender_->Notify();
      if (name == "twilio") {
        res.status = 200;
        res.set_content("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response/>", "text/xml");
        return;
      }
      WriteJson(res, 200, R"({"ok":true})");
    });
  }
}

}  // namespace server
