#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>

namespace handoff {

// Whether a desk is open at `now_ms`, from its opening_hours in desks.json
// ([{"days": ["mon", …], "open": "09:00", "close": "17:00"}]), in Dutch local time
// (Europe/Amsterdam, with summer time) and closed on Dutch public holidays. Pure; thread-safe.
bool IsOpen(const nlohmann::ordered_json& opening_hours, int64_t now_ms);

// The next moment (ms) the desk opens after `now_ms`, or 0 when it never does (within 14 days).
int64_t NextOpening(const nlohmann::ordered_json& opening_hours, int64_t now_ms);

// Dutch public holidays: New Year, Easter Sunday and Monday, King's Day (27 April, 26 when that is a
// Sunday), Liberation Day (5 May), Ascension, Whit Sunday and Monday, Christmas and Boxing Day.
bool IsDutchPublicHoliday(int year, int month, int day);

// Minutes east of UTC for Amsterdam at `utc_ms` (60 in winter, 120 in summer).
int AmsterdamOffsetMinutes(int64_t utc_ms);

}  // namespace handoff
