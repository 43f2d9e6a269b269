#include "core/config.hpp"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace core {
namespace {

using nlohmann::json;

enum class Kind { kString, kInt, kBool };

// One configurable setting: its JSON path ("whatsapp.token"), its environment variable and where
// it lands in Config. A single table keeps file keys, variables and docs from drifting apart.
struct Setting {
  const char* key;
  const char* env;
  Kind kind;
  std::function<void(Config&, const json&)> set;
};

const std::vector<Setting>& Settings() {
  static const std::vector<Setting> kSettings = {
      {"db", "LOKET_DB", Kind::kString, [](Config& c, const json& v) { c.db_path = v.get<std::string>(); }},
      {"listen", "LOKET_LISTEN", Kind::kString, nullptr},  // handled specially (host:port)
      {"public_url", "LOKET_PUBLIC_URL", Kind::kString, [](Config& c, const json& v) { c.public_url = v.get<std::string>(); }},
      {"content_dir", "LOKET_CONTENT_DIR", Kind::kString, [](Config& c, const json& v) { c.content_dir = v.get<std::string>(); }},
      {"web_dir", "LOKET_WEB_DIR", Kind::kString, [](Config& c, const json& v) { c.web_dir = v.get<std::string>(); }},
      {"data_key_file", "LOKET_DATA_KEY_FILE", Kind::kString, [](Config& c, const json& v) { c.data_key_file = v.get<std::string>(); }},
      {"data_key", "LOKET_DATA_KEY", Kind::kString, [](Config& c, const json& v) { c.data_key = v.get<std::string>(); }},
      {"report_routing_file", "LOKET_REPORT_ROUTING_FILE", Kind::kString, [](Config& c, const json& v) { c.report_routing_file = v.get<std::string>(); }},
      {"max_body_bytes", "LOKET_MAX_BODY_BYTES", Kind::kInt, [](Config& c, const json& v) { c.max_body_bytes = v.get<int64_t>(); }},
      {"http_threads", "LOKET_HTTP_THREADS", Kind::kInt, [](Config& c, const json& v) { c.http_threads = v.get<int>(); }},
      {"keep_alive_max_count", "LOKET_KEEP_ALIVE_MAX_COUNT", Kind::kInt, [](Config& c, const json& v) { c.keep_alive_max_count = v.get<int>(); }},
      {"keep_alive_timeout_s", "LOKET_KEEP_ALIVE_TIMEOUT_S", Kind::kInt, [](Config& c, const json& v) { c.keep_alive_timeout_s = v.get<int>(); }},
      {"writer_max_batch", "LOKET_WRITER_MAX_BATCH", Kind::kInt, [](Config& c, const json& v) { c.writer_max_batch = v.get<int>(); }},
      {"log_level", "LOKET_LOG_LEVEL", Kind::kString, [](Config& c, const json& v) { c.log_level = v.get<std::string>(); }},
      {"demo", "LOKET_DEMO", Kind::kBool, [](Config& c, const json& v) { c.demo = v.get<bool>(); }},
      {"whatsapp.app_secret", "LOKET_WHATSAPP_APP_SECRET", Kind::kString, [](Config& c, const json& v) { c.whatsapp.app_secret = v.get<std::string>(); }},
      {"whatsapp.verify_token", "LOKET_WHATSAPP_VERIFY_TOKEN", Kind::kString, [](Config& c, const json& v) { c.whatsapp.verify_token = v.get<std::string>(); }},
      {"whatsapp.token", "LOKET_WHATSAPP_TOKEN", Kind::kString, [](Config& c, const json& v) { c.whatsapp.token = v.get<std::string>(); }},
      {"whatsapp.phone_number_id", "LOKET_WHATSAPP_PHONE_NUMBER_ID", Kind::kString, [](Config& c, const json& v) { c.whatsapp.phone_number_id = v.get<std::string>(); }},
      {"whatsapp.api_base", "LOKET_WHATSAPP_API_BASE", Kind::kString, [](Config& c, const json& v) { c.whatsapp.api_base = v.get<std::string>(); }},
      {"telegram.secret", "LOKET_TELEGRAM_SECRET", Kind::kString, [](Config& c, const json& v) { c.telegram.secret = v.get<std::string>(); }},
      {"telegram.token", "LOKET_TELEGRAM_TOKEN", Kind::kString, [](Config& c, const json& v) { c.telegram.token = v.get<std::string>(); }},
      {"telegram.api_base", "LOKET_TELEGRAM_API_BASE", Kind::kString, [](Config& c, const json& v) { c.telegram.api_base = v.get<std::string>(); }},
      {"twilio.account_sid", "LOKET_TWILIO_ACCOUNT_SID", Kind::kString, [](Config& c, const json& v) { c.twilio.account_sid = v.get<std::string>(); }},
      {"twilio.auth_token", "LOKET_TWILIO_AUTH_TOKEN", Kind::kString, [](Config& c, const json& v) { c.twilio.auth_token = v.get<std::string>(); }},
      {"twilio.from", "LOKET_TWILIO_FROM", Kind::kString, [](Config& c, const json& v) { c.twilio.from = v.get<std::string>(); }},
      {"twilio.api_base", "LOKET_TWILIO_API_BASE", Kind::kString, [](Config& c, const json& v) { c.twilio.api_base = v.get<std::string>(); }},
  };
  return kSettings;
}

const char* KindName(Kind k) {
  switch (k) {
    case Kind::kString: return "a string";
    case Kind::kInt: return "an integer";
    case Kind::kBool: return "true or false";
  }
  return "?";
}

bool HasKind(const json& v, Kind k) {
  switch (k) {
    case Kind::kString: return v.is_string();
    case Kind::kInt: return v.is_number_integer();
    case Kind::kBool: return v.is_boolean();
  }
  return false;
}

// Flattens {"whatsapp": {"token": ..}} into "whatsapp.token" → value.
void Flatten(const json& obj, const std::string& prefix, std::map<std::string, json>& out) {
  for (auto it = obj.begin(); it != obj.end(); ++it) {
    std::string key = prefix.empty() ? it.key() : prefix + "." + it.key();
    if (it.value().is_object()) {
      Flatten(it.value(), key, out);
    } else {
      out[key] = it.value();
    }
  }
}

Result<json> EnvValue(const Setting& s, const char* raw) {
  std::string text(raw);
  switch (s.kind) {
    case Kind::kString: return json(text);
    case Kind::kBool:
      if (text == "1" || text == "true") return json(true);
      if (text == "0" || text == "false" || text.empty()) return json(false);
      break;
    case Kind::kInt: {
      size_t used = 0;
      try {
        long long n = std::stoll(text, &used);
        if (used == text.size()) return json(n);
      } catch (...) {
      }
      break;
    }
  }
  return MakeError(ErrorCode::kInvalidArgument,
                   std::string(s.env) + " must be " + KindName(s.kind) + ", got '" + text + "'");
}

// A channel is enabled when any of its secrets is set; then all of them must be.
Result<void> CheckChannel(const std::string& name, bool& enabled,
                          const std::vector<std::pair<const char*, const std::string*>>& required,
                          std::vector<std::string>& disabled) {
  int set = 0;
  for (const auto& [env, value] : required) set += value->empty() ? 0 : 1;
  if (set == 0) {
    enabled = false;
    disabled.push_back(name);
    return {};
  }
  for (const auto& [env, value] : required) {
    if (value->empty()) {
      return MakeError(ErrorCode::kInvalidArgument,
                       std::string("channel ") + name + " is enabled but " + env + " is not set");
    }
  }
  enabled = true;
  return {};
}

}  // namespace

