#pragma once

#include <httplib.h>

#include <nlohmann/json.hpp>
#include <string>

namespace fakes {

// A person using the web-chat API over real HTTP: keeps the session token, remembers the last
// replies, and can tap a choice by its id prefix.
class ChatClient {
 public:
  explicit ChatClient(int port) : client_("127.0.0.1", port) { client_.set_read_timeout(60, 0); }

  // Sends {"text": text} (plus lang when given); returns the response body (empty object on error).
  nlohmann::json Say(const std::string& text, const std::string& lang = "") {
    nlohmann::json body = {{"text", text}};
    if (!lang.empty()) body["lang"] = lang;
    return Post(body);
  }
  nlohmann::json Tap(const std::string& choice_id) { return Post({{"choice", choice_id}}); }

  // The id of the first offered choice (in the last response) starting with `prefix`, or "".
  std::string ChoiceStarting(const std::string& prefix) const {
    for (const auto& r : last_.value("replies", nlohmann::json::array())) {
      for (const auto& c : r.value("choices", nlohmann::json::array())) {
        if (c.value("id", "").rfind(prefix, 0) == 0) return c["id"];
      }
    }
    return "";
  }
  // All reply texts of the last response joined with newlines.
  std::string Text() const {
    std::string out;
    for (const auto& r : last_.value("replies", nlohmann::json::array())) out += r.value("text", "") + "\n";
    return out;
  }
  const nlohmann::json& last() const { return last_; }
  const std::string& session() const { return session_; }
  int status() const { return status_; }

 private:
  nlohmann::json Post(const nlohmann::json& body) {
    httplib::Headers headers;
    if (!session_.empty()) headers.emplace("X-Loket-Session", session_);
    auto r = client_.Post("/api/v1/chat", headers, body.dump(), "application/json");
    status_ = r ? r->status : 0;
    last_ = r ? nlohmann::json::parse(r->body, nullptr, false) : nlohmann::json::object();
    if (last_.is_discarded()) last_ = nlohmann::json::object();
    if (last_.contains("session")) session_ = last_["session"];
    return last_;
  }

  httplib::Client client_;
  std::string session_;
  nlohmann::json last_;
  int status_ = 0;
};

}  // namespace fakes
