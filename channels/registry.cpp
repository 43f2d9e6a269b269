#include "channels/registry.hpp"

#include "channels/telegram/telegram_channel.hpp"
#include "channels/twilio/twilio_channel.hpp"
#include "channels/whatsapp/whatsapp_channel.hpp"

namespace channels {

std::vector<std::shared_ptr<const Channel>> EnabledChannels(const core::Config& config) {
  std::vector<std::shared_ptr<const Channel>> out;
  if (config.whatsapp.enabled) out.push_back(std::make_shared<WhatsAppChannel>(config.whatsapp));
  if (config.telegram.enabled) out.push_back(std::make_shared<TelegramChannel>(config.telegram));
  if (config.twilio.enabled) out.push_back(std::make_shared<TwilioChannel>(config.twilio));
  return out;
}

}  // namespace channels
