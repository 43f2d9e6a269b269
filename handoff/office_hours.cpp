#include "handoff/office_hours.hpp"

#include <ctime>
#include <string>

namespace handoff {

namespace {

// Easter Sunday (Gregorian), the anonymous algorithm.
void Easter(int y, int& month, int& day) {
  int a = y % 19, b = y / 100, c = y % 100, d = b / 4, e = b % 4, f = (b + 8) / 25, g = (b - f + 1) / 3;
  int h = (19 * a + b - d - g + 15) % 30, i = c / 4, k = c % 4, l = (32 + 2 * e + 2 * i - h - k) % 7;
  int m = (a + 11 * h + 22 * l) / 451;
  month = (h + l - 7 * m + 114) / 31;
  day = ((h + l - 7 * m + 114) % 31) + 1;
}

int64_t DaysFromCivil(int y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

// Last Sunday of a month at 01:00 UTC: when EU summer time starts (March) or ends (October).
int64_t LastSundayUtcMs(int year, int month) {
  int last = month == 3 ? 31 : 31;
  int64_t days = DaysFromCivil(year, month, last);
  int weekday = static_cast<int>((days + 4) % 7);  // 1970-01-01 was a Thursday (4)
  if (weekday < 0) weekday += 7;
  days -= weekday;  // back to Sunday (0)
  return (days * 86400 + 3600) * 1000;
}

const char* kDays[] = {"sun", "mon", "tue", "wed", "thu", "fri", "sat"};

struct Local {
  int year, month, day, weekday, minutes;  // minutes since local midnight
};

Local ToLocal(int64_t utc_ms) {
  int64_t local_ms = utc_ms + static_cast<int64_t>(AmsterdamOffsetMinutes(utc_ms)) * 60000;
  std::time_t t = static_cast<std::time_t>(local_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return {tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_wday, tm.tm_hour * 60 + tm.tm_min};
}

int Minutes(const std::string& hhmm) {
  if (hhmm.size() != 5 || hhmm[2] != ':') return -1;
  return std::stoi(hhmm.substr(0, 2)) * 60 + std::stoi(hhmm.substr(3, 2));
}

}  // namespace

int AmsterdamOffsetMinutes(int64_t utc_ms) {
  std::time_t t = static_cast<std::time_t>(utc_ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  int year = tm.tm_year + 1900;
  bool summer = utc_ms >= LastSundayUtcMs(year, 3) && utc_ms < LastSundayUtcMs(year, 10);
  return summer ? 120 : 60;
}

bool IsDutchPublicHoliday(int y, int m, int d) {
  if ((m == 1 && d == 1) || (m == 12 && (d == 25 || d == 26)) || (m == 5 && d == 5)) return true;
  int64_t today = DaysFromCivil(y, m, d);
  int64_t kings = DaysFromCivil(y, 4, 27);
  if (((kings + 4) % 7 + 7) % 7 == 0) kings -= 1;  // Sunday → Saturday 26 April
  if (today == kings) return true;
  int em = 0, ed = 0;
  Easter(y, em, ed);
  int64_t easter = DaysFromCivil(y, em, ed);
  for (int offset : {0, 1, 39, 49, 50}) {
    if (today == easter + offset) return true;
  }
  return false;
}

bool IsOpen(const nlohmann::ordered_json& hours, int64_t now_ms) {
  if (!hours.is_array()) return false;
  Local l = ToLocal(now_ms);
  if (IsDutchPublicHoliday(l.year, l.month, l.day)) return false;
  for (const auto& span : hours) {
    if (!span.is_object()) continue;
    bool today = false;
    for (const auto& d : span.value("days", nlohmann::ordered_json::array())) today = today || d == kDays[l.weekday];
    int open = Minutes(span.value("open", "")), close = Minutes(span.value("close", ""));
    if (today && open >= 0 && close > open && l.minutes >= open && l.minutes < close) return true;
  }
  return false;
}

int64_t NextOpening(const nlohmann::ordered_json& hours, int64_t now_ms) {
  // Step in 15-minute increments: simple and exact enough for telling people when staff are back.
  int64_t t = now_ms - now_ms % (15 * 60000) + 15 * 60000;
  for (int i = 0; i < 14 * 24 * 4; ++i, t += 15 * 60000) {
    if (IsOpen(hours, t)) return t;
  }
  return 0;
}

}  // namespace handoff
