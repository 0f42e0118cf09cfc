// settings_store and update_log against a real server: defaults, round trips, lenient parsing, forget and
// deactivate (atomically with the reminders), de-duplication and the capped dead-letter list.
#include <nlohmann/json.hpp>

#include "storage/reminder_store.hpp"
#include "storage/settings_store.hpp"
#include "storage/update_log.hpp"
#include "tests/integration/redis_fixture.hpp"

namespace rb::test {
namespace {

using settings_test = redis_test;
using update_log_test = redis_test;

TEST_F(settings_test, LoadGivesDefaultsWhenNothingIsStored) {
    settings_store store(*redis_, "s:");
    EXPECT_EQ(sync(store.load(1)), chat_settings{});
}

TEST_F(settings_test, SaveAndLoadRoundTrip) {
    settings_store store(*redis_, "s:");
    chat_settings s;
    s.units = distance_unit::mi;
    s.units_set = true;
    s.time_zone = "America/New_York";
    s.quiet = quiet_hours{23 * 60, 6 * 60 + 30};
    s.weight_kg = 71.5;
    s.active = false;
    s.language = "de";
    sync(store.save(2, s));
    EXPECT_EQ(sync(store.load(2)), s);

    s.quiet.reset();
    s.weight_kg.reset();
    sync(store.save(2, s));
    EXPECT_EQ(sync(store.load(2)), s);
    EXPECT_EQ(cmd({"HEXISTS", "s:settings:2", "weight_kg"}).as_integer(), 0);
}

TEST_F(settings_test, UnparsableFieldsKeepTheirDefaults) {
    settings_store store(*redis_, "s:");
    cmd({"HSET", "s:settings:3", "units", "furlongs", "quiet", "late", "weight_kg", "heavy", "future_field", "x",
         "lang", "fr"});
    auto s = sync(store.load(3));
    chat_settings expected;
    expected.language = "fr";
    EXPECT_EQ(s, expected);
}

TEST_F(settings_test, ForgetDropsSettingsAndReminders) {
    settings_store settings(*redis_, "s:");
    reminder_store reminders(*redis_, "s:");
    sync(settings.save(4, chat_settings{}));
    sync(reminders.schedule({4, 4, "r", {{"eat", 0ms, "eat"}, {"ice", 1h, "ice"}}}));
    sync(reminders.schedule({5, 5, "r", {{"eat", 0ms, "eat"}}}));
    sync(settings.forget(4));
    EXPECT_EQ(cmd({"EXISTS", "s:settings:4"}).as_integer(), 0);
    EXPECT_TRUE(sync(reminders.list_for_owner(4)).empty());
    EXPECT_EQ(cmd({"ZCARD", "s:due"}).as_integer(), 1);
}

TEST_F(settings_test, DeactivateKeepsSettingsButCancelsReminders) {
    settings_store settings(*redis_, "s:");
    reminder_store reminders(*redis_, "s:");
    chat_settings s;
    s.language = "es";
    sync(settings.save(6, s));
    sync(reminders.schedule({6, 6, "r", {{"eat", 0ms, "eat"}}}));
    sync(settings.deactivate(6));
    auto after = sync(settings.load(6));
    EXPECT_FALSE(after.active);
    EXPECT_EQ(after.language, "es");
    EXPECT_TRUE(sync(reminders.list_for_owner(6)).empty());
    sync(settings.deactivate(7));  // nothing stored: still marked inactive
    EXPECT_FALSE(sync(settings.load(7)).active);
}

TEST_F(update_log_test, ClaimIsTrueOnlyTheFirstTimeAndExpiresInADay) {
    update_log log(*redis_, "u:");
    EXPECT_TRUE(sync(log.claim(1001)));
    EXPECT_FALSE(sync(log.claim(1001)));
    auto ttl = cmd({"TTL", "u:seen:1001"}).as_integer();
    EXPECT_GT(ttl, 86000);
    EXPECT_LE(ttl, 86400);
}

TEST_F(update_log_test, ReleaseLetsTheResentUpdateBeHandled) {
    update_log log(*redis_, "u:");
    EXPECT_TRUE(sync(log.claim(1002)));
    sync(log.release(1002));
    EXPECT_TRUE(sync(log.claim(1002)));
}

TEST_F(update_log_test, DeadLettersAreKeptNewestFirstAndCapped) {
    update_log log(*redis_, "u:");
    sync(log.dead_letter(7, R"({"update_id":7})", "no handler"));
    sync(log.dead_letter(8, std::string("\xff\xfe not utf8", 12), "bad bytes"));
    auto first = nlohmann::json::parse(cmd({"LINDEX", "u:dead", "0"}).as_string());
    EXPECT_EQ(first["update_id"], 8);
    EXPECT_EQ(first["reason"], "bad bytes");
    auto second = nlohmann::json::parse(cmd({"LINDEX", "u:dead", "1"}).as_string());
    EXPECT_EQ(second["body"], R"({"update_id":7})");
    for (int i = 0; i < 1010; ++i) sync(log.dead_letter(i, "{}", "x"));
    EXPECT_EQ(cmd({"LLEN", "u:dead"}).as_integer(), update_log::dead_letter_cap);
}

}  // namespace
}  // namespace rb::test
