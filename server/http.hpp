#pragma once

#include <httplib.h>

#include <functional>
#include <memory>
#include <string>

#include "core/config.hpp"
#include "core/result.hpp"
#include "server/metrics.hpp"

namespace server {

using Handler = std::function<void(const httplib::Request&, httplib::Response&)>;

// The HTTP front: cpp-httplib sized for webhook traffic (a configured thread pool and keep-alive
// limits), a body limit answered with 413, JSON error bodies for every error status, metrics by
// route and status, and one catch-all that turns an escaped exception into a 500. Thread-safe after
// Listen() starts; routes are added before.
class HttpServer {
 public:
  HttpServer(const core::Config& config, Metrics& metrics);
  ~HttpServer();

  void Get(const std::string& pattern, Handler handler);
  void Post(const std::string& pattern, Handler handler);
  void Put(const std::string& pattern, Handler handler);
  void Delete(const std::string& pattern, Handler handler);

  // Binds host:port (port 0 = any free port). Returns the bound port or kUnavailable.
  core::Result<int> Bind(const std::string& host, int port);
  // Serves until Stop(); then finishes in-flight requests and returns.
  void Listen();
  // Stops accepting connections; Listen() returns once in-flight requests are done. Thread-safe.
  void Stop();

  httplib::Server& raw() { return server_; }

 private:
  Handler Wrap(const std::string& route, Handler handler);

  httplib::Server server_;
  Metrics& metrics_;
};

// HTTP status for a protocol-neutral error code.
int HttpStatus(core::ErrorCode code);

// Writes {"error": {"code", "message"}} with the fitting status.
void WriteError(httplib::Response& res, int status, const std::string& code, const std::string& message);
void WriteError(httplib::Response& res, const core::Error& error);
void WriteJson(httplib::Response& res, int status, const std::string& body);

}  // namespace server
