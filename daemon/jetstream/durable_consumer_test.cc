// A durable pull consumer against a real nats-server: what one fetch brings,
// and that messages left over from an earlier pull never make a fetch return
// more than its batch (libnats 3.4 would write past its list).

#include "jetstream/durable_consumer.h"

#include <gtest/gtest.h>

#include <atomic>
#include <set>
#include <thread>

#include "jetstream/testing/nats_server.h"
#include "testing/eventually.h"

namespace atmwatch::jetstream {
namespace {

using std::chrono::milliseconds;

constexpr char kStream[] = "TEST";
constexpr char kSubject[] = "atmwatch.events.kanto";

class DurableConsumerTest : public testing::NatsStreamTest {
 protected:
  DurableConsumerTest() : NatsStreamTest(kStream) {}

  void SetUp() override {
    NatsStreamTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    ASSERT_EQ(natsConnection_ConnectTo(&connection_, server_.url().c_str()), NATS_OK);
    ASSERT_EQ(natsConnection_JetStream(&js_, connection_, nullptr), NATS_OK);
    ASSERT_TRUE(consumer_.Bind(js_).ok());
  }

  void TearDown() override {
    consumer_.Destroy();
    jsCtx_Destroy(js_);
    natsConnection_Destroy(connection_);
  }

  void Publish(int first, int last) {
    for (int n = first; n <= last; ++n) {
      ASSERT_TRUE(publisher_->PublishBytes(kSubject, "stream-" + std::to_string(n)))
          << publisher_->error();
    }
  }

  // A message straight into the consumer's inbox, as a late delivery of an
  // earlier pull would come. Sent on the consumer's own connection, so that
  // after a flush it is sure to wait in the subscription.
  void PlantLeftover(int n) {
    const std::string text = "leftover-" + std::to_string(n);
    natsConnection_Publish(connection_, consumer_.delivery_subject().c_str(), text.data(),
                           static_cast<int>(text.size()));
  }

  // Fetches until every one of `want` stream messages came or 10 s passed;
  // returns the largest count one fetch returned.
  int FetchStreamMessages(int batch, std::size_t want, std::set<std::string>* got) {
    int largest = 0;
    // Each fetch waits up to 200 ms itself: no pause between them.
    atmwatch::testing::Eventually(
        [&] {
          natsMsgList list{};
          if (consumer_.Fetch(batch, milliseconds(200), &list) != NATS_OK) return false;
          largest = std::max(largest, list.Count);
          for (int i = 0; i < std::min(list.Count, batch); ++i) {
            std::string data(natsMsg_GetData(list.Msgs[i]),
                             static_cast<std::size_t>(natsMsg_GetDataLength(list.Msgs[i])));
            if (data.starts_with("stream-")) got->insert(std::move(data));
          }
          natsMsgList_Destroy(&list);
          return got->size() >= want;
        },
        std::chrono::seconds(10), milliseconds(0));
    return largest;
  }

  natsConnection* connection_ = nullptr;
  jsCtx* js_ = nullptr;
  DurableConsumer consumer_{ConsumerSettings{kStream, "test", kSubject}};
};

TEST_F(DurableConsumerTest, AFetchBringsAtMostItsBatch) {
  Publish(1, 20);
  std::set<std::string> got;
  EXPECT_EQ(FetchStreamMessages(8, 20, &got), 8);
  EXPECT_EQ(got.size(), 20u);
}

TEST_F(DurableConsumerTest, NothingToDeliverIsATimeout) {
  natsMsgList list{};
  EXPECT_EQ(consumer_.Fetch(8, milliseconds(100), &list), NATS_TIMEOUT);
  EXPECT_EQ(list.Count, 0);
}

TEST_F(DurableConsumerTest, AMessagePublishedDuringTheWaitIsFetched) {
  // Published once the fetch's pull request waits at the server.
  std::thread later([this] {
    EXPECT_TRUE(atmwatch::testing::Eventually(
        [&] { return publisher_->WaitingPulls(kStream, consumer_.settings().name) >= 1; },
        std::chrono::seconds(3), milliseconds(5)))
        << publisher_->error();
    Publish(1, 1);
  });
  natsMsgList list{};
  const natsStatus s = consumer_.Fetch(8, milliseconds(5000), &list);
  later.join();
  ASSERT_EQ(s, NATS_OK);
  EXPECT_EQ(list.Count, 1);
  natsMsgList_Destroy(&list);
}

TEST_F(DurableConsumerTest, LeftoversOfAnEarlierPullNeverOverrunTheBatch) {
  Publish(1, 20);
  // Five of a batch of eight already waiting, and more coming in during the
  // fetch: the library's own fetch would keep filling past its eight slots.
  for (int n = 0; n < 5; ++n) PlantLeftover(n);
  ASSERT_EQ(natsConnection_Flush(connection_), NATS_OK);
  std::atomic<bool> done{false};
  std::thread late([&] {
    for (int n = 5; n < 200 && !done; ++n) {
      PlantLeftover(n);
      natsConnection_Flush(connection_);
      // Pacing, not waiting: leftovers keep arriving all through the fetch.
      std::this_thread::sleep_for(milliseconds(2));
    }
  });
  std::set<std::string> got;
  const int largest = FetchStreamMessages(8, 20, &got);
  done = true;
  late.join();
  EXPECT_LE(largest, 8);
  EXPECT_EQ(got.size(), 20u);
}

}  // namespace
}  // namespace atmwatch::jetstream
