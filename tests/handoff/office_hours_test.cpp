#include <catch2/catch.hpp>

#include "handoff/office_hours.hpp"

namespace {

// Milliseconds for a UTC date and time.
int64_t Utc(int y, int m, int d, int hh, int mm) {
  std::tm tm{};
  tm.tm_year = y - 1900;
  tm.tm_mon = m - 1;
  tm.tm_mday = d;
  tm.tm_hour = hh;
  tm.tm_min = mm;
  return static_cast<int64_t>(timegm(&tm)) * 1000;
}

const nlohmann::ordered_json kWeekdays =
    nlohmann::ordered_json::parse(R"([{"days":["mon","tue","wed","thu","fri"],"open":"09:00","close":"17:00"}])");

}  // namespace

TEST_CASE("Dutch public holidays, including the moving ones", "[handoff][office-hours]") {
  CHECK(handoff::IsDutchPublicHoliday(2026, 1, 1));
  CHECK(handoff::IsDutchPublicHoliday(2026, 4, 5));    // Easter Sunday 2026
  CHECK(handoff::IsDutchPublicHoliday(2026, 4, 6));    // Easter Monday
  CHECK(handoff::IsDutchPublicHoliday(2026, 4, 27));   // King's Day
  CHECK(handoff::IsDutchPublicHoliday(2025, 4, 26));   // 27 April 2025 is a Sunday: Saturday instead
  CHECK_FALSE(handoff::IsDutchPublicHoliday(2025, 4, 27));
  CHECK(handoff::IsDutchPublicHoliday(2026, 5, 14));   // Ascension
  CHECK(handoff::IsDutchPublicHoliday(2026, 5, 25));   // Whit Monday
  CHECK(handoff::IsDutchPublicHoliday(2026, 12, 26));
  CHECK_FALSE(handoff::IsDutchPublicHoliday(2026, 11, 24));
}

TEST_CASE("desks are open in Dutch local time, summer and winter, not on holidays", "[handoff][office-hours]") {
  CHECK(handoff::AmsterdamOffsetMinutes(Utc(2026, 1, 15, 12, 0)) == 60);
  CHECK(handoff::AmsterdamOffsetMinutes(Utc(2026, 7, 15, 12, 0)) == 120);
  // Tuesday 24 November 2026, 08:30 UTC = 09:30 in Amsterdam.
  CHECK(handoff::IsOpen(kWeekdays, Utc(2026, 11, 24, 8, 30)));
  CHECK_FALSE(handoff::IsOpen(kWeekdays, Utc(2026, 11, 24, 7, 30)));   // 08:30 local
  CHECK_FALSE(handoff::IsOpen(kWeekdays, Utc(2026, 11, 28, 10, 0)));   // Saturday
  // Wednesday 15 July 2026, 07:30 UTC = 09:30 summer time.
  CHECK(handoff::IsOpen(kWeekdays, Utc(2026, 7, 15, 7, 30)));
  CHECK_FALSE(handoff::IsOpen(kWeekdays, Utc(2026, 4, 27, 10, 0)));    // King's Day, a Monday
  // Friday evening → Monday 09:00 local.
  CHECK(handoff::NextOpening(kWeekdays, Utc(2026, 11, 27, 18, 0)) == Utc(2026, 11, 30, 8, 0));
}