Result<std::pair<std::string, int>> ParseListen(const std::string& text) {
  auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) {
    return MakeError(ErrorCode::kInvalidArgument, "listen must be host:port, got '" + text + "'");
  }
  std::string host = text.substr(0, colon);
  std::string port_text = text.substr(colon + 1);
  for (char ch : port_text) {
    if (ch < '0' || ch > '9') {
      return MakeError(ErrorCode::kInvalidArgument, "listen port must be a number, got '" + text + "'");
    }
  }
  int port = port_text.size() > 5 ? 70000 : std::stoi(port_text);
  if (port > 65535) return MakeError(ErrorCode::kInvalidArgument, "listen port out of range: '" + text + "'");
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  return std::make_pair(host, port);
}

Result<Config> LoadConfig(const std::string& path, const EnvLookup& env) {
  Config config;
  std::map<std::string, json> values;
  std::map<std::string, std::string> origin;  // key → where it came from, for error messages

  if (!path.empty()) {
    std::ifstream in(path, std::ios::binary);
    if (!in) return MakeError(ErrorCode::kInvalidArgument, "cannot read config file " + path);
    std::stringstream buf;
    buf << in.rdbuf();
    json doc = json::parse(buf.str(), nullptr, false);
    if (doc.is_discarded() || !doc.is_object()) {
      return MakeError(ErrorCode::kInvalidArgument, "config file " + path + " is not a JSON object");
    }
    std::map<std::string, json> flat;
    Flatten(doc, "", flat);
    for (auto& [key, value] : flat) {
      const Setting* found = nullptr;
      for (const auto& s : Settings()) {
        if (key == s.key) found = &s;
      }
      if (found == nullptr) {
        return MakeError(ErrorCode::kInvalidArgument, "unknown config key '" + key + "' in " + path);
      }
      if (!HasKind(value, found->kind)) {
        return MakeError(ErrorCode::kInvalidArgument, "config key '" + key + "' must be " +
                                                          KindName(found->kind) + " in " + path);
      }
      values[key] = value;
      origin[key] = "config key '" + key + "'";
    }
  }
  for (const auto& s : Settings()) {
    const char* raw = env ? env(s.env) : nullptr;
    if (raw == nullptr) continue;
    auto value = EnvValue(s, raw);
    if (!value.ok()) return value.error();
    values[s.key] = *value;
    origin[s.key] = s.env;
  }
  for (const auto& s : Settings()) {
    auto it = values.find(s.key);
    if (it == values.end()) continue;
    if (std::string(s.key) == "listen") {
      auto listen = ParseListen(it->second.get<std::string>());
      if (!listen.ok()) return MakeError(ErrorCode::kInvalidArgument, origin[s.key] + ": " + listen.error().message);
      config.listen_host = listen->first;
      config.listen_port = listen->second;
    } else {
      s.set(config, it->second);
    }
  }
  auto positive = [&](const char* key, int64_t v) -> Result<void> {
    if (v > 0) return {};
    std::string where = origin.count(key) ? origin[key] : key;
    return MakeError(ErrorCode::kInvalidArgument, where + " must be greater than 0");
  };
  for (auto check : {positive("max_body_bytes", config.max_body_bytes),
                     positive("http_threads", config.http_threads),
                     positive("writer_max_batch", config.writer_max_batch),
                     positive("keep_alive_max_count", config.keep_alive_max_count),
                     positive("keep_alive_timeout_s", config.keep_alive_timeout_s)}) {
    if (!check.ok()) return check.error();
  }
  if (config.log_level != "debug" && config.log_level != "info" && config.log_level != "warn" &&
      config.log_level != "error") {
    return MakeError(ErrorCode::kInvalidArgument, "log_level must be debug, info, warn or error");
  }

  auto& wa = config.whatsapp;
  auto& tg = config.telegram;
  auto& tw = config.twilio;
  for (auto check :
       {CheckChannel("whatsapp", wa.enabled,
                     {{"LOKET_WHATSAPP_APP_SECRET", &wa.app_secret},
                      {"LOKET_WHATSAPP_VERIFY_TOKEN", &wa.verify_token},
                      {"LOKET_WHATSAPP_TOKEN", &wa.token},
                      {"LOKET_WHATSAPP_PHONE_NUMBER_ID", &wa.phone_number_id}},
                     config.disabled_channels),
        CheckChannel("telegram", tg.enabled,
                     {{"LOKET_TELEGRAM_SECRET", &tg.secret}, {"LOKET_TELEGRAM_TOKEN", &tg.token}},
                     config.disabled_channels),
        CheckChannel("twilio", tw.enabled,
                     {{"LOKET_TWILIO_ACCOUNT_SID", &tw.account_sid},
                      {"LOKET_TWILIO_AUTH_TOKEN", &tw.auth_token},
                      {"LOKET_TWILIO_FROM", &tw.from}},
                     config.disabled_channels)}) {
    if (!check.ok()) return check.error();
  }
  if (tw.enabled && config.public_url.empty()) {
    return MakeError(ErrorCode::kInvalidArgument,
                     "channel twilio is enabled but LOKET_PUBLIC_URL is not set (needed to check signatures)");
  }
  return config;
}

}  // namespace core
