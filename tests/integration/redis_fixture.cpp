// redis_test's shared server and DB checks. The emptiness check runs once per process, before the first FLUSHDB,
// so a developer's DB that happens to be in use is never wiped.
#include "tests/integration/redis_fixture.hpp"

#include <charconv>
#include <cstdlib>

namespace rb::test {
namespace {

int dedicated_db() {
    const char* env = std::getenv("RB_TEST_REDIS_DB");
    std::string_view s = env != nullptr ? env : "9";
    int db = 9;
    auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), db);
    if (ec != std::errc{} || end != s.data() + s.size() || db < 1) throw std::invalid_argument("RB_TEST_REDIS_DB");
    return db;
}

}  // namespace

redis_url shared_redis_url() {
    static std::unique_ptr<redis_server> own;  // only when no shared server was given
    const char* env = std::getenv("RB_TEST_REDIS_URL");
    std::string text;
    if (env != nullptr && *env != '\0') {
        text = env;
    } else {
        if (!own) own = std::make_unique<redis_server>();
        text = own->url();
    }
    auto url = parse_redis_url(text);
    url.db = dedicated_db();
    return url;
}

void redis_test::SetUp() {
    static bool checked_empty = false;
    redis_ = std::make_unique<redis_connection>(io_.executor(), shared_redis_url(), test_options());
    ASSERT_TRUE(sync(redis_->wait_connected(5s))) << redis_->last_error();
    if (!checked_empty) {
        auto size = cmd({"DBSIZE"}).as_integer();
        ASSERT_EQ(size, 0) << "refusing to run: test DB " << dedicated_db() << " holds " << size
                           << " keys; point RB_TEST_REDIS_DB at an empty one";
        checked_empty = true;
    }
    cmd({"FLUSHDB"});
}

void redis_test::TearDown() { redis_->stop(); }

}  // namespace rb::test
