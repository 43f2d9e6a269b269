// Provider webhooks against the real server, with a fake provider on loopback for outbound calls.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "channels/channel.hpp"
#include "channels/twilio/twilio_channel.hpp"
#include "store/database.hpp"
#include "tests/fakes/fake_clock.hpp"
#include "tests/fakes/fake_provider.hpp"
#include "tests/fakes/running_app.hpp"
#include "tests/fakes/temp_dir.hpp"

using nlohmann::json;

namespace {

struct Setup {
  fakes::TempDir dir;
  fakes::FakeProvider provider;
  fakes::FakeClock clock;
  std::string db;
  std::unique_ptr<fakes::RunningApp> server;
  Setup() : db(dir.Path("c.db")) {
    server::AppDeps deps;
    deps.clock = &clock;
    server = std::make_unique<fakes::RunningApp>(db, 256 * 1024, [this](core::Config& c) {
      c.public_url = "https://loket.example.nl";
      c.whatsapp = {"app-secret", "verify-me", "wa-token", "112233445566778", provider.base() + "/v21.0", true};
      c.telegram = {"tg-secret", "123:abc", provider.base(), true};
      c.twilio = {"AC123", "twilio-token", "+3197000000000", provider.base(), true};
    }, deps);
  }
  httplib::Client Client() { return httplib::Client("127.0.0.1", server->port()); }
  int64_t Count(const std::string& sql) {
    auto d = store::Database::Open(db);
    return *store::QueryInt(*d, sql);
  }
  // Runs the sender until the provider has `n` calls or nothing is due any more.
  void Deliver(size_t n) {
    for (int i = 0; i < 50 && provider.calls().size() < n; ++i) {
      server->app().sender()->RunOnce();
      clock.Advance(2 * 60 * 60 * 1000);  // past any backoff
    }
    // The sender's own thread may be between a provider call and recording it: one more pass waits
    // for that pass to finish (passes are serialised).
    server->app().sender()->RunOnce();
  }
};

std::string WhatsAppText(const std::string& id, const std::string& text) {
  return json{{"object", "whatsapp_business_account"},
              {"entry", {{{"id", "1"}, {"changes", {{{"field", "messages"}, {"value", {
                  {"messaging_product", "whatsapp"},
                  {"messages", {{{"from", "48601234567"}, {"id", id}, {"type", "text"}, {"text", {{"body", text}}}}}}}}}}}}}}}
      .dump();
}

httplib::Headers WhatsAppSignature(const std::string& body, const std::string& secret = "app-secret") {
  return {{"X-Hub-Signature-256", "sha256=" + channels::Hex(channels::Hmac("sha256", secret, body))}};
}

}  // namespace

TEST_CASE("a signed WhatsApp message is answered through the provider API", "[integration][channels]") {
  Setup s;
  auto c = s.Client();
  std::string body = WhatsAppText("wamid.1", "gdzie dostanę numer BSN");
  auto r = c.Post("/webhooks/whatsapp", WhatsAppSignature(body), body, "application/json");
  REQUIRE(r);
  CHECK(r->status == 200);
  s.Deliver(2);
  auto calls = s.provider.calls();
  REQUIRE(calls.size() >= 2);
  CHECK(calls[0].path == "/v21.0/112233445566778/messages");
  CHECK(calls[0].authorization == "Bearer wa-token");
  auto sent = json::parse(calls[0].body);
  CHECK(sent["messaging_product"] == "whatsapp");
  CHECK(sent["to"] == "48601234567");
  CHECK(s.Count("SELECT COUNT(*) FROM outbox WHERE status = 'sent'") >= 2);
  CHECK(s.Count("SELECT lang = 'pl' FROM conversation") == 1);
}

TEST_CASE("wrong, missing and malformed webhooks are refused and store nothing", "[integration][channels]") {
  Setup s;
  auto c = s.Client();
  std::string body = WhatsAppText("wamid.2", "hello");
  auto wrong = c.Post("/webhooks/whatsapp", WhatsAppSignature(body, "other-secret"), body, "application/json");
  REQUIRE(wrong);
  CHECK(wrong->status == 403);
  auto missing = c.Post("/webhooks/whatsapp", body, "application/json");
  REQUIRE(missing);
  CHECK(missing->status == 401);
  std::string broken = "{\"object\": ";
  auto malformed = c.Post("/webhooks/whatsapp", WhatsAppSignature(broken), broken, "application/json");
  REQUIRE(malformed);
  CHECK(malformed->status == 400);
  auto tg = c.Post("/webhooks/telegram", {{"X-Telegram-Bot-Api-Secret-Token", "nope"}}, R"({"update_id":1})", "application/json");
  REQUIRE(tg);
  CHECK(tg->status == 403);
  CHECK(s.Count("SELECT COUNT(*) FROM message") == 0);
  // The verification handshake.
  auto hs = c.Get("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=42");
  REQUIRE(hs);
  CHECK(hs->status == 200);
  CHECK(hs->body == "42");
  auto bad = c.Get("/webhooks/whatsapp?hub.mode=subscribe&hub.verify_token=x&hub.challenge=42");
  REQUIRE(bad);
  CHECK(bad->status == 403);
}

