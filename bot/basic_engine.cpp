#include "bot/basic_engine.hpp"

#include <map>
#include <string>

namespace bot {

namespace {
const std::map<std::string, std::string>& Acknowledgements() {
  static const std::map<std::string, std::string> kTexts = {
      {"nl", "Bedankt, je bericht is ontvangen."},
      {"en", "Thank you, your message has been received."},
      {"pl", "Dziękujemy, Twoja wiadomość została odebrana."},
      {"ro", "Mulțumim, mesajul tău a fost primit."},
      {"bg", "Благодарим ви, съобщението ви е получено."},
      {"uk", "Дякуємо, ваше повідомлення отримано."},
      {"hu", "Köszönjük, az üzenetét megkaptuk."},
      {"lt", "Ačiū, jūsų žinutė gauta."},
      {"lv", "Paldies, jūsu ziņa ir saņemta."},
      {"sk", "Ďakujeme, vaša správa bola prijatá."},
      {"cs", "Děkujeme, vaše zpráva byla přijata."},
      {"pt", "Obrigado, a sua mensagem foi recebida."},
      {"es", "Gracias, hemos recibido tu mensaje."},
      {"de", "Danke, Ihre Nachricht ist angekommen."},
      {"ar", "شكرًا لك، لقد استلمنا رسالتك."},
      {"tr", "Teşekkürler, mesajınız alındı."},
  };
  return kTexts;
}
}  // namespace

TurnResult BasicEngine::Turn(store::Conversation& conversation, const core::InboundMessage& message,
                             int64_t /*now_ms*/) {
  if (!message.lang.empty()) {
    conversation.lang = message.lang;
    conversation.lang_source = "given";
  } else if (conversation.lang.empty()) {
    conversation.lang = "en";
    conversation.lang_source = "default";
  }
  auto it = Acknowledgements().find(conversation.lang);
  TurnResult result;
  result.replies.push_back({it != Acknowledgements().end() ? it->second : Acknowledgements().at("en"), {}});
  return result;
}

}  // namespace bot
