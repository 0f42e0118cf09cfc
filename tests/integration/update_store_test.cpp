// update_store against a real server: the one-pipeline read, the one-script commit (exactly once with its update
// id, all or nothing, one owner only), settings, /stop and a block, the outbox, quarantine of unreadable records,
// permanent versus transient faults, and the dead-letter list capped in count and bytes.
#include <nlohmann/json.hpp>

#include "tests/integration/store_fixture.hpp"

namespace rb::test {
namespace {

class update_store_test : public store_test {
protected:
    update_store_test() : store_test("u:") {}

    commit_result commit(std::int64_t owner, std::vector<action> actions, std::optional<std::int64_t> update_id,
                         std::vector<outbound_entry> outbox = {}) {
        return sync(updates_->commit(update_id, owner, actions, outbox));
    }
};

TEST_F(update_store_test, LoadGivesDefaultsAndRedisTimeWhenNothingIsStored) {
    const auto before = sync(store_->now_ms());
    auto s = load(1, 77);
    EXPECT_FALSE(s.seen);
    EXPECT_EQ(s.settings, chat_settings{});
    EXPECT_TRUE(s.pending.empty());
    EXPECT_EQ(s.plan_basis, "");
    EXPECT_GE(s.now_ms, before);
    EXPECT_LT(s.now_ms, before + 5000);
}

TEST_F(update_store_test, ACommitIsAppliedOnceAndItsUpdateMarkedSeenForADay) {
    schedule_plan plan{9, 9, "r", {ping("eat", 0ms), ping("roll", 1h)}};
    auto first = commit(9, {plan}, 1001);
    EXPECT_EQ(first.status, commit_status::applied);
    ASSERT_TRUE(first.earliest_due_ms.has_value());
    EXPECT_TRUE(load(9, 1001).seen);
    const auto ttl = cmd({"TTL", "u:seen:1001"}).as_integer();
    EXPECT_GT(ttl, 86000);
    EXPECT_LE(ttl, 86400);
    // The same update again (Telegram re-sent it, or another instance raced): nothing changes.
    auto before = list(9);
    auto second = commit(9, {cancel_all_reminders{9}}, 1001);
    EXPECT_EQ(second.status, commit_status::duplicate);
    EXPECT_EQ(list(9), before);
}

TEST_F(update_store_test, SettingsRoundTripAndUnparsableFieldsKeepTheirDefaults) {
    chat_settings s;
    s.units = distance_unit::mi;
    s.units_set = true;
    s.time_zone = "America/New_York";
    s.quiet = quiet_hours{23 * 60, 6 * 60 + 30};
    s.weight_kg = 71.5;
    s.active = false;
    s.language = "de";
    apply(2, save_settings{2, s});
    EXPECT_EQ(load(2).settings, s);
    s.quiet.reset();
    s.weight_kg.reset();
    apply(2, save_settings{2, s});
    EXPECT_EQ(load(2).settings, s);
    EXPECT_EQ(cmd({"HEXISTS", "u:settings:2", "weight_kg"}).as_integer(), 0);

    cmd({"HSET", "u:settings:3", "units", "furlongs", "quiet", "late", "weight_kg", "heavy", "future_field", "x",
         "lang", "fr"});
    chat_settings expected;
    expected.language = "fr";
    EXPECT_EQ(load(3).settings, expected);
}

// All or nothing: the second action is for another owner, so the commit is refused before anything is written.
TEST_F(update_store_test, AnActionForAnotherOwnerRefusesTheWholeCommit) {
    std::vector<action> mixed{save_settings{4, chat_settings{}}, cancel_all_reminders{5}};
    EXPECT_THROW(commit(4, mixed, 2002), std::invalid_argument);
    EXPECT_EQ(cmd({"EXISTS", "u:settings:4"}).as_integer(), 0);
    EXPECT_FALSE(load(4, 2002).seen);
    // And the script checks too: a snooze of another owner's reminder is an error reply, and nothing is written.
    std::vector<action> sneaky{save_settings{4, chat_settings{}}, snooze_reminder{4, "5:r:eat", 1min}};
    EXPECT_THROW(commit(4, sneaky, 2003), redis_error);
    EXPECT_EQ(cmd({"EXISTS", "u:settings:4"}).as_integer(), 0);
    EXPECT_FALSE(load(4, 2003).seen);
}

TEST_F(update_store_test, ForgetDropsSettingsRemindersAndCopiesButKeepsRepliesStillToGo) {
    apply(4, save_settings{4, chat_settings{}});
    schedule({4, 4, "r", {{"eat", -1ms, "eat"}, {"ice", 1h, "ice"}}});
    schedule({5, 5, "r", {{"eat", 0ms, "eat"}}});
    for (const auto& r : claim(10)) {
        if (r.owner_id == 4) sync(store_->ack(r));  // the eat ping went out: its copy is kept
    }
    ASSERT_TRUE(has_field(4, "sent:4:r:eat"));
    outbound_entry reply{"reply", 4, R"({"m":"send","chat":4,"text":"Deleted."})"};
    commit(4, {forget_owner{4}}, 3003, {reply});
    EXPECT_EQ(cmd({"EXISTS", "u:settings:4"}).as_integer(), 0);
    EXPECT_TRUE(list(4).empty());
    EXPECT_FALSE(has_field(4, "sent:4:r:eat"));
    EXPECT_TRUE(has_field(4, "4:u3003.00:reply"));  // the "deleted" reply itself still goes out
    EXPECT_EQ(cmd({"ZCARD", "u:due:0"}).as_integer(), 1);
    EXPECT_EQ(list(5).size(), 1u);
}

TEST_F(update_store_test, DeactivateKeepsSettingsCancelsRemindersAndAFreshHashExpires) {
    chat_settings s;
    s.language = "es";
    apply(6, save_settings{6, s});
    schedule({6, 6, "r", {{"eat", 0ms, "eat"}}});
    apply(6, deactivate_owner{6});
    auto after = load(6).settings;
    EXPECT_FALSE(after.active);
    EXPECT_EQ(after.language, "es");
    EXPECT_TRUE(list(6).empty());
    EXPECT_EQ(cmd({"TTL", "u:settings:6"}).as_integer(), -1);  // the runner's own settings stay
    apply(7, deactivate_owner{7});  // nothing stored: marked inactive, and that mark expires in 30 days
    EXPECT_FALSE(load(7).settings.active);
    EXPECT_GT(cmd({"TTL", "u:settings:7"}).as_integer(), 29 * 86400);
}

TEST_F(update_store_test, OutboxEntriesAreClaimedFirstInTheirOrder) {
    schedule({8, 8, "r", {{"eat", -5s, "eat"}}});
    std::vector<outbound_entry> out{{"reply", 8, R"({"m":"send","chat":8,"text":"one"})"},
                                    {"toast", 0, R"({"m":"toast","query":"q","text":""})"},
                                    {"reply", 8, R"({"m":"send","chat":8,"text":"two"})"}};
    auto r = commit(8, {}, 4004, out);
    ASSERT_TRUE(r.earliest_due_ms.has_value());
    EXPECT_TRUE(load(8).pending.size() == 1);  // replies are not the runner's pending reminders
    auto got = claim(10);
    ASSERT_EQ(got.size(), 4u);
    EXPECT_EQ(got[0].id, "8:u4004.00:reply");
    EXPECT_EQ(got[0].text, R"({"m":"send","chat":8,"text":"one"})");
    EXPECT_EQ(got[1].id, "8:u4004.01:toast");
    EXPECT_EQ(got[2].id, "8:u4004.02:reply");
    EXPECT_EQ(got[3].kind, "eat");
    EXPECT_TRUE(sync(store_->ack(got[0])));
    EXPECT_FALSE(has_field(8, "sent:8:u4004.00:reply"));  // replies leave no copy: they have no buttons to press
}

TEST_F(update_store_test, UnreadableRecordsAreReportedByLoadAndQuarantinedByTheCommit) {
    schedule({10, 10, "r", {{"eat", 1h, "eat"}, {"roll", 2h, "roll"}}});
    cmd({"HSET", "u:owner:10", "10:r:roll", "12|x|corrupt"});
    auto s = load(10);
    ASSERT_EQ(s.pending.size(), 1u);
    ASSERT_EQ(s.unreadable, std::vector<std::string>{"10:r:roll"});
    std::vector<action> none;
    sync(updates_->commit(5005, 10, none, {}, s.unreadable));
    EXPECT_FALSE(has_field(10, "10:r:roll"));
    EXPECT_EQ(waiting(), 1);
    auto kept = nlohmann::json::parse(cmd({"LINDEX", "u:quarantine", "0"}).as_string());
    EXPECT_EQ(kept["id"], "10:r:roll");
    EXPECT_EQ(kept["record"], "12|x|corrupt");
}

// A key of the wrong type is a permanent fault: the read throws an error that is not transient, so the pipeline
// dead-letters the update instead of answering 503 for ever. A Redis that is loading is transient.
TEST_F(update_store_test, WrongTypeIsPermanentAndLoadingIsTransient) {
    cmd({"SET", "u:owner:11", "not a hash"});
    try {
        load(11);
        FAIL() << "a wrong-type owner key must not load";
    } catch (const std::exception& e) {
        EXPECT_FALSE(is_transient_failure(e)) << e.what();
    }
    EXPECT_TRUE(is_transient_failure(redis_error("LOADING Redis is loading the dataset in memory")));
    EXPECT_TRUE(is_transient_failure(redis_error("READONLY You can't write against a read only replica.")));
    EXPECT_TRUE(is_transient_failure(redis_error("OOM command not allowed when used memory > 'maxmemory'.")));
    EXPECT_TRUE(is_transient_failure(redis_error("NOREPLICAS Not enough good replicas to write.")));
    EXPECT_FALSE(is_transient_failure(redis_error("ERR commit: op 1: mode")));
}

// The layout before 2.0 kept an owner's pending ids in a set at the key the owner's hash now uses. Load reads it
// as "nothing pending" and the first commit replaces it, so an upgraded chat is never stuck on WRONGTYPE.
TEST_F(update_store_test, ALegacySetAtTheOwnerKeyIsReadAsEmptyAndReplacedByTheCommit) {
    cmd({"SADD", "u:owner:31", "31:old:eat", "31:old:roll"});
    auto s = load(31, 3101);
    EXPECT_FALSE(s.seen);
    EXPECT_TRUE(s.pending.empty());
    auto done = commit(31, {schedule_plan{31, 31, "r", {ping("eat", 0ms)}}}, 3101);
    EXPECT_EQ(done.status, commit_status::applied);
    EXPECT_EQ(cmd({"TYPE", "u:owner:31"}).as_string(), "hash");
    auto got = list(31);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].id, "31:r:eat");
}

