#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace core {

// A choice the person can pick: `id` is a machine payload (≤ 64 bytes, ASCII), `label` is shown.
struct Choice {
  std::string id;
  std::string label;
};

// What the bot or staff says, independent of any channel; each channel renders it within its
// platform's limits. Plain data.
struct Reply {
  std::string text;
  std::vector<Choice> choices;
};

// A message from a person, normalised by a channel adapter. Plain data.
struct InboundMessage {
  std::string channel;         // "webchat", "whatsapp", "telegram", "twilio", ...
  std::string sender_id;       // the channel's address of the person
  std::string text;            // typed text, or the label of a tapped choice
  std::string payload;         // the machine id of a tapped choice, empty when typed
  std::string message_id;      // the provider's id, for de-duplication; may be empty
  std::string language_hint;   // e.g. Telegram language_code or from the phone's country code
  std::string lang;            // a language the person explicitly chose (e.g. the web widget)
  std::vector<std::string> media;  // references to photos/documents the provider holds (ids or URLs)
};

}  // namespace core
