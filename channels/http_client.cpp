#include "channels/http_client.hpp"

#include <httplib.h>

namespace channels {

core::Result<HttpResponse> HttplibClient::Post(const std::string& url, const std::map<std::string, std::string>& headers,
                                               const std::string& body, const std::string& content_type) {
  // Split "scheme://host[:port]/path".
  auto scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return core::MakeError(core::ErrorCode::kInvalidArgument, "bad URL " + url);
  auto path_start = url.find('/', scheme_end + 3);
  std::string origin = url.substr(0, path_start);
  std::string path = path_start == std::string::npos ? "/" : url.substr(path_start);
  httplib::Client client(origin);
  client.set_connection_timeout(5, 0);
  client.set_read_timeout(15, 0);
  client.set_write_timeout(15, 0);
  httplib::Headers h;
  for (const auto& [k, v] : headers) h.emplace(k, v);
  auto r = client.Post(path, h, body, content_type);
  if (!r) return core::MakeError(core::ErrorCode::kUnavailable, "network error: " + httplib::to_string(r.error()));
  HttpResponse out;
  out.status = r->status;
  out.body = r->body;
  for (const auto& [k, v] : r->headers) {
    std::string lower;
    for (char c : k) lower.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    out.headers[lower] = v;
  }
  return out;
}

}  // namespace channels
