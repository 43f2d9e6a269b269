#pragma once

#include "channels/channel.hpp"

namespace channels {

// The real HttpClient: cpp-httplib with TLS, 5 s to connect, 15 s to answer. Thread-safe (a
// client per call).
class HttplibClient final : public HttpClient {
 public:
  core::Result<HttpResponse> Post(const std::string& url, const std::map<std::string, std::string>& headers,
                                  const std::string& body, const std::string& content_type) override;
};

}  // namespace channels
