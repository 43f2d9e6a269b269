#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/result.hpp"
#include "store/database.hpp"

namespace store {

// A conversation with one person on one channel. Plain data.
struct Conversation {
  int64_t id = 0;
  std::string channel;
  std::string address;
  std::string lang;
  std::string lang_source;
  std::string mode = "bot";  // bot | queued | human
  std::string state = "{}";  // engine state, JSON
  std::string profile = "{}";
  int64_t created_ms = 0;
  int64_t updated_ms = 0;
  int64_t last_inbound_ms = 0;
};

// Repository functions for conversations. Each runs on the connection it is given: writes inside a
// Store::Write job, reads inside Store::Read.
namespace conversations {

// Returns the conversation of (channel, address), or kNotFound.
core::Result<Conversation> Find(Database& db, const std::string& channel, const std::string& address);
core::Result<Conversation> Get(Database& db, int64_t id);
// Inserts a new conversation; fills in `id`. kConflict when (channel, address) exists.
core::Result<void> Create(Database& db, Conversation& conversation);
// Stores lang, lang_source, mode, state, profile, updated_ms and last_inbound_ms.
core::Result<void> Update(Database& db, const Conversation& conversation);
// Erases the conversation with its messages and outbox rows.
core::Result<void> Delete(Database& db, int64_t id);

}  // namespace conversations
}  // namespace store
