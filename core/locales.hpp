#pragma once

#include <array>
#include <string_view>

namespace core {

// The locales Loket serves, in the order content and catalogs list them.
inline constexpr std::array<std::string_view, 16> kLocales = {
    "nl", "en", "pl", "ro", "bg", "uk", "hu", "lt", "lv", "sk", "cs", "pt", "es", "de", "ar", "tr"};

inline bool IsLocale(std::string_view code) {
  for (auto l : kLocales) {
    if (l == code) return true;
  }
  return false;
}

}  // namespace core
