// rediss:// against a real redis-server speaking TLS only (tls-port, a test CA made by openssl): verification is on,
// so the right CA connects, a wrong CA or a name the certificate does not carry is refused with a message that says
// why, and a server that asks for client certificates gets ours. The wake subscription rides TLS too.
#include "storage/redis_tls.hpp"

#include <atomic>

#include "storage/wake_subscription.hpp"
#include "tests/integration/redis_fixture.hpp"
#include "tests/support/redis_sentinel.hpp"
#include "tests/support/test_pki.hpp"

namespace rb::test {
namespace {

class redis_tls : public ::testing::Test {
protected:
    static void SetUpTestSuite() { pki_ = std::make_unique<test_pki>(make_test_pki()); }
    static void TearDownTestSuite() {
        remove_test_pki(*pki_);
        pki_.reset();
    }

    // A TLS-only server with the test CA's certificate; auth_clients asks clients for a certificate too.
    static std::unique_ptr<redis_server> tls_server(bool auth_clients = false) {
        redis_server_options o;
        o.password = "tls-pw";
        o.tls = redis_server_options::tls_files{pki_->server_cert, pki_->server_key, pki_->ca_cert, auth_clients};
        return std::make_unique<redis_server>(o);
    }

    static redis_target target(const std::string& url, redis_tls_files files) {
        return redis_target(parse_redis_url(url), make_redis_tls_context(files), {});
    }

