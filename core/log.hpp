#pragma once

#include <nlohmann/json_fwd.hpp>
#include <string_view>

namespace core {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3 };

// Structured logging: one JSON object per line on stderr. Callers pass ids and counts, never
// message text, phone numbers or other personal data. Thread-safe.
void SetLogLevel(LogLevel level);
void Log(LogLevel level, std::string_view event, const nlohmann::json& fields);
void LogInfo(std::string_view event, const nlohmann::json& fields);
void LogWarn(std::string_view event, const nlohmann::json& fields);
void LogError(std::string_view event, const nlohmann::json& fields);

}  // namespace core
