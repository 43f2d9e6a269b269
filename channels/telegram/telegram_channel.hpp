#pragma once

#include "channels/channel.hpp"
#include "core/config.hpp"

namespace channels {

// Telegram Bot API: X-Telegram-Bot-Api-Secret-Token; messages and callback queries in (with the
// user's language_code as a hint); sendMessage with an inline keyboard out (callback data ≤ 64
// bytes, text split at 4096 characters, no parse_mode). Thread-safe.
class TelegramChannel final : public Channel {
 public:
  explicit TelegramChannel(core::TelegramConfig config) : config_(std::move(config)) {}

  // Channel:
  std::string Name() const override { return "telegram"; }
  core::Result<void> Verify(const WebhookRequest& request) const override;
  core::Result<ParseResult> Parse(const WebhookRequest& request) const override;
  std::vector<std::string> Render(const core::Reply& reply) const override;
  SendResult Send(HttpClient& http, const std::string& address, const core::Reply& reply) const override;

  std::vector<std::string> RenderTo(const std::string& chat_id, const core::Reply& reply) const;

 private:
  core::TelegramConfig config_;
};

}  // namespace channels
