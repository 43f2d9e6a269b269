#pragma once

#include <cstdint>
#include <ctime>
#include <string>

namespace core {

// Formats milliseconds since the epoch as UTC with a strftime pattern ("%Y-%m-%d").
inline std::string FormatUtc(int64_t ms, const char* pattern) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  size_t n = std::strftime(buf, sizeof buf, pattern, &tm);
  return std::string(buf, n);
}

}  // namespace core
