#include "channels/twilio/twilio_channel.hpp"

#include <nlohmann/json.hpp>
#include <set>

namespace channels {

namespace {

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string Decode(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 && HexValue(s[i + 2]) >= 0) {
      out.push_back(static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::string Get(const std::multimap<std::string, std::string>& m, const std::string& key) {
  auto it = m.find(key);
  return it == m.end() ? "" : it->second;
}

}  // namespace

std::multimap<std::string, std::string> ParseForm(const std::string& body) {
  std::multimap<std::string, std::string> out;
  size_t start = 0;
  while (start <= body.size()) {
    size_t end = body.find('&', start);
    if (end == std::string::npos) end = body.size();
    std::string pair = body.substr(start, end - start);
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      out.emplace(Decode(pair.substr(0, eq)), eq == std::string::npos ? "" : Decode(pair.substr(eq + 1)));
    }
    start = end + 1;
  }
  return out;
}

std::string UrlEncode(const std::string& value) {
  static const char* kHex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : value) {
    if (std::isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~') {
      out.push_back(static_cast<char>(c));
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

bool IsGsm7(const std::string& text) {
  static const std::u32string kGsm =
      U"@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà^{}\\[~]|€";
  for (size_t i = 0; i < text.size();) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    char32_t cp;
    size_t len = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : 4;
    if (len == 1) cp = c;
    else if (len == 2) cp = ((c & 0x1F) << 6) | (text[i + 1] & 0x3F);
    else if (len == 3) cp = ((c & 0x0F) << 12) | ((text[i + 1] & 0x3F) << 6) | (text[i + 2] & 0x3F);
    else return false;  // outside the BMP: never GSM
    if (kGsm.find(cp) == std::u32string::npos) return false;
    i += len;
  }
  return true;
}

std::string TwilioChannel::Signature(const std::string& auth_token, const std::string& url,
                                     const std::multimap<std::string, std::string>& params) {
  std::string data = url;
  std::map<std::string, std::multiset<std::string>> sorted;
  for (const auto& [k, v] : params) sorted[k].insert(v);
  for (const auto& [k, values] : sorted) {
    for (const auto& v : values) data += k + v;
  }
  return Base64(Hmac("sha1", auth_token, data));
}

core::Result<void> TwilioChannel::Verify(const WebhookRequest& request) const {
  std::string given = request.Header("x-twilio-signature");
  if (given.empty()) return core::MakeError(core::ErrorCode::kUnauthenticated, "missing X-Twilio-Signature");
  std::string base = request.public_url;
  while (!base.empty() && base.back() == '/') base.pop_back();
  std::string url = base + request.path + (request.query.empty() ? "" : "?" + request.query);
  auto params = ParseForm(request.body);
  if (SecretsEqual(Signature(config_.auth_token, url, params), given)) return {};
  return core::MakeError(core::ErrorCode::kPermissionDenied, "signature does not match");
}

core::Result<ParseResult> TwilioChannel::Parse(const WebhookRequest& request) const {
  auto form = ParseForm(request.body);
  ParseResult out;
  std::string sid = Get(form, "MessageSid");
  if (sid.empty()) sid = Get(form, "SmsSid");
  if (sid.empty()) return core::MakeError(core::ErrorCode::kInvalidArgument, "no MessageSid");
  std::string status = Get(form, "MessageStatus");
  if (!status.empty() && form.find("Body") == form.end()) {
    out.statuses.push_back({sid, status, Get(form, "ErrorCode")});
    return out;
  }
  core::InboundMessage m;
  m.channel = "twilio";
  m.sender_id = Get(form, "From");
  if (m.sender_id.empty()) return core::MakeError(core::ErrorCode::kInvalidArgument, "no From");
  m.message_id = sid;
  m.text = Get(form, "Body");
  m.payload = Get(form, "ButtonPayload");
  if (!m.payload.empty() && !Get(form, "ButtonText").empty()) m.text = Get(form, "ButtonText");
  m.language_hint = LanguageFromPhone(m.sender_id);
  int media = std::atoi(Get(form, "NumMedia").c_str());
  for (int i = 0; i < media && i < 10; ++i) {
    std::string url = Get(form, "MediaUrl" + std::to_string(i));
    if (!url.empty()) m.media.push_back(url);
  }
  if (m.text.empty() && !m.media.empty()) m.text = "[file]";
  if (m.text.empty()) return out;
  out.messages.push_back(std::move(m));
  return out;
}

std::vector<std::string> TwilioChannel::Render(const core::Reply& reply) const {
  std::string text = reply.text;
  for (size_t i = 0; i < reply.choices.size(); ++i) {
    text += (i == 0 ? "\n\n" : "\n") + std::to_string(i + 1) + ". " + reply.choices[i].label;
  }
  // Four segments a message at most: long answers arrive as a few readable messages.
  size_t limit = IsGsm7(text) ? 4 * 153 : 4 * 67;
  return SplitText(text, limit);
}

SendResult TwilioChannel::Send(HttpClient& http, const std::string& address, const core::Reply& reply) const {
  std::string url = config_.api_base + "/2010-04-01/Accounts/" + config_.account_sid + "/Messages.json";
  std::string from = config_.from;
  // Replies to WhatsApp-through-Twilio go out on WhatsApp too.
  if (address.rfind("whatsapp:", 0) == 0 && from.rfind("whatsapp:", 0) != 0) from = "whatsapp:" + from;
  std::string auth = "Basic " + Base64(config_.account_sid + ":" + config_.auth_token);
  for (const auto& part : Render(reply)) {
    std::string body = "To=" + UrlEncode(address) + "&From=" + UrlEncode(from) + "&Body=" + UrlEncode(part);
    auto r = http.Post(url, {{"Authorization", auth}}, body, "application/x-www-form-urlencoded");
    if (!r.ok()) return {SendResult::Kind::kRetry, r.error().message, 0};
    SendResult result = ClassifyHttp(*r);
    if (result.kind != SendResult::Kind::kSent) {
      auto err = nlohmann::json::parse(r->body, nullptr, false);
      if (err.is_object()) result.error += " code " + std::to_string(err.value("code", 0));
      return result;
    }
  }
  return {};
}

}  // namespace channels
