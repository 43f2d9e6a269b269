#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "channels/telegram/telegram_channel.hpp"
#include "channels/twilio/twilio_channel.hpp"
#include "channels/whatsapp/whatsapp_channel.hpp"
#include "server/outbox_sender.hpp"

using nlohmann::json;

namespace {

core::WhatsAppConfig WhatsApp() {
  core::WhatsAppConfig c;
  c.app_secret = "TEST_APP_SECRET";
  c.verify_token = "verify-me";
  c.token = "wa-token";
  c.phone_number_id = "112233445566778";
  return c;
}

channels::WebhookRequest Signed(const std::string& body) {
  channels::WebhookRequest r;
  r.body = body;
  r.headers["x-hub-signature-256"] = "sha256=" + channels::Hex(channels::Hmac("sha256", "TEST_APP_SECRET", body));
  return r;
}

}  // namespace

TEST_CASE("WhatsApp signatures match Meta's test vector and are checked on raw bytes", "[channels][whatsapp]") {
  CHECK(channels::Hex(channels::Hmac("sha256", "TEST_APP_SECRET", "test")) ==
        "0c61947b610d4f45e65f3d680e26027121ec2413e77598bcb6cfc6e0d9888221");
  channels::WhatsAppChannel wa(WhatsApp());
  CHECK(wa.Verify(Signed(R"({"object":"whatsapp_business_account"})")).ok());
  auto tampered = Signed(R"({"object":"whatsapp_business_account"})");
  tampered.body += " ";
  CHECK(wa.Verify(tampered).error().code == core::ErrorCode::kPermissionDenied);
  channels::WebhookRequest missing;
  CHECK(wa.Verify(missing).error().code == core::ErrorCode::kUnauthenticated);
}

TEST_CASE("WhatsApp payloads become neutral messages; statuses never do", "[channels][whatsapp]") {
  channels::WhatsAppChannel wa(WhatsApp());
  std::string body = R"({"object":"whatsapp_business_account","entry":[{"id":"1","changes":[{"field":"messages","value":{
    "messaging_product":"whatsapp","metadata":{"phone_number_id":"112233445566778"},
    "contacts":[{"profile":{"name":"K"},"wa_id":"48601234567"}],
    "messages":[{"from":"48601234567","id":"wamid.A","timestamp":"1764070000","type":"text","text":{"body":"Dzień dobry"}},
                {"from":"48601234567","id":"wamid.B","type":"interactive","interactive":{"type":"button_reply","button_reply":{"id":"menu:report","title":"Zgłoś"}}},
                {"from":"48601234567","id":"wamid.C","type":"image","image":{"id":"MEDIA1","mime_type":"image/jpeg"}}],
    "statuses":[{"id":"wamid.OUR","status":"delivered","timestamp":"1","recipient_id":"48601234567"}]}}]}]})";
  auto parsed = wa.Parse(Signed(body));
  REQUIRE(parsed.ok());
  REQUIRE(parsed->messages.size() == 3);
  CHECK(parsed->messages[0].text == "Dzień dobry");
  CHECK(parsed->messages[0].language_hint == "pl");
  CHECK(parsed->messages[0].message_id == "wamid.A");
  CHECK(parsed->messages[1].payload == "menu:report");
  CHECK(parsed->messages[2].media == std::vector<std::string>{"whatsapp-media:MEDIA1"});
  REQUIRE(parsed->statuses.size() == 1);
  CHECK(parsed->statuses[0].status == "delivered");
  CHECK(wa.Parse(Signed("{not json")).error().code == core::ErrorCode::kInvalidArgument);
}

