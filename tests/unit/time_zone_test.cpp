// TZif parsing against the system's real zone files, the POSIX footer rule, local <-> UTC conversion
// through gaps and overlaps, and the catalog's name look-up.
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
    EXPECT_GT(london.transition_count(), 100u);
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

TEST(PosixTz, ParsesSouthernHemisphereRule) {
    const auto tz = rb::parse_posix_tz("AEST-10AEDT,M10.1.0,M4.1.0/3");
    ASSERT_TRUE(tz);
    EXPECT_EQ(tz->std_offset_s, 36000);
    EXPECT_EQ(tz->offset_at(utc_ms(2030, 1, 1, 0) / 1000), 39600);
    EXPECT_EQ(tz->offset_at(utc_ms(2030, 6, 1, 0) / 1000), 36000);
}

TEST(PosixTz, ParsesQuotedNamesAndFixedZones) {
    const auto tz = rb::parse_posix_tz("<+0530>-5:30");
    ASSERT_TRUE(tz);
    EXPECT_EQ(tz->offset_at(0), 5 * 3600 + 1800);
    EXPECT_FALSE(tz->dst_offset_s);
}

TEST(PosixTz, RejectsMalformedRules) {
    for (const char* bad : {"", "X", "EST", "EST5EDT,M13.1.0,M11.1.0", "EST5EDT,M3.2.0", "GMT0BST,M3.5.0/1,M10.5.0x"}) {
        EXPECT_FALSE(rb::parse_posix_tz(bad)) << bad;
    }
}

TEST(Tzif, RejectsBytesThatAreNotTzif) {
    EXPECT_FALSE(rb::parse_tzif(""));
    EXPECT_FALSE(rb::parse_tzif("hello, world"));
    const std::string london = rb::testing::read_file("/usr/share/zoneinfo/Europe/London");
    ASSERT_GT(london.size(), 200u);
    EXPECT_FALSE(rb::parse_tzif(london.substr(0, 100)));
    std::string broken = london;
    broken[4] = '7' + 10;  // an unknown version byte
    EXPECT_FALSE(rb::parse_tzif(broken));
}

TEST(Tzif, FixedZoneFileHasNoTransitionsAndZeroOffset) {
    const auto utc = system_zone("UTC");
    EXPECT_EQ(utc.offset_at(utc_ms(2024, 6, 1, 0)), seconds(0));
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
