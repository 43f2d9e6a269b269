#include <catch2/catch.hpp>
#include <fstream>
#include <map>

#include "core/config.hpp"
#include "tests/fakes/temp_dir.hpp"

namespace {

core::EnvLookup EnvFrom(const std::map<std::string, std::string>& vars) {
  return [vars](const char* key) -> const char* {
    auto it = vars.find(key);
    return it == vars.end() ? nullptr : it->second.c_str();
  };
}

std::string WriteFile(const fakes::TempDir& dir, const std::string& text) {
  std::string path = dir.Path("config.json");
  std::ofstream(path) << text;
  return path;
}

}  // namespace

TEST_CASE("defaults apply when there is no file and no environment", "[core][config]") {
  auto config = core::LoadConfig("", EnvFrom({}));
  REQUIRE(config.ok());
  CHECK(config->db_path == "./var/loket.db");
  CHECK(config->listen_host == "127.0.0.1");
  CHECK(config->listen_port == 8080);
  CHECK(config->max_body_bytes == 256 * 1024);
  CHECK_FALSE(config->whatsapp.enabled);
  CHECK(config->disabled_channels.size() == 3);
}

TEST_CASE("the environment overrides the config file", "[core][config]") {
  fakes::TempDir dir;
  auto path = WriteFile(dir, R"({"db": "/tmp/a.db", "listen": "0.0.0.0:9000", "max_body_bytes": 1000})");
  auto config = core::LoadConfig(path, EnvFrom({{"LOKET_DB", "/tmp/b.db"}, {"LOKET_MAX_BODY_BYTES", "2000"}}));
  REQUIRE(config.ok());
  CHECK(config->db_path == "/tmp/b.db");
  CHECK(config->listen_host == "0.0.0.0");
  CHECK(config->listen_port == 9000);
  CHECK(config->max_body_bytes == 2000);
}

TEST_CASE("nested channel keys in the file enable a channel", "[core][config]") {
  fakes::TempDir dir;
  auto path = WriteFile(dir, R"({"telegram": {"secret": "s3cret", "token": "123:abc"}})");
  auto config = core::LoadConfig(path, EnvFrom({}));
  REQUIRE(config.ok());
  CHECK(config->telegram.enabled);
  CHECK(config->telegram.secret == "s3cret");
}

TEST_CASE("an unknown key stops start-up with a message naming it", "[core][config]") {
  fakes::TempDir dir;
  auto path = WriteFile(dir, R"({"db": "x.db", "whatsapp": {"secret": "oops"}})");
  auto config = core::LoadConfig(path, EnvFrom({}));
  REQUIRE_FALSE(config.ok());
  CHECK(config.error().code == core::ErrorCode::kInvalidArgument);
  CHECK_THAT(config.error().message, Catch::Contains("whatsapp.secret"));
}

TEST_CASE("a wrong type stops start-up with a message naming the key", "[core][config]") {
  fakes::TempDir dir;
  auto path = WriteFile(dir, R"({"max_body_bytes": "big"})");
  auto config = core::LoadConfig(path, EnvFrom({}));
  REQUIRE_FALSE(config.ok());
  CHECK_THAT(config.error().message, Catch::Contains("max_body_bytes"));

  auto env = core::LoadConfig("", EnvFrom({{"LOKET_HTTP_THREADS", "many"}}));
  REQUIRE_FALSE(env.ok());
  CHECK_THAT(env.error().message, Catch::Contains("LOKET_HTTP_THREADS"));
}

TEST_CASE("a channel with some but not all secrets names the missing one", "[core][config]") {
  auto config = core::LoadConfig("", EnvFrom({{"LOKET_WHATSAPP_APP_SECRET", "x"}, {"LOKET_WHATSAPP_TOKEN", "y"}}));
  REQUIRE_FALSE(config.ok());
  CHECK_THAT(config.error().message, Catch::Contains("LOKET_WHATSAPP_VERIFY_TOKEN"));

  auto twilio = core::LoadConfig("", EnvFrom({{"LOKET_TWILIO_ACCOUNT_SID", "AC1"},
                                             {"LOKET_TWILIO_AUTH_TOKEN", "t"},
                                             {"LOKET_TWILIO_FROM", "+31600000000"}}));
  REQUIRE_FALSE(twilio.ok());
  CHECK_THAT(twilio.error().message, Catch::Contains("LOKET_PUBLIC_URL"));
}

TEST_CASE("broken files and listen addresses are rejected clearly", "[core][config]") {
  fakes::TempDir dir;
  auto broken = core::LoadConfig(WriteFile(dir, "{not json"), EnvFrom({}));
  REQUIRE_FALSE(broken.ok());
  CHECK_THAT(broken.error().message, Catch::Contains("not a JSON object"));

  auto missing = core::LoadConfig(dir.Path("absent.json"), EnvFrom({}));
  REQUIRE_FALSE(missing.ok());
  CHECK_THAT(missing.error().message, Catch::Contains("absent.json"));

  for (const char* bad : {"8080", "host:", "host:99999", "host:8a"}) {
    auto config = core::LoadConfig("", EnvFrom({{"LOKET_LISTEN", bad}}));
    INFO(bad);
    REQUIRE_FALSE(config.ok());
    CHECK_THAT(config.error().message, Catch::Contains("LOKET_LISTEN"));
  }
  auto zero = core::LoadConfig("", EnvFrom({{"LOKET_MAX_BODY_BYTES", "0"}}));
  REQUIRE_FALSE(zero.ok());
}
