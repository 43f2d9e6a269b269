#pragma once

#include <httplib.h>

#include <atomic>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace fakes {

// A messaging provider on loopback: records every call and answers 200 (or a configured number of
// failures first), so tests can check outbound bodies, auth headers, retries and order.
class FakeProvider {
 public:
  struct Call {
    std::string path, body, authorization, content_type;
  };

  FakeProvider() {
    server_.Post(R"(/.*)", [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mu_);
      if (fail_next_ > 0) {
        --fail_next_;
        res.status = 500;
        res.set_content(R"({"error":{"message":"temporarily unavailable","code":131000}})", "application/json");
        ++failures_;
        return;
      }
      calls_.push_back({req.path, req.body, req.get_header_value("Authorization"), req.get_header_value("Content-Type")});
      res.status = 200;
      res.set_content(R"({"ok":true,"messages":[{"id":"wamid.OUT"}],"sid":"SM1"})", "application/json");
    });
    port_ = server_.bind_to_any_port("127.0.0.1");
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~FakeProvider() {
    server_.stop();
    thread_.join();
  }
  std::string base() const { return "http://127.0.0.1:" + std::to_string(port_); }
  void FailNext(int n) {
    std::lock_guard<std::mutex> lock(mu_);
    fail_next_ = n;
  }
  std::vector<Call> calls() {
    std::lock_guard<std::mutex> lock(mu_);
    return calls_;
  }
  int failures() {
    std::lock_guard<std::mutex> lock(mu_);
    return failures_;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mu_;
  std::vector<Call> calls_;
  int fail_next_ = 0;
  int failures_ = 0;
};

}  // namespace fakes
