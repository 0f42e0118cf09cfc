// Quiet hours in the runner's local time: across midnight, windows inside one day, the eat-now exception,
// and across real daylight-saving changes (Europe/London, America/New_York from the system's tzdata).
#include "handlers/plans/quiet_hours.hpp"

#include <gtest/gtest.h>

#include <set>

#include "texts_fixture.hpp"

namespace {

using rb::quiet_hours;
using rb::testing::system_zone;
using rb::testing::utc_ms;
using std::chrono::hours;
using std::chrono::milliseconds;
using std::chrono::minutes;

const quiet_hours night{22 * 60, 7 * 60};

milliseconds shifted(std::int64_t now, milliseconds offset, const rb::zone_rules& zone, std::string_view kind = "roll",
                     std::optional<quiet_hours> quiet = night) {
    return rb::shift_for_quiet_hours(now, offset, zone, quiet, kind);
}

TEST(QuietHours, ReminderLateInTheEveningWaitsUntilSevenNextMorning) {
    const auto london = system_zone("Europe/London");
    const std::int64_t now = utc_ms(2024, 1, 10, 21, 30);  // 21:30 GMT
    EXPECT_EQ(shifted(now, hours(1), london), hours(9) + minutes(30));
}

TEST(QuietHours, ReminderAfterMidnightWaitsUntilSevenThatMorning) {
    const auto london = system_zone("Europe/London");
    const std::int64_t now = utc_ms(2024, 1, 10, 23, 0);
    EXPECT_EQ(shifted(now, hours(3), london), hours(8));  // 02:00 -> 07:00
}

TEST(QuietHours, ReminderOutsideTheWindowIsUntouched) {
    const auto london = system_zone("Europe/London");
    const std::int64_t now = utc_ms(2024, 1, 10, 12, 0);
    EXPECT_EQ(shifted(now, hours(2), london), hours(2));
    EXPECT_EQ(shifted(utc_ms(2024, 1, 10, 6, 0), hours(1), london), hours(1));  // 07:00 is the end, not inside
}

TEST(QuietHours, EatNowNeverMovesAndOffMeansOff) {
    const auto london = system_zone("Europe/London");
    const std::int64_t now = utc_ms(2024, 1, 10, 23, 0);
    EXPECT_EQ(shifted(now, minutes(1), london, "eat"), minutes(1));
    EXPECT_EQ(shifted(now, hours(1), london, "roll", std::nullopt), hours(1));
}

TEST(QuietHours, WindowWithinOneDayEndsTheSameDay) {
    const auto utc = rb::zone_rules{};
    const std::int64_t now = utc_ms(2024, 5, 1, 12, 0);
    EXPECT_EQ(shifted(now, hours(2), utc, "roll", quiet_hours{13 * 60, 15 * 60}), hours(3));
    EXPECT_EQ(shifted(now, minutes(30), utc, "roll", quiet_hours{13 * 60, 15 * 60}), minutes(30));
}

TEST(QuietHours, UsesLocalTimeNotUtc) {
    const auto ny = system_zone("America/New_York");
    // 03:00 UTC is 22:00 in New York (EST): quiet there although it is the middle of the night in UTC terms.
    const std::int64_t now = utc_ms(2024, 1, 11, 2, 0);  // 21:00 EST
    EXPECT_EQ(shifted(now, hours(1), ny), hours(10));    // until 07:00 EST = 12:00 UTC
}

// The morning spread: whole minutes in [0, 20), the same for the same moment, and every value in use across the
// moments runners send at, so one zone's held reminders fall due over twenty minutes, not at one instant. It is
// added only to what quiet hours moved.
TEST(QuietHours, HeldRemindersAreSpreadOverTheFirstTwentyMinutesAfterTheEnd) {
    std::set<long> seen;
    const std::int64_t base = utc_ms(2024, 1, 10, 21, 0);
    for (std::int64_t ms = 0; ms < 2000; ++ms) {
        const auto spread = rb::morning_spread(base + ms * 37);
        ASSERT_GE(spread.count(), 0);
        ASSERT_LT(spread.count(), rb::morning_spread_minutes);
        EXPECT_EQ(spread, rb::morning_spread(base + ms * 37));
        seen.insert(static_cast<long>(spread.count()));
    }
    EXPECT_EQ(seen.size(), static_cast<std::size_t>(rb::morning_spread_minutes));
    const auto london = system_zone("Europe/London");
    const std::int64_t now = utc_ms(2024, 1, 10, 23, 0);
    EXPECT_EQ(rb::shift_for_quiet_hours(now, hours(3), london, night, "roll", minutes(13)), hours(8) + minutes(13));
    EXPECT_EQ(rb::shift_for_quiet_hours(utc_ms(2024, 1, 10, 12, 0), hours(2), london, night, "roll", minutes(13)),
              hours(2));  // not held: not spread
}

TEST(QuietHours, SpringForwardNightEndsAtSevenSummerTime) {
    const auto london = system_zone("Europe/London");
    // Sat 2024-03-30 23:00 GMT; clocks go forward at 01:00 UTC. 07:00 BST is 06:00 UTC: 7 h, not 8.
    const std::int64_t now = utc_ms(2024, 3, 30, 23, 0);
    EXPECT_EQ(shifted(now, hours(2), london), hours(7));
}

TEST(QuietHours, FallBackNightEndsAtSevenWinterTime) {
    const auto london = system_zone("Europe/London");
    // Sat 2024-10-26 23:00 BST (22:00 UTC); clocks go back at 01:00 UTC. 07:00 GMT is 07:00 UTC: 9 h.
    const std::int64_t now = utc_ms(2024, 10, 26, 22, 0);
    EXPECT_EQ(shifted(now, hours(2), london), hours(9));
}

TEST(QuietHours, NewYorkSpringForwardShortensTheNight) {
    const auto ny = system_zone("America/New_York");
    // Sat 2024-03-09 23:00 EST = 04:00 UTC; 07:00 EDT on the 10th = 11:00 UTC.
    const std::int64_t now = utc_ms(2024, 3, 10, 4, 0);
    EXPECT_EQ(shifted(now, hours(1), ny), hours(7));
}

TEST(QuietWindow, ParsesAndFormatsHoursAndMinutes) {
    EXPECT_EQ(rb::parse_quiet_window("22:00-07:00"), (quiet_hours{22 * 60, 7 * 60}));
    EXPECT_EQ(rb::parse_quiet_window("7:30-9:05"), (quiet_hours{7 * 60 + 30, 9 * 60 + 5}));
    EXPECT_EQ(rb::format_quiet_window(quiet_hours{22 * 60 + 30, 6 * 60}), "22:30-06:00");
}

TEST(QuietWindow, RejectsImpossibleTimes) {
    for (const char* bad : {"", "22:00", "24:00-07:00", "22:60-07:00", "22:00-22:00", "ten-six", "22:00-07:00x",
                            "-1:00-07:00", "22:0-07:00"}) {
        EXPECT_FALSE(rb::parse_quiet_window(bad)) << bad;
    }
}

TEST(QuietWindow, MembershipExcludesTheEnd) {
    EXPECT_TRUE(rb::in_quiet_window(22 * 60, night));
    EXPECT_TRUE(rb::in_quiet_window(3 * 60, night));
    EXPECT_FALSE(rb::in_quiet_window(7 * 60, night));
    EXPECT_FALSE(rb::in_quiet_window(12 * 60, quiet_hours{600, 600}));
}

}  // namespace
