#include "radius/recent_requests.h"

#include <gtest/gtest.h>

namespace atmwatch::radius {
namespace {

using std::chrono::seconds;
using Clock = RecentRequests::Clock;

RequestKey Key(std::uint8_t identifier, std::uint8_t first_octet = 0xab, std::uint32_t client = 0) {
  RequestKey key{client, identifier, {}};
  key.authenticator[0] = first_octet;
  return key;
}

const Clock::time_point kT0 = Clock::time_point(seconds(1000));
const std::vector<std::uint8_t> kResponse = {5, 1, 0, 20};

TEST(RecentRequestsTest, RetransmitWhilePendingIsSeenAsPending) {
  RecentRequests recent(seconds(30), 100);
  const std::vector<std::uint8_t>* response = nullptr;
  EXPECT_EQ(recent.Find(Key(1), &response), RecentRequests::Seen::kNew);
  recent.AddPending(Key(1));
  EXPECT_EQ(recent.Find(Key(1), &response), RecentRequests::Seen::kPending);
}

TEST(RecentRequestsTest, RetransmitAfterAnswerGetsTheSameResponse) {
  RecentRequests recent(seconds(30), 100);
  recent.AddPending(Key(1));
  recent.Answer(Key(1), kResponse, kT0);
  const std::vector<std::uint8_t>* response = nullptr;
  ASSERT_EQ(recent.Find(Key(1), &response), RecentRequests::Seen::kAnswered);
  EXPECT_EQ(*response, kResponse);
}

TEST(RecentRequestsTest, SameIdentifierWithAnotherAuthenticatorIsANewRequest) {
  RecentRequests recent(seconds(30), 100);
  recent.AddPending(Key(1, 0xab));
  const std::vector<std::uint8_t>* response = nullptr;
  EXPECT_EQ(recent.Find(Key(1, 0xcd), &response), RecentRequests::Seen::kNew);
  EXPECT_EQ(recent.Find(Key(1, 0xab, /*client=*/1), &response), RecentRequests::Seen::kNew);
}

TEST(RecentRequestsTest, AnsweredEntriesExpireAfterTheWindow) {
  RecentRequests recent(seconds(30), 100);
  recent.AddPending(Key(1));
  recent.Answer(Key(1), kResponse, kT0);
  recent.Expire(kT0 + seconds(29));
  EXPECT_EQ(recent.size(), 1u);
  recent.Expire(kT0 + seconds(30));
  EXPECT_EQ(recent.size(), 0u);
}

TEST(RecentRequestsTest, PendingEntriesNeverExpire) {
  RecentRequests recent(seconds(30), 1);
  recent.AddPending(Key(1));
  recent.Expire(kT0 + seconds(3600));
  const std::vector<std::uint8_t>* response = nullptr;
  EXPECT_EQ(recent.Find(Key(1), &response), RecentRequests::Seen::kPending);
}

TEST(RecentRequestsTest, OldestAnsweredGoFirstBeyondTheCap) {
  RecentRequests recent(seconds(30), 2);
  for (std::uint8_t id = 1; id <= 3; ++id) {
    recent.AddPending(Key(id));
    recent.Answer(Key(id), kResponse, kT0);
  }
  recent.Expire(kT0);
  const std::vector<std::uint8_t>* response = nullptr;
  EXPECT_EQ(recent.Find(Key(1), &response), RecentRequests::Seen::kNew);
  EXPECT_EQ(recent.Find(Key(3), &response), RecentRequests::Seen::kAnswered);
}

TEST(RecentRequestsTest, ForgottenRequestIsNewAgain) {
  RecentRequests recent(seconds(30), 100);
  recent.AddPending(Key(1));
  recent.Forget(Key(1));
  const std::vector<std::uint8_t>* response = nullptr;
  EXPECT_EQ(recent.Find(Key(1), &response), RecentRequests::Seen::kNew);
}

TEST(RecentRequestsTest, ReAnsweredEntryIsNotExpiredByItsOlderAnswer) {
  RecentRequests recent(seconds(30), 100);
  recent.AddPending(Key(1));
  recent.Answer(Key(1), kResponse, kT0);
  recent.Forget(Key(1));
  recent.AddPending(Key(1));
  recent.Answer(Key(1), kResponse, kT0 + seconds(20));
  recent.Expire(kT0 + seconds(35));
  EXPECT_EQ(recent.size(), 1u);
}

}  // namespace
}  // namespace atmwatch::radius
