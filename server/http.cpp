#include "server/http.hpp"

#include <chrono>
#include <nlohmann/json.hpp>

#include "core/log.hpp"

namespace server {

using core::ErrorCode;

int HttpStatus(ErrorCode code) {
  switch (code) {
    case ErrorCode::kInvalidArgument: return 400;
    case ErrorCode::kNotFound: return 404;
    case ErrorCode::kUnauthenticated: return 401;
    case ErrorCode::kPermissionDenied: return 403;
    case ErrorCode::kConflict: return 409;
    case ErrorCode::kUnavailable: return 503;
    case ErrorCode::kTooLarge: return 413;
    case ErrorCode::kRateLimited: return 429;
    case ErrorCode::kInternal: return 500;
  }
  return 500;
}

void WriteJson(httplib::Response& res, int status, const std::string& body) {
  res.status = status;
  res.set_content(body, "application/json; charset=utf-8");
}

void WriteError(httplib::Response& res, int status, const std::string& code, const std::string& message) {
  nlohmann::json body = {{"error", {{"code", code}, {"message", message}}}};
  WriteJson(res, status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void WriteError(httplib::Response& res, const core::Error& error) {
  int status = HttpStatus(error.code);
  if (status == 503) res.set_header("Retry-After", "1");
  WriteError(res, status, core::ErrorCodeName(error.code), error.message);
}

HttpServer::HttpServer(const core::Config& config, Metrics& metrics) : metrics_(metrics) {
  int threads = config.http_threads;
  server_.new_task_queue = [threads] { return new httplib::ThreadPool(static_cast<size_t>(threads)); };
  server_.set_payload_max_length(static_cast<size_t>(config.max_body_bytes));
  server_.set_keep_alive_max_count(static_cast<size_t>(config.keep_alive_max_count));
  server_.set_keep_alive_timeout(config.keep_alive_timeout_s);
  // Without TCP_NODELAY a response waits ~40 ms on the client's delayed ACK (Nagle).
  server_.set_tcp_nodelay(true);
  server_.set_read_timeout(10, 0);
  server_.set_write_timeout(10, 0);

  metrics_.DescribeCounter("loket_http_requests_total", "HTTP requests by route and status.");
  metrics_.DescribeHistogram("loket_http_request_seconds", "HTTP request latency by route.",
                             {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5});

  // Errors produced by the library itself (no route, body over the limit) get a JSON body too.
  server_.set_error_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (!res.body.empty()) return;
    if (res.status == 404) {
      WriteError(res, 404, "not_found", "no route for " + req.method + " " + req.path);
    } else if (res.status == 413) {
      WriteError(res, 413, "payload_too_large", "the request body is larger than the limit");
    } else if (res.status == 405) {
      WriteError(res, 405, "method_not_allowed", "method not allowed");
    } else {
      WriteError(res, res.status, "http_error", "the request could not be served");
    }
    if (res.status == 404 || res.status == 413 || res.status == 400) {
      metrics_.Count("loket_http_requests_total",
                     "route=\"unmatched\",status=\"" + std::to_string(res.status) + "\"");
    }
  });
  server_.set_exception_handler([](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
    WriteError(res, 500, "internal", "internal error");
  });
}

HttpServer::~HttpServer() { Stop(); }

Handler HttpServer::Wrap(const std::string& route, Handler handler) {
  return [this, route, handler = std::move(handler)](const httplib::Request& req, httplib::Response& res) {
    auto start = std::chrono::steady_clock::now();
    try {
      handler(req, res);
    } catch (const std::exception& e) {
      core::LogError("handler_exception", {{"route", route}, {"what", e.what()}});
      WriteError(res, 500, "internal", "internal error");
    } catch (...) {
      core::LogError("handler_exception", {{"route", route}});
      WriteError(res, 500, "internal", "internal error");
    }
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::string r = "route=\"" + LabelValue(route) + "\"";
    metrics_.Count("loket_http_requests_total", r + ",status=\"" + std::to_string(res.status) + "\"");
    metrics_.Observe("loket_http_request_seconds", r, seconds);
    if (res.status >= 500) {
      core::LogError("http_error", {{"route", route}, {"method", req.method}, {"status", res.status}});
    } else {
      core::Log(core::LogLevel::kDebug, "http",
                {{"route", route}, {"method", req.method}, {"status", res.status}, {"ms", seconds * 1000}});
    }
  };
}

void HttpServer::Get(const std::string& pattern, Handler h) { server_.Get(pattern, Wrap(pattern, std::move(h))); }
void HttpServer::Post(const std::string& pattern, Handler h) { server_.Post(pattern, Wrap(pattern, std::move(h))); }
void HttpServer::Put(const std::string& pattern, Handler h) { server_.Put(pattern, Wrap(pattern, std::move(h))); }
void HttpServer::Delete(const std::string& pattern, Handler h) {
  server_.Delete(pattern, Wrap(pattern, std::move(h)));
}

core::Result<int> HttpServer::Bind(const std::string& host, int port) {
  int bound = port == 0 ? server_.bind_to_any_port(host.c_str()) : (server_.bind_to_port(host.c_str(), port) ? port : -1);
  if (bound < 0) {
    return core::MakeError(ErrorCode::kUnavailable, "cannot listen on " + host + ":" + std::to_string(port));
  }
  return bound;
}

void HttpServer::Listen() { server_.listen_after_bind(); }

void HttpServer::Stop() {
  if (server_.is_running()) server_.stop();
}

}  // namespace server
