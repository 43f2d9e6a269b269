// Static files built into the binary: the demo page, the web-chat widget and the consoles.
#include <string_view>
#include <utility>
#include <vector>

#include "server/app.hpp"

namespace server {

// Generated from web/ (cmake/embed.cmake).
const std::vector<std::pair<std::string_view, std::string_view>>& EmbeddedWeb();

namespace {

std::string ContentType(std::string_view path) {
  auto ends = [&](std::string_view suffix) {
    return path.size() >= suffix.size() && path.substr(path.size() - suffix.size()) == suffix;
  };
  if (ends(".html")) return "text/html; charset=utf-8";
  if (ends(".js")) return "text/javascript; charset=utf-8";
  if (ends(".css")) return "text/css; charset=utf-8";
  if (ends(".svg")) return "image/svg+xml";
  if (ends(".json")) return "application/json";
  return "application/octet-stream";
}

}  // namespace

void App::RegisterStaticRoutes() {
  for (const auto& [name, bytes] : EmbeddedWeb()) {
    std::string file(name);
    std::string route = "/" + file;
    if (file == "index.html") route = "/";
    if (file.size() > 11 && file.substr(file.size() - 11) == "/index.html") route = "/" + file.substr(0, file.size() - 10);
    std::string body(bytes);
    std::string type = ContentType(file);
    http_->Get(route, [body, type](const httplib::Request&, httplib::Response& res) {
      res.status = 200;
      // Everything is served from here: no third-party scripts, styles, fonts or frames.
      res.set_header("Content-Security-Policy",
                     "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'self'");
      res.set_header("X-Content-Type-Options", "nosniff");
      res.set_header("Cache-Control", "no-cache");
      res.set_content(body, type);
    });
  }
  // The widget runs on other sites: its API calls are cross-origin.
  auto cors = [](const httplib::Request&, httplib::Response& res) {
    res.set_header("Access-Control-Allow-Origin", "*");
    res.set_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
    res.set_header("Access-Control-Allow-Headers", "Content-Type, X-Loket-Session");
    res.set_header("Access-Control-Max-Age", "600");
    res.status = 204;
  };
  http_->raw().Options("/api/v1/chat", cors);
  http_->raw().Options("/api/v1/chat/messages", cors);
  http_->raw().set_post_routing_handler([](const httplib::Request& req, httplib::Response& res) {
    if (req.path.rfind("/api/v1/chat", 0) == 0) {
      res.set_header("Access-Control-Allow-Origin", "*");
      res.set_header("Access-Control-Expose-Headers", "Retry-After");
    }
  });
}

}  // namespace server
