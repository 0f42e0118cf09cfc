// net/absolute_url: the rules Boost.URL 1.81 leaves to its callers, which every URL setting relies on.
#include "net/absolute_url.hpp"

#include <gtest/gtest.h>

namespace rb {
namespace {

TEST(AbsoluteUrl, APathAfterAnAuthorityMustStartWithASlash) {
    EXPECT_TRUE(parse_absolute_url("redis://host:6379/0"));
    EXPECT_TRUE(parse_absolute_url("https://api.telegram.org"));
    EXPECT_FALSE(parse_absolute_url("redis://host:x"));  // Boost reads host "host", path "x"
    EXPECT_FALSE(parse_absolute_url("no scheme"));
}

TEST(AbsoluteUrl, PortsAreDecimalNumbersInRange) {
    EXPECT_EQ(parse_port("8443"), 8443);
    EXPECT_EQ(parse_port("65535"), 65535);
    EXPECT_EQ(parse_port("0", 0), 0);
    for (auto bad : {"", "0", "65536", "99999", "-1", "80a", " 80", "+80", "0x50"}) {
        EXPECT_FALSE(parse_port(bad)) << bad;
    }
}

}  // namespace
}  // namespace rb
