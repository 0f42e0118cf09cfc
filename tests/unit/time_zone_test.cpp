// Offsets from the system's real zone files (through cctz), the POSIX footer rule past the last transition,
// local <-> UTC conversion through gaps and overlaps, and the catalog's name look-up.
#include "handlers/time/time_zone.hpp"

#include <gtest/gtest.h>

#include "texts_fixture.hpp"

namespace {

using rb::testing::system_zone;
using rb::testing::utc_ms;
using std::chrono::hours;
using std::chrono::minutes;
using std::chrono::seconds;

TEST(TimeZone, LondonIsGmtInWinterAndBstInSummer) {
    const auto london = system_zone("Europe/London");
    EXPECT_EQ(london.offset_at(utc_ms(2024, 1, 15, 12)), seconds(0));
    EXPECT_EQ(london.offset_at(utc_ms(2024, 7, 15, 12)), hours(1));
}

TEST(TimeZone, NewYorkChangesAtTwoLocalOnTheSecondSundayOfMarch) {
    const auto ny = system_zone("America/New_York");
    EXPECT_EQ(ny.offset_at(utc_ms(2024, 3, 10, 7) - 1000), hours(-5));
    EXPECT_EQ(ny.offset_at(utc_ms(2024, 3, 10, 7)), hours(-4));
}

TEST(TimeZone, FooterRuleDecidesPastTheLastTransition) {
    const auto london = system_zone("Europe/London");
    EXPECT_EQ(london.offset_at(utc_ms(2100, 7, 1, 12)), hours(1));
    EXPECT_EQ(london.offset_at(utc_ms(2100, 12, 1, 12)), seconds(0));
    const auto sydney = system_zone("Australia/Sydney");
    EXPECT_EQ(sydney.offset_at(utc_ms(2100, 1, 10, 0)), hours(11));
    EXPECT_EQ(sydney.offset_at(utc_ms(2100, 7, 10, 0)), hours(10));
}

TEST(TimeZone, HalfHourZoneKeepsItsMinutes) {
    EXPECT_EQ(system_zone("Asia/Kolkata").offset_at(utc_ms(2024, 5, 1, 0)), hours(5) + minutes(30));
}

TEST(TimeZone, UtcAndFixedOffsetsNeverChange) {
    const auto utc = system_zone("UTC");
    EXPECT_EQ(utc.offset_at(utc_ms(2024, 6, 1, 0)), seconds(0));
    EXPECT_EQ(rb::zone_rules{}.offset_at(utc_ms(2024, 6, 1, 0)), seconds(0));
    const auto plus_five_thirty = rb::zone_rules::fixed(5 * 3600 + 30 * 60);
    EXPECT_EQ(plus_five_thirty.offset_at(utc_ms(1990, 1, 1, 0)), hours(5) + minutes(30));
    EXPECT_EQ(plus_five_thirty.offset_at(utc_ms(2090, 7, 1, 0)), hours(5) + minutes(30));
}

TEST(LocalTime, MillisecondsAndInstantsBeforeTheEpochRoundTrip) {
    const auto sao_paulo = system_zone("America/Sao_Paulo");
    for (const std::int64_t at : {utc_ms(2024, 7, 1, 11) + 123, utc_ms(1969, 12, 31, 23, 59) + 999, std::int64_t{-1}}) {
        EXPECT_EQ(rb::from_local_ms(sao_paulo, rb::to_local_ms(sao_paulo, at)), at) << at;
    }
}

TEST(LocalTime, GapPushesWallTimeForwardAndOverlapPicksEarlierInstant) {
    const auto london = system_zone("Europe/London");
    // 2024-03-31 01:30 local does not exist (01:00 GMT -> 02:00 BST): it is 02:30 BST = 01:30 UTC.
    EXPECT_EQ(rb::from_local_ms(london, utc_ms(2024, 3, 31, 1, 30)), utc_ms(2024, 3, 31, 1, 30));
    // 2024-10-27 01:30 local happens twice; the first is 00:30 UTC (BST).
    EXPECT_EQ(rb::from_local_ms(london, utc_ms(2024, 10, 27, 1, 30)), utc_ms(2024, 10, 27, 0, 30));
    // An ordinary summer time round-trips.
    const std::int64_t noon = utc_ms(2024, 7, 1, 11);
    EXPECT_EQ(rb::from_local_ms(london, rb::to_local_ms(london, noon)), noon);
}

TEST(ZoneCatalog, FindsExactNamesAndCanonicalisesCase) {
    const auto& zones = rb::testing::zones();
    EXPECT_NE(zones.find("Europe/London"), nullptr);
    EXPECT_EQ(zones.find("europe/london"), nullptr);
    EXPECT_EQ(zones.canonical_name("europe/LONDON"), "Europe/London");
    EXPECT_FALSE(zones.canonical_name("Mars/Olympus_Mons"));
}

}  // namespace
