#pragma once

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include <catch2/catch.hpp>

#include "server/app.hpp"

namespace fakes {

inline constexpr const char* kTestDataKey = "MDEyMzQ1Njc4OTAxMjM0NTY3ODkwMTIzNDU2Nzg5MDE=";

// The real App serving on a loopback port in this process, on the database at `db_path`, with the
// shipped content. Stops (draining) on destruction.
class RunningApp {
 public:
  explicit RunningApp(const std::string& db_path, int64_t max_body = 256 * 1024,
                      const std::function<void(core::Config&)>& configure = {}, server::AppDeps deps = {}) {
    core::Config config;
    config.db_path = db_path;
    config.listen_port = 0;
    config.max_body_bytes = max_body;
    config.content_dir = std::string(LOKET_SOURCE_DIR) + "/content";
    config.data_key = kTestDataKey;
    if (configure) configure(config);
    auto created = server::App::Create(config, deps);
    REQUIRE(created.ok());
    app_ = std::move(*created);
    auto bound = app_->Start();
    REQUIRE(bound.ok());
    port_ = *bound;
    thread_ = std::thread([this] { app_->Serve(); });
  }
  ~RunningApp() {
    app_->Shutdown();
    thread_.join();
  }
  RunningApp(const RunningApp&) = delete;
  RunningApp& operator=(const RunningApp&) = delete;

  int port() const { return port_; }
  server::App& app() { return *app_; }

 private:
  std::unique_ptr<server::App> app_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace fakes
