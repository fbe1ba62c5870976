#include "jetstream/server_address.h"

#include <gtest/gtest.h>

namespace atmwatch::jetstream {
namespace {

TEST(ServerAddressTest, HostAndPortWithoutSchemeOrCredentials) {
  EXPECT_EQ(ServerAddress("nats://127.0.0.1:4222"), "127.0.0.1:4222");
  EXPECT_EQ(ServerAddress("tls://user:secret@nats-b.example:4222"), "nats-b.example:4222");
  EXPECT_EQ(ServerAddress("nats://[::1]:4222/"), "[::1]:4222");
  EXPECT_EQ(ServerAddress("10.0.0.3:4222"), "10.0.0.3:4222");
}

}  // namespace
}  // namespace atmwatch::jetstream