TEST_F(update_store_test, DeadLettersAreKeptNewestFirstCappedInCountAndBytes) {
    sync(updates_->dead_letter(7, R"({"update_id":7})", "no handler"));
    sync(updates_->dead_letter(8, std::string("\xff\xfe not utf8", 12), "bad bytes"));
    auto first = nlohmann::json::parse(cmd({"LINDEX", "u:dead", "0"}).as_string());
    EXPECT_EQ(first["update_id"], 8);
    EXPECT_EQ(first["reason"], "bad bytes");
    auto second = nlohmann::json::parse(cmd({"LINDEX", "u:dead", "1"}).as_string());
    EXPECT_EQ(second["body"], R"({"update_id":7})");
    const std::string huge(1 << 20, 'x');
    sync(updates_->dead_letter(9, huge, "huge"));
    auto cut = nlohmann::json::parse(cmd({"LINDEX", "u:dead", "0"}).as_string());
    EXPECT_EQ(cut["body"].get<std::string>().size(), update_store::dead_letter_body_bytes);
    EXPECT_EQ(cut["body_bytes"], huge.size());
    for (int i = 0; i < 1010; ++i) sync(updates_->dead_letter(i, "{}", "x"));
    EXPECT_EQ(cmd({"LLEN", "u:dead"}).as_integer(), update_store::dead_letter_count);
}

}  // namespace
}  // namespace rb::test
