#pragma once

#include "channels/channel.hpp"
#include "core/config.hpp"

namespace channels {

// Twilio Programmable Messaging (SMS, and WhatsApp through Twilio): X-Twilio-Signature
// (HMAC-SHA1 over the public URL and the sorted form parameters, keyed with the auth token);
// form-encoded messages and status callbacks in; the REST Messages API out, with choices as
// numbered lines and long texts split at sentence boundaries into parts that stay within four SMS
// segments (GSM-7: 153 characters a segment, UCS-2: 67). Thread-safe.
class TwilioChannel final : public Channel {
 public:
  explicit TwilioChannel(core::TwilioConfig config) : config_(std::move(config)) {}

  // Channel:
  std::string Name() const override { return "twilio"; }
  core::Result<void> Verify(const WebhookRequest& request) const override;
  core::Result<ParseResult> Parse(const WebhookRequest& request) const override;
  std::vector<std::string> Render(const core::Reply& reply) const override;
  SendResult Send(HttpClient& http, const std::string& address, const core::Reply& reply) const override;

  // The signature Twilio computes for `url` and the form `params`.
  static std::string Signature(const std::string& auth_token, const std::string& url,
                               const std::multimap<std::string, std::string>& params);

 private:
  core::TwilioConfig config_;
};

// Decodes application/x-www-form-urlencoded text.
std::multimap<std::string, std::string> ParseForm(const std::string& body);
std::string UrlEncode(const std::string& value);
// True when every character is in the GSM 03.38 basic or extension set.
bool IsGsm7(const std::string& text);

}  // namespace channels
