#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "core/message.hpp"
#include "core/result.hpp"

namespace channels {

// An incoming webhook call, independent of the HTTP library (so channel tests need no server).
struct WebhookRequest {
  std::string method;
  std::string path;                              // "/webhooks/twilio"
  std::string query;                             // raw query string without '?'
  std::map<std::string, std::string> headers;    // names lower-case
  std::multimap<std::string, std::string> params;  // decoded query parameters
  std::string body;                              // raw bytes, exactly as received
  std::string public_url;                        // LOKET_PUBLIC_URL, for signatures over the URL
  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? "" : it->second;
  }
};

// A delivery or read receipt, or "the person blocked us": recorded, never a message.
struct StatusEvent {
  std::string provider_message_id;
  std::string status;  // sent | delivered | read | failed | blocked | ...
  std::string error;
};

struct ParseResult {
  std::vector<core::InboundMessage> messages;
  std::vector<StatusEvent> statuses;
};

// A provider's answer to an HTTP call. Plain data.
struct HttpResponse {
  int status = 0;
  std::string body;
  std::map<std::string, std::string> headers;  // names lower-case
};

// Outbound HTTP to providers. Real implementation: HttplibClient (channels/http_client.hpp);
// tests point the providers' API bases at a fake server on loopback.
class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Network failures are kUnavailable; any HTTP status is a successful call.
  virtual core::Result<HttpResponse> Post(const std::string& url, const std::map<std::string, std::string>& headers,
                                          const std::string& body, const std::string& content_type) = 0;
};

// The outcome of sending one reply.
struct SendResult {
  enum class Kind { kSent, kRetry, kPermanent } kind = Kind::kSent;
  std::string error;           // provider code and message, no text of the person
  int64_t retry_after_ms = 0;  // from Retry-After / retry_after, 0 when not given
};

// One messaging provider: checks a webhook's authenticity, turns its body into neutral messages,
// renders a neutral reply within the platform's limits and sends it. Implementations are
// immutable after construction and thread-safe.
class Channel {
 public:
  virtual ~Channel() = default;
  virtual std::string Name() const = 0;
  // OK, or kUnauthenticated (missing credentials) / kPermissionDenied (wrong signature). Runs on
  // the raw body before anything is parsed; comparisons are constant-time.
  virtual core::Result<void> Verify(const WebhookRequest& request) const = 0;
  // kInvalidArgument for a malformed body.
  virtual core::Result<ParseResult> Parse(const WebhookRequest& request) const = 0;
  // The provider request bodies that carry `reply` (more than one when it must be split).
  virtual std::vector<std::string> Render(const core::Reply& reply) const = 0;
  // Sends `reply` to `address` (all its parts, in order).
  virtual SendResult Send(HttpClient& http, const std::string& address, const core::Reply& reply) const = 0;
};

// The locale suggested by a phone number's country code ("48601234567", "+40…", "whatsapp:+359…");
// empty when unknown.
std::string LanguageFromPhone(const std::string& phone);

// Constant-time comparison of two secrets (false for different lengths).
bool SecretsEqual(const std::string& a, const std::string& b);

// HMAC over `message` with `key`: "sha256" or "sha1"; raw bytes.
std::string Hmac(const std::string& algorithm, const std::string& key, const std::string& message);
std::string Hex(const std::string& bytes);
std::string Base64(const std::string& bytes);

// Splits text into parts of at most `max_chars` code points, at paragraph, then sentence, then word
// boundaries.
std::vector<std::string> SplitText(const std::string& text, size_t max_chars);

// Classifies an HTTP answer: 2xx sent, 429/5xx retry (with Retry-After), other 4xx permanent.
SendResult ClassifyHttp(const HttpResponse& response);

}  // namespace channels
