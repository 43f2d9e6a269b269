// libFuzzer target for every inbound parser of outside input: the three providers' webhook
// parsers, the form decoder and the text folding the engine runs on every message.
// The first byte picks the parser; the rest is the body.
#include <cstddef>
#include <cstdint>
#include <string>

#include "channels/telegram/telegram_channel.hpp"
#include "channels/twilio/twilio_channel.hpp"
#include "channels/whatsapp/whatsapp_channel.hpp"
#include "core/privacy.hpp"
#include "knowledge/text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  static channels::WhatsAppChannel whatsapp(core::WhatsAppConfig{"s", "v", "t", "1", "http://x", true});
  static channels::TelegramChannel telegram(core::TelegramConfig{"s", "t", "http://x", true});
  static channels::TwilioChannel twilio(core::TwilioConfig{"AC", "t", "+31", "http://x", true});
  channels::WebhookRequest request;
  request.body.assign(reinterpret_cast<const char*>(data + 1), size - 1);
  request.public_url = "https://example.org";
  request.path = "/webhooks/x";
  switch (data[0] % 6) {
    case 0: (void)whatsapp.Parse(request); break;
    case 1: (void)telegram.Parse(request); break;
    case 2: (void)twilio.Parse(request); (void)twilio.Verify(request); break;
    case 3: (void)channels::ParseForm(request.body); break;
    case 4: (void)knowledge::Words(knowledge::Fold(request.body)); break;
    case 5: (void)core::MaskPersonalData(request.body); (void)channels::SplitText(request.body, 50); break;
  }
  return 0;
}
