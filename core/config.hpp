#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "core/result.hpp"

namespace core {

struct WhatsAppConfig {
  std::string app_secret, verify_token, token, phone_number_id;
  std::string api_base = "https://graph.facebook.com/v21.0";
  bool enabled = false;
};

struct TelegramConfig {
  std::string secret, token;
  std::string api_base = "https://api.telegram.org";
  bool enabled = false;
};

struct TwilioConfig {
  std::string account_sid, auth_token, from;
  std::string api_base = "https://api.twilio.com";
  bool enabled = false;
};

// Everything Loket reads at start-up. Built by LoadConfig from a JSON file and LOKET_* environment
// variables (the environment wins). Plain data; copy freely.
struct Config {
  std::string db_path = "./var/loket.db";
  std::string listen_host = "127.0.0.1";
  int listen_port = 8080;
  std::string public_url;
  std::string content_dir = "./content";
  std::string web_dir = "./web";
  std::string data_key_file;
  std::string data_key;
  std::string report_routing_file;  // empty = the built-in rules
  int64_t max_body_bytes = 256 * 1024;
  int http_threads = 128;
  int keep_alive_max_count = 1000;
  int keep_alive_timeout_s = 5;
  int writer_max_batch = 1024;
  std::string log_level = "info";
  bool demo = false;
  WhatsAppConfig whatsapp;
  TelegramConfig telegram;
  TwilioConfig twilio;
  // Channels left disabled because none of their secrets were given (logged at start-up).
  std::vector<std::string> disabled_channels;
};

// Looks up an environment variable; returns nullptr when unset. Injected so tests control it.
using EnvLookup = std::function<const char*(const char*)>;

// Reads `path` (may be empty: defaults only) and applies overrides from `env`.
// Fails with kInvalidArgument and a message naming the key on an unknown key, a wrong type, an
// unparseable listen address, or a channel with some but not all required secrets.
Result<Config> LoadConfig(const std::string& path, const EnvLookup& env);

// Parses "host:port" (port 0 = any free port).
Result<std::pair<std::string, int>> ParseListen(const std::string& text);

}  // namespace core