TEST_CASE("WhatsApp rendering respects buttons, lists and their limits", "[channels][whatsapp]") {
  channels::WhatsAppChannel wa(WhatsApp());
  auto three = wa.RenderTo("48601234567", {"Pick one", {{"a", "One"}, {"b", "Two"}, {"c", "Three"}}});
  REQUIRE(three.size() == 1);
  auto b = json::parse(three[0]);
  CHECK(b["interactive"]["type"] == "button");
  CHECK(b["interactive"]["action"]["buttons"].size() == 3);
  CHECK(b["to"] == "48601234567");

  std::vector<core::Choice> many;
  for (int i = 0; i < 12; ++i) many.push_back({"id" + std::to_string(i), "A rather long label number " + std::to_string(i)});
  auto list = wa.RenderTo("1", {"Choose", many});
  auto l = json::parse(list.back());
  CHECK(l["interactive"]["type"] == "list");
  auto rows = l["interactive"]["action"]["sections"][0]["rows"];
  CHECK(rows.size() == 10);
  for (const auto& row : rows) CHECK(row["title"].get<std::string>().size() <= 24 + 2);
  CHECK(l["interactive"]["body"]["text"].get<std::string>().find("12. ") != std::string::npos);

  std::string longtext(3000, 'x');
  auto split = wa.RenderTo("1", {longtext + "\n\nLast question?", {{"y", "Yes"}}});
  REQUIRE(split.size() == 2);
  CHECK(json::parse(split[0])["type"] == "text");
  CHECK(json::parse(split[1])["interactive"]["body"]["text"] == "Last question?");
}

TEST_CASE("WhatsApp verification handshake echoes the challenge only for the right token", "[channels][whatsapp]") {
  channels::WhatsAppChannel wa(WhatsApp());
  channels::WebhookRequest r;
  r.params = {{"hub.mode", "subscribe"}, {"hub.verify_token", "verify-me"}, {"hub.challenge", "1158201444"}};
  CHECK(*wa.Handshake(r) == "1158201444");
  r.params = {{"hub.mode", "subscribe"}, {"hub.verify_token", "wrong"}, {"hub.challenge", "1"}};
  CHECK_FALSE(wa.Handshake(r).ok());
}

TEST_CASE("Telegram secret token, updates and inline keyboards", "[channels][telegram]") {
  core::TelegramConfig c;
  c.secret = "s3cret";
  c.token = "123:abc";
  channels::TelegramChannel tg(c);
  channels::WebhookRequest r;
  r.headers["x-telegram-bot-api-secret-token"] = "s3cret";
  CHECK(tg.Verify(r).ok());
  r.headers["x-telegram-bot-api-secret-token"] = "s3creT";
  CHECK(tg.Verify(r).error().code == core::ErrorCode::kPermissionDenied);

  r.body = R"({"update_id":734100001,"message":{"message_id":1201,"date":1,"text":"Cześć!",
    "from":{"id":6123456789,"is_bot":false,"first_name":"T","language_code":"pl"},"chat":{"id":6123456789,"type":"private"}}})";
  auto m = tg.Parse(r);
  REQUIRE(m.ok());
  REQUIRE(m->messages.size() == 1);
  CHECK(m->messages[0].sender_id == "6123456789");
  CHECK(m->messages[0].message_id == "734100001");
  CHECK(m->messages[0].language_hint == "pl");

  r.body = R"({"update_id":734100002,"callback_query":{"id":"q1","from":{"id":6123456789},"message":{"chat":{"id":6123456789}},"data":"fb:yes"}})";
  auto q = tg.Parse(r);
  REQUIRE(q.ok());
  CHECK(q->messages.at(0).payload == "fb:yes");

  r.body = R"({"update_id":734100003,"my_chat_member":{"new_chat_member":{"status":"kicked"}}})";
  auto kicked = tg.Parse(r);
  REQUIRE(kicked.ok());
  CHECK(kicked->messages.empty());
  CHECK(kicked->statuses.at(0).status == "blocked");

  r.body = R"({"no_update_id": true})";
  CHECK_FALSE(tg.Parse(r).ok());

  auto bodies = tg.RenderTo("6123456789", {"Hi", {{"fb:yes", "Tak"}, {std::string(70, 'x'), "too long"}}});
  auto b = json::parse(bodies.at(0));
  CHECK(b["chat_id"] == 6123456789LL);
  CHECK(b["reply_markup"]["inline_keyboard"].size() == 1);  // callback data over 64 bytes is dropped
  CHECK_FALSE(b.contains("parse_mode"));
}