TEST_CASE("a redelivered message is acknowledged and processed once; statuses are no messages", "[integration][channels]") {
  Setup s;
  auto c = s.Client();
  std::string body = R"({"update_id":900,"message":{"message_id":1,"date":1,"text":"Привіт","from":{"id":77,"language_code":"uk"},"chat":{"id":77,"type":"private"}}})";
  httplib::Headers h = {{"X-Telegram-Bot-Api-Secret-Token", "tg-secret"}};
  for (int i = 0; i < 3; ++i) {
    auto r = c.Post("/webhooks/telegram", h, body, "application/json");
    REQUIRE(r);
    CHECK(r->status == 200);
  }
  CHECK(s.Count("SELECT COUNT(*) FROM message WHERE direction = 'in'") == 1);
  std::string status = WhatsAppText("x", "y");
  status = json{{"object", "whatsapp_business_account"},
                {"entry", {{{"changes", {{{"field", "messages"}, {"value", {{"statuses", {{{"id", "wamid.OUT"}, {"status", "read"}}}}}}}}}}}}}
               .dump();
  auto st = c.Post("/webhooks/whatsapp", WhatsAppSignature(status), status, "application/json");
  REQUIRE(st);
  CHECK(st->status == 200);
  CHECK(s.Count("SELECT COUNT(*) FROM message WHERE direction = 'in'") == 1);
  s.Deliver(1);
  auto calls = s.provider.calls();
  REQUIRE(!calls.empty());
  CHECK(calls[0].path == "/bot123:abc/sendMessage");
  CHECK(json::parse(calls[0].body)["chat_id"] == 77);
}

TEST_CASE("Twilio: signed form posts in, REST API with basic auth out", "[integration][channels]") {
  Setup s;
  auto c = s.Client();
  std::string body = "MessageSid=SM9&From=%2B40712345678&To=%2B3197000000000&Body=salariu+minim";
  std::string sig = channels::TwilioChannel::Signature("twilio-token", "https://loket.example.nl/webhooks/twilio",
                                                       channels::ParseForm(body));
  auto r = c.Post("/webhooks/twilio", {{"X-Twilio-Signature", sig}}, body, "application/x-www-form-urlencoded");
  REQUIRE(r);
  CHECK(r->status == 200);
  CHECK_THAT(r->body, Catch::Contains("<Response/>"));
  s.Deliver(1);
  auto calls = s.provider.calls();
  REQUIRE(!calls.empty());
  CHECK(calls[0].path == "/2010-04-01/Accounts/AC123/Messages.json");
  CHECK(calls[0].authorization == "Basic " + channels::Base64("AC123:twilio-token"));
  CHECK_THAT(calls[0].body, Catch::Contains("To=%2B40712345678"));
}

TEST_CASE("a provider outage loses nothing and keeps the order", "[integration][channels]") {
  Setup s;
  auto c = s.Client();
  s.provider.FailNext(3);
  for (int i = 0; i < 3; ++i) {
    std::string body = WhatsAppText("wamid.o" + std::to_string(i), i == 0 ? "hello" : "menu");
    auto r = c.Post("/webhooks/whatsapp", WhatsAppSignature(body), body, "application/json");
    REQUIRE(r);
    REQUIRE(r->status == 200);
  }
  int64_t expected = s.Count("SELECT COUNT(*) FROM outbox");
  s.Deliver(static_cast<size_t>(expected));
  CHECK(s.provider.failures() == 3);
  auto calls = s.provider.calls();
  CHECK(static_cast<int64_t>(calls.size()) == expected);
  CHECK(s.Count("SELECT COUNT(*) FROM outbox WHERE status <> 'sent'") == 0);
  // Delivered in the order the replies were created.
  auto d = store::Database::Open(s.db);
  auto q = store::Statement::Prepare(*d, "SELECT m.text FROM outbox o JOIN message m ON m.id = o.message_id ORDER BY o.sent_ms, o.id");
  std::vector<std::string> order;
  while (*q->Step()) order.push_back(q->Text(0));
  std::vector<std::string> sent_texts;
  for (const auto& call : calls) {
    auto j = json::parse(call.body);
    sent_texts.push_back(j["type"] == "text" ? j["text"]["body"].get<std::string>() : j["interactive"]["body"]["text"].get<std::string>());
  }
  REQUIRE(sent_texts.size() == order.size());
  for (size_t i = 0; i < order.size(); ++i) CHECK_THAT(order[i], Catch::Contains(sent_texts[i].substr(0, 20)));
}

TEST_CASE("a staff reply outside WhatsApp's 24-hour window is refused with the reason", "[integration][channels]") {
  Setup s;
  REQUIRE(s.server->app().staff().Add("wa@loket.nl", "Wiktor", "supervisor", {}, {"pl"}, "correct horse battery", "t").ok());
  auto c = s.Client();
  std::string body = WhatsAppText("wamid.w1", "człowiek");
  REQUIRE(c.Post("/webhooks/whatsapp", WhatsAppSignature(body), body, "application/json")->status == 200);
  auto reply = [&] {
    auto login = c.Post("/api/v1/staff/login", R"({"email":"wa@loket.nl","password":"correct horse battery"})", "application/json");
    REQUIRE(login);
    REQUIRE(login->status == 200);
    std::string csrf = json::parse(login->body)["csrf"];
    std::string cookie = login->get_header_value("Set-Cookie");
    httplib::Headers h = {{"Cookie", cookie.substr(0, cookie.find(';'))}, {"X-CSRF-Token", csrf}};
    return c.Post("/api/v1/handoff/conversations/1/messages", h, R"({"text":"Dzień dobry!"})", "application/json");
  };
  CHECK(reply()->status == 200);
  s.clock.Advance(25 * 60 * 60 * 1000);
  auto late = reply();
  REQUIRE(late);
  CHECK(late->status == 409);
  CHECK_THAT(late->body, Catch::Contains("24-hour window"));
}
