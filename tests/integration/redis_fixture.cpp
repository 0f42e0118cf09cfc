// redis_test's shared server and DB checks. ctest runs every test in its own process, so "empty at start" is
// told apart from "left by the previous test" by a marker key; a DB holding anything else is never flushed.
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

// The DB may hold only what an earlier test left, recognised by the marker key; anything else is someone's data.
void redis_test::SetUp() {
    redis_ = std::make_unique<redis_connection>(io_.executor(), shared_redis_url(), test_options());
    ASSERT_TRUE(sync(redis_->wait_connected(5s))) << redis_->last_error();
    auto size = cmd({"DBSIZE"}).as_integer();
    bool ours = cmd({"EXISTS", std::string(marker_key)}).as_integer() == 1;
    ASSERT_TRUE(size == 0 || ours) << "refusing to run: test DB " << dedicated_db() << " holds " << size
                                   << " keys not written by these tests; point RB_TEST_REDIS_DB at an empty one";
    cmd({"FLUSHDB"});
    cmd({"SET", std::string(marker_key), "1"});
}

void redis_test::TearDown() { redis_->stop(); }

}  // namespace rb::test