TEST_CASE("Twilio signatures match Twilio's test vector", "[channels][twilio]") {
  std::multimap<std::string, std::string> params = {{"CallSid", "CA1234567890ABCDE"}, {"Caller", "+14158675309"},
                                                    {"Digits", "1234"}, {"From", "+14158675309"}, {"To", "+18005551212"}};
  CHECK(channels::TwilioChannel::Signature("12345", "https://mycompany.com/myapp.php?foo=1&bar=2", params) ==
        "RSOYDt4T1cUTdK1PDd93/VVr8B8=");
}

TEST_CASE("Twilio forms, status callbacks and SMS rendering", "[channels][twilio]") {
  core::TwilioConfig c;
  c.account_sid = "AC1";
  c.auth_token = "tok";
  c.from = "+3197000000000";
  channels::TwilioChannel tw(c);
  channels::WebhookRequest r;
  r.path = "/webhooks/twilio";
  r.public_url = "https://loket.example.nl";
  r.body = "MessageSid=SM1&From=%2B40712345678&To=%2B3197000000000&Body=salariu+minim&NumMedia=1&MediaUrl0=https%3A%2F%2Fapi.twilio.com%2Fm1";
  r.headers["x-twilio-signature"] =
      channels::TwilioChannel::Signature("tok", "https://loket.example.nl/webhooks/twilio", channels::ParseForm(r.body));
  CHECK(tw.Verify(r).ok());
  auto m = tw.Parse(r);
  REQUIRE(m.ok());
  CHECK(m->messages.at(0).text == "salariu minim");
  CHECK(m->messages.at(0).language_hint == "ro");
  CHECK(m->messages.at(0).media.at(0) == "https://api.twilio.com/m1");
  r.body = "MessageSid=SM2&MessageStatus=delivered";
  auto s = tw.Parse(r);
  REQUIRE(s.ok());
  CHECK(s->messages.empty());
  CHECK(s->statuses.at(0).status == "delivered");

  auto gsm = tw.Render({std::string(700, 'a') + ". More text here.", {{"x", "Yes"}, {"y", "No"}}});
  for (const auto& part : gsm) CHECK(part.size() <= 612);
  CHECK(gsm.back().find("1. Yes\n2. No") != std::string::npos);
  std::string polish;
  for (int i = 0; i < 40; ++i) polish += "Zażółć gęślą jaźń. ";
  auto ucs = tw.Render({polish, {}});
  CHECK(ucs.size() > 1);
  CHECK_FALSE(channels::IsGsm7("zażółć"));
  CHECK(channels::IsGsm7("Hello €5 [ok]"));
}

TEST_CASE("phone country codes suggest a language", "[channels]") {
  CHECK(channels::LanguageFromPhone("48601234567") == "pl");
  CHECK(channels::LanguageFromPhone("whatsapp:+359888123456") == "bg");
  CHECK(channels::LanguageFromPhone("+380501234567") == "uk");
  CHECK(channels::LanguageFromPhone("+31612345678") == "nl");
  CHECK(channels::LanguageFromPhone("+999") == "");
}

TEST_CASE("retries back off exponentially, capped, honouring Retry-After", "[channels][outbox]") {
  CHECK(server::OutboxSender::BackoffMs(0, 0, 1.0) == 1000);
  CHECK(server::OutboxSender::BackoffMs(3, 0, 1.0) == 8000);
  CHECK(server::OutboxSender::BackoffMs(3, 0, 0.0) == 4000);
  CHECK(server::OutboxSender::BackoffMs(30, 0, 1.0) == 3600 * 1000);
  CHECK(server::OutboxSender::BackoffMs(0, 30000, 0.5) == 30000);
}
