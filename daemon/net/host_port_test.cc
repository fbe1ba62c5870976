#include "net/host_port.h"

#include <gtest/gtest.h>

namespace atmwatch::net {
namespace {

TEST(ParseHostPortTest, SplitsAtTheLastColon) {
  const auto parsed = ParseHostPort("127.0.0.1:7420");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->host, "127.0.0.1");
  EXPECT_EQ(parsed->port, 7420);
}

TEST(ParseHostPortTest, TakesIpv6InBracketsAndDropsThem) {
  const auto parsed = ParseHostPort("[::1]:0");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->host, "::1");
  EXPECT_EQ(parsed->port, 0);
}

TEST(ParseHostPortTest, KeepsANameAsText) {
  const auto parsed = ParseHostPort("localhost:9742");
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->host, "localhost");
}

TEST(ParseHostPortTest, RefusesWhatIsNotHostColonPort) {
  for (const char* text : {"", "7420", ":7420", "[]:7420", "127.0.0.1:", "127.0.0.1:65536",
                           "127.0.0.1:-1", "127.0.0.1:74x", "127.0.0.1: 7420", "127.0.0.1:+1"}) {
    EXPECT_FALSE(ParseHostPort(text).has_value()) << "'" << text << "'";
  }
}

}  // namespace
}  // namespace atmwatch::net
