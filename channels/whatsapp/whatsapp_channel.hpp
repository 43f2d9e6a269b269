#pragma once

#include "channels/channel.hpp"
#include "core/config.hpp"

namespace channels {

// WhatsApp Business Cloud API: X-Hub-Signature-256 over the raw body with the app secret;
// messages, button and list replies, media and locations in; text, up to 3 reply buttons (titles
// ≤ 20 characters) or a list of ≤ 10 rows out. Thread-safe.
class WhatsAppChannel final : public Channel {
 public:
  explicit WhatsAppChannel(core::WhatsAppConfig config) : config_(std::move(config)) {}

  // Channel:
  std::string Name() const override { return "whatsapp"; }
  core::Result<void> Verify(const WebhookRequest& request) const override;
  core::Result<ParseResult> Parse(const WebhookRequest& request) const override;
  std::vector<std::string> Render(const core::Reply& reply) const override;
  SendResult Send(HttpClient& http, const std::string& address, const core::Reply& reply) const override;

  // The GET verification handshake: the challenge to echo, or kPermissionDenied.
  core::Result<std::string> Handshake(const WebhookRequest& request) const;
  // Render for a given recipient (Render() leaves "to" empty).
  std::vector<std::string> RenderTo(const std::string& to, const core::Reply& reply) const;

 private:
  core::WhatsAppConfig config_;
};

}  // namespace channels