    io_runner io_;
    static inline std::unique_ptr<test_pki> pki_;
};

TEST_F(redis_tls, ConnectsWithVerificationAgainstTheRightCa) {
    auto server = tls_server();
    const auto url = server->tcp_url();
    ASSERT_TRUE(url.starts_with("rediss://")) << url;
    redis_connection redis(io_.executor(), target(url, {pki_->ca_cert, "", ""}), test_options());
    ASSERT_TRUE(run_sync(io_.executor(), redis.wait_connected(5s))) << redis.last_error();
    auto pong = run_sync(io_.executor(), redis.command("PING"));
    EXPECT_EQ(pong.as_string(), "PONG");
    // Pipelining over TLS: many calls in flight on the one stream, replies in order.
    std::vector<std::future<redis_value>> futures;
    for (int i = 0; i < 500; ++i)
        futures.push_back(net::co_spawn(io_.executor(), redis.command("INCR", "tls-counter"), net::use_future));
    std::int64_t last = 0;
    for (auto& f : futures) last = std::max(last, f.get().as_integer());
    EXPECT_EQ(last, 500);
}

TEST_F(redis_tls, TheHostNameInTheUrlIsVerifiedToo) {
    auto server = tls_server();
    // localhost is in the certificate (DNS:localhost) as well as 127.0.0.1: both connect.
    const auto by_name = "rediss://:tls-pw@localhost:" + std::to_string(server->port()) + "/0";
    redis_connection good(io_.executor(), target(by_name, {pki_->ca_cert, "", ""}), test_options());
    EXPECT_TRUE(run_sync(io_.executor(), good.wait_connected(5s))) << good.last_error();
}

TEST_F(redis_tls, AWrongCaIsRefusedWithAMessageNamingTheCause) {
    auto server = tls_server();
    redis_connection redis(io_.executor(), target(server->tcp_url(), {pki_->other_ca_cert, "", ""}), test_options());
    EXPECT_FALSE(run_sync(io_.executor(), redis.wait_connected(1500ms)));
    const auto why = redis.last_error();
    EXPECT_NE(why.find("certificate verify failed"), std::string::npos) << why;
    EXPECT_NE(why.find("REDIS_CA_FILE"), std::string::npos) << why;
    EXPECT_EQ(why.find("tls-pw"), std::string::npos) << why;  // the password never shows
    EXPECT_THROW(run_sync(io_.executor(), redis.command("PING")), boost::system::system_error);
}

TEST_F(redis_tls, TheSystemCasDoNotTrustATestCa) {
    auto server = tls_server();
    redis_connection redis(io_.executor(), redis_target(parse_redis_url(server->tcp_url())), test_options());
    EXPECT_FALSE(run_sync(io_.executor(), redis.wait_connected(1500ms)));
    EXPECT_NE(redis.last_error().find("certificate verify failed"), std::string::npos) << redis.last_error();
}

TEST_F(redis_tls, PlainRedisToATlsPortNeverConnects) {
    auto server = tls_server();
    const auto plain = "redis://:tls-pw@127.0.0.1:" + std::to_string(server->port()) + "/0";
    redis_connection redis(io_.executor(), redis_target(parse_redis_url(plain)), test_options());
    EXPECT_FALSE(run_sync(io_.executor(), redis.wait_connected(1500ms)));
    EXPECT_FALSE(redis.last_error().empty());
}

TEST_F(redis_tls, AClientCertificateIsSentWhenTheServerAsksForOne) {
    auto server = tls_server(/*auth_clients=*/true);
    redis_connection without(io_.executor(), target(server->tcp_url(), {pki_->ca_cert, "", ""}), test_options());
    EXPECT_FALSE(run_sync(io_.executor(), without.wait_connected(1500ms)));
    redis_connection with(io_.executor(),
                          target(server->tcp_url(), {pki_->ca_cert, pki_->client_cert, pki_->client_key}),
                          test_options());
    ASSERT_TRUE(run_sync(io_.executor(), with.wait_connected(5s))) << with.last_error();
    EXPECT_EQ(run_sync(io_.executor(), with.command("PING")).as_string(), "PONG");
}

TEST_F(redis_tls, TheWakeSubscriptionWorksOverTls) {
    auto server = tls_server();
    auto t = target(server->tcp_url(), {pki_->ca_cert, "", ""});
    redis_connection redis(io_.executor(), t, test_options());
    wake_subscription wake(io_.executor(), t, "tls-wake", test_options());
    ASSERT_TRUE(run_sync(io_.executor(), redis.wait_connected(5s)));
    EXPECT_EQ(run_sync(io_.executor(), wake.next()), 0);  // the first wake after subscribing
    run_sync(io_.executor(), redis.command("PUBLISH", "tls-wake", "12345"));
    EXPECT_EQ(run_sync(io_.executor(), wake.next()), 12345);
}

// rediss:// with sentinels: the sentinels are reached over TLS too (same CA), with their own password
// (REDIS_SENTINEL_PASSWORD), and the primary they name is verified against the same CA.
TEST_F(redis_tls, SentinelsAreAskedOverTlsWithTheirOwnPassword) {
    auto server = tls_server();
    redis_sentinel_options so;
    so.primary_port = server->port();
    so.quorum = 1;
    so.auth_pass = "tls-pw";
    so.password = "sentinel-pw";
    so.tls = redis_server_options::tls_files{pki_->server_cert, pki_->server_key, pki_->ca_cert, false};
    redis_sentinel sentinel(so);
    ASSERT_EQ(sentinel.primary(), "127.0.0.1:" + std::to_string(server->port())) << sentinel.log();
    auto target_with = [&](std::string sentinel_password) {
        sentinel_config c;
        c.addresses.push_back({"127.0.0.1", sentinel.tls_port()});
        c.master_name = so.master_name;
        c.password = std::move(sentinel_password);
        return redis_target(parse_redis_url("rediss://:tls-pw@sentinel-primary/0"),
                            make_redis_tls_context({pki_->ca_cert, "", ""}), c);
    };
    redis_connection redis(io_.executor(), target_with("sentinel-pw"), test_options());
    ASSERT_TRUE(run_sync(io_.executor(), redis.wait_connected(5s))) << redis.last_error();
    EXPECT_EQ(redis.primary(), "127.0.0.1:" + std::to_string(server->port()));
    EXPECT_EQ(run_sync(io_.executor(), redis.command("PING")).as_string(), "PONG");

    redis_connection refused(io_.executor(), target_with(""), test_options());
    EXPECT_FALSE(run_sync(io_.executor(), refused.wait_connected(1500ms)));
    EXPECT_NE(refused.last_error().find("NOAUTH"), std::string::npos) << refused.last_error();
    EXPECT_EQ(refused.last_error().find("sentinel-pw"), std::string::npos);
}

TEST(redis_tls_files, BadFilesNameTheSettingAndTheFile) {
    try {
        make_redis_tls_context({"/nonexistent/ca.pem", "", ""});
        FAIL() << "expected invalid_argument";
    } catch (const std::invalid_argument& e) {
        EXPECT_NE(std::string(e.what()).find("REDIS_CA_FILE /nonexistent/ca.pem"), std::string::npos) << e.what();
    }
    EXPECT_THROW(make_redis_tls_context({"", "/some/cert.pem", ""}), std::invalid_argument);  // cert without key
}

}  // namespace
}  // namespace rb::test
