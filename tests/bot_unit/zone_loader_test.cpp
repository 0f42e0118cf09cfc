// load_zone_catalog on a zoneinfo tree built in a temporary folder from the system's real TZif files: names
// come from paths, links share one load, stray files and the posix/ and right/ trees stay out, and a missing
// tree still gives UTC (the bot starts, and the start-up log says zoneinfo_missing).
#include "bot/process/zone_loader.hpp"

#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>

namespace {

namespace fs = std::filesystem;
using std::chrono::hours;
using std::chrono::seconds;

constexpr std::int64_t july_2024_ms = 1'719'835'200'000;     // 2024-07-01 12:00 UTC
constexpr std::int64_t january_2024_ms = 1'705'320'000'000;  // 2024-01-15 12:00 UTC

class ZoneLoader : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("rb-zoneinfo-" + std::to_string(::getpid()));
        fs::remove_all(dir_);
        fs::create_directories(dir_ / "Europe");
        fs::create_directories(dir_ / "posix" / "Europe");
        fs::copy_file("/usr/share/zoneinfo/Europe/London", dir_ / "Europe" / "London");
        fs::copy_file("/usr/share/zoneinfo/Australia/Sydney", dir_ / "posix" / "Europe" / "Sydney_In_Posix");
        fs::create_symlink("Europe/London", dir_ / "GB");
        std::ofstream(dir_ / "README") << "not a zone\n";
        std::ofstream(dir_ / "Europe" / "Truncated") << "TZif2";
        std::ofstream(dir_ / "zone.tab") << "GB\t+513030-0000731\tEurope/London\n";
    }
    void TearDown() override { fs::remove_all(dir_); }

    fs::path dir_;
};

TEST_F(ZoneLoader, NamesComeFromPathsAndLinksShareTheirTarget) {
    const rb::zone_catalog zones = rb::load_zone_catalog(dir_);
    const rb::zone_rules* london = zones.find("Europe/London");
    const rb::zone_rules* gb = zones.find("GB");
    ASSERT_NE(london, nullptr);
    ASSERT_NE(gb, nullptr);
    EXPECT_EQ(london->offset_at(july_2024_ms), hours(1));
    EXPECT_EQ(london->offset_at(january_2024_ms), seconds(0));
    EXPECT_EQ(*gb, *london);
    EXPECT_EQ(zones.canonical_name("europe/london"), "Europe/London");
}

TEST_F(ZoneLoader, StrayFilesAndThePosixTreeStayOut) {
    const rb::zone_catalog zones = rb::load_zone_catalog(dir_);
    EXPECT_EQ(zones.find("README"), nullptr);
    EXPECT_EQ(zones.find("Europe/Truncated"), nullptr);
    EXPECT_EQ(zones.find("zone.tab"), nullptr);
    EXPECT_EQ(zones.find("posix/Europe/Sydney_In_Posix"), nullptr);
    EXPECT_EQ(zones.size(), 3u) << "Europe/London, GB and the UTC every catalog has";
    ASSERT_NE(zones.find("UTC"), nullptr);
    EXPECT_EQ(zones.find("UTC")->offset_at(july_2024_ms), seconds(0));
}

// Rules are read on first use, once per file: a zone used before its file went keeps working, one never used is
// then unknown (find and canonical_name agree), and nothing throws.
TEST_F(ZoneLoader, ZonesAreLoadedOnFirstUse) {
    fs::copy_file("/usr/share/zoneinfo/Australia/Sydney", dir_ / "Sydney");
    const rb::zone_catalog zones = rb::load_zone_catalog(dir_);
    ASSERT_EQ(zones.size(), 4u);
    const rb::zone_rules* london = zones.find("Europe/London");
    ASSERT_NE(london, nullptr);
    fs::remove(dir_ / "Europe" / "London");
    fs::remove(dir_ / "Sydney");
    EXPECT_EQ(zones.find("GB"), london) << "a link shares its target's rules, loaded once";
    EXPECT_EQ(zones.find("Europe/London")->offset_at(july_2024_ms), hours(1));
    EXPECT_EQ(zones.find("Sydney"), nullptr);
    EXPECT_EQ(zones.canonical_name("sydney"), std::nullopt);
}

TEST_F(ZoneLoader, AMissingTreeStillGivesUtc) {
    const rb::zone_catalog zones = rb::load_zone_catalog(dir_ / "no-such-folder");
    EXPECT_EQ(zones.size(), 1u);
    EXPECT_NE(zones.find("UTC"), nullptr);
}

TEST(SystemZoneinfo, HoldsTheNamesRunnersSet) {
    const rb::zone_catalog zones = rb::load_zone_catalog();
    EXPECT_GT(zones.size(), 300u);
    for (const char* name : {"Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Sydney", "Etc/GMT+5"}) {
        EXPECT_NE(zones.find(name), nullptr) << name;
    }
}

}  // namespace
