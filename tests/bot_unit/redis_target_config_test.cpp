// The Redis settings as `serve` and `check-config` read them: sentinels need a master name (and the reverse), TLS
// files only with rediss://, a client certificate only with its key, a missing CA file named with its setting,
// replica acks never against the private redis-server; and no password in any message.
#include "bot/process/redis_target_config.hpp"

#include <gtest/gtest.h>

namespace rb {
namespace {

std::string validation_error(const config& c) {
    try {
        validate_config(c);
        redis_target_for(c);
    } catch (const config_error& e) {
        return e.what();
    }
    return "";
}

config base() {
    config c;
    c.mode = run_mode::polling;
    c.bot_token = "123:abc";
    return c;
}

TEST(RedisTargetConfig, SentinelsWithTheirMasterNameMakeASentinelTarget) {
    auto c = base();
    c.redis_url = "redis://:pw@ignored:6379/3";
    c.redis_sentinels = "10.0.0.1:26379,10.0.0.2";
    c.redis_master_name = "recovery-redis";
    c.redis_sentinel_password = "sentinel-secret";
    const auto t = redis_target_for(c);
    ASSERT_TRUE(t.sentinels.enabled());
    EXPECT_EQ(t.sentinels.addresses.size(), 2u);
    EXPECT_EQ(t.sentinels.addresses[1].port, 26379);
    EXPECT_EQ(t.url.db, 3);
    EXPECT_EQ(t.sentinels.password, "sentinel-secret");
    const auto shown = t.describe();
    EXPECT_NE(shown.find("recovery-redis"), std::string::npos) << shown;
    EXPECT_EQ(shown.find("pw"), std::string::npos) << shown;
    EXPECT_EQ(shown.find("sentinel-secret"), std::string::npos) << shown;
}

TEST(RedisTargetConfig, SentinelsWithoutAUrlNeedNoPrivateRedis) {
    auto c = base();
    c.redis_sentinels = "s1:26379";
    c.redis_master_name = "m";
    std::optional<private_redis> local;
    const auto t = redis_target_from(c, local);
    EXPECT_FALSE(local.has_value());
    EXPECT_TRUE(t.sentinels.enabled());
    EXPECT_FALSE(t.url.tls);
}

TEST(RedisTargetConfig, EachHalfOfTheSentinelSettingsNeedsTheOther) {
    auto c = base();
    c.redis_sentinels = "s1:26379";
    EXPECT_NE(validation_error(c).find("REDIS_MASTER_NAME: required"), std::string::npos);
    c = base();
    c.redis_master_name = "m";
    EXPECT_NE(validation_error(c).find("REDIS_SENTINELS is empty"), std::string::npos);
}

TEST(RedisTargetConfig, TlsFilesNeedRedissAndACertificateNeedsItsKey) {
    auto c = base();
    c.redis_url = "redis://localhost:6379";
    c.redis_ca_file = "/etc/ssl/certs/ca-certificates.crt";
    EXPECT_NE(validation_error(c).find("only used with a rediss://"), std::string::npos);
    c.redis_url = "rediss://localhost:6380";
    c.redis_ca_file = "/nonexistent/ca.pem";
    EXPECT_NE(validation_error(c).find("REDIS_CA_FILE /nonexistent/ca.pem"), std::string::npos);
    c.redis_ca_file.clear();
    c.redis_cert_file = "/some/cert.pem";
    EXPECT_NE(validation_error(c).find("REDIS_CERT_FILE and REDIS_KEY_FILE go together"), std::string::npos);
}

TEST(RedisTargetConfig, RedissAloneTrustsTheSystemCas) {
    auto c = base();
    c.redis_url = "rediss://:pw@cache.example.com:6380/0";
    const auto t = redis_target_for(c);
    EXPECT_TRUE(t.url.tls);
    EXPECT_NE(t.tls, nullptr);
    EXPECT_EQ(t.describe(), "rediss://:***@cache.example.com:6380/0");
}

TEST(RedisTargetConfig, ReplicaAcksNeedAServerThatHasReplicas) {
    auto c = base();
    c.redis_replica_acks = 1;
    EXPECT_NE(validation_error(c).find("private redis-server"), std::string::npos);
    c.redis_url = "redis://localhost:6379";
    EXPECT_EQ(validation_error(c), "");
}

TEST(RedisTargetConfig, ABadUrlOrListNamesTheSettingNotThePassword) {
    auto c = base();
    c.redis_url = "redis://:hunter2@host:notaport/0";
    const auto e = validation_error(c);
    EXPECT_NE(e.find("REDIS_URL"), std::string::npos) << e;
    EXPECT_EQ(e.find("hunter2"), std::string::npos) << e;
    c = base();
    c.redis_url = "unix:///run/redis.sock";
    c.redis_sentinels = "s1";
    c.redis_master_name = "m";
    EXPECT_NE(validation_error(c).find("with REDIS_SENTINELS use redis://"), std::string::npos);
}

}  // namespace
}  // namespace rb
