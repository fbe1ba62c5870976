// The JetStream source against a real nats-server, with a scripted pipeline
// in place of the daemon's: what is acked when, what is naked and delivered
// again, and how many batches are in flight at once.

#include "jetstream/jetstream_source.h"

#include <gtest/gtest.h>
#include <prometheus/registry.h>

#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>

#include "jetstream/consumer_name.h"
#include "jetstream/testing/nats_server.h"
#include "testing/eventually.h"

namespace atmwatch::jetstream {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr char kStream[] = "TEST";
constexpr char kSubject[] = "atmwatch.events.kanto";

v1::Batch BatchOf(std::uint64_t seq, const std::string& source = "radius-1") {
  v1::Batch batch;
  batch.set_source_id(source);
  batch.set_seq(seq);
  batch.add_events()->mutable_transaction()->set_atm_id("ATM0001");
  return batch;
}

v1::Ack AckOf(v1::Ack::Error error, int accepted, int duplicates) {
  v1::Ack ack;
  ack.set_error(error);
  ack.set_accepted(accepted);
  ack.set_duplicates(duplicates);
  return ack;
}

// Stands in for IngestPipeline: remembers the last applied seq per source
// (so a second delivery is a duplicate), and either answers at once or holds
// the answer until the test releases it.
class ScriptedPipeline {
 public:
  void Submit(const v1::Batch& batch, JetStreamSource::AckCallback done) {
    std::unique_lock lock(mutex_);
    ++submitted_;
    std::uint64_t& applied = applied_[batch.source_id()];
    v1::Ack ack;
    if (unavailable_left_ > 0) {
      --unavailable_left_;
      ack = AckOf(v1::Ack::UNAVAILABLE, 0, 0);
    } else if (batch.seq() <= applied) {
      ++duplicates_;
      ack = AckOf(v1::Ack::NONE, 0, batch.events_size());
    } else {
      applied = batch.seq();
      ++applied_batches_;
      ack = AckOf(v1::Ack::NONE, batch.events_size(), 0);
    }
    if (hold_) {
      held_.emplace_back(std::move(done), ack);
      max_held_ = std::max(max_held_, held_.size());
      changed_.notify_all();
      return;
    }
    changed_.notify_all();
    lock.unlock();
    done(ack);
  }

  void Hold(bool hold) {
    std::lock_guard lock(mutex_);
    hold_ = hold;
  }
  void FailNext(int batches) {
    std::lock_guard lock(mutex_);
    unavailable_left_ = batches;
  }
  // Answers every held batch; returns how many.
  std::size_t ReleaseHeld() {
    std::deque<std::pair<JetStreamSource::AckCallback, v1::Ack>> held;
    {
      std::lock_guard lock(mutex_);
      held.swap(held_);
    }
    for (auto& [done, ack] : held) done(ack);
    return held.size();
  }
  // Waits (bounded) until `count` batches are held.
  bool WaitHeld(std::size_t count, milliseconds timeout = milliseconds(10000)) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return held_.size() >= count; });
  }
  bool WaitApplied(int count, milliseconds timeout = milliseconds(10000)) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return applied_batches_ >= count; });
  }
  bool WaitDuplicates(int count, milliseconds timeout) {
    std::unique_lock lock(mutex_);
    return changed_.wait_for(lock, timeout, [&] { return duplicates_ >= count; });
  }
  int applied_batches() {
    std::lock_guard lock(mutex_);
    return applied_batches_;
  }
  std::size_t max_held() {
    std::lock_guard lock(mutex_);
    return max_held_;
  }

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  std::map<std::string, std::uint64_t> applied_;
  std::deque<std::pair<JetStreamSource::AckCallback, v1::Ack>> held_;
  bool hold_ = false;
  int unavailable_left_ = 0;
  int submitted_ = 0;
  int applied_batches_ = 0;
  int duplicates_ = 0;
  std::size_t max_held_ = 0;
};

double Sample(prometheus::Registry& registry, const std::string& name,
              const std::map<std::string, std::string>& labels) {
  for (const auto& family : registry.Collect()) {
    if (family.name != name) continue;
    for (const auto& metric : family.metric) {
      std::map<std::string, std::string> have;
      for (const auto& label : metric.label) have[label.name] = label.value;
      if (have != labels) continue;
      return family.type == prometheus::MetricType::Counter ? metric.counter.value
                                                            : metric.gauge.value;
    }
  }
  return -1;
}

class JetStreamSourceTest : public testing::NatsStreamTest {
 protected:
  JetStreamSourceTest() : NatsStreamTest(kStream) {}

  SourceOptions Options() {
    SourceOptions options;
    options.cluster.servers = {server_.url()};
    options.stream = kStream;
    options.durable = "test";
    options.subjects = {kSubject};
    options.fetch_batch = 8;
    options.max_in_flight = 16;
    options.nak_delay = milliseconds(100);
    options.fetch_wait = milliseconds(200);
    options.retry_interval = milliseconds(200);
    return options;
  }

  std::unique_ptr<JetStreamSource> StartSource(SourceOptions options) {
    metrics_ =
        std::make_unique<JetStreamMetrics>(registry_, options.subjects, options.cluster.servers);
    auto source = std::make_unique<JetStreamSource>(
        options,
        [this](std::unique_ptr<const ingest::DecodedBatch> batch,
               JetStreamSource::AckCallback done) {
          pipeline_.Submit(batch->batch(), std::move(done));
        },
        *metrics_);
    EXPECT_TRUE(source->Start().ok());
    return source;
  }

  void Publish(std::uint64_t first, std::uint64_t last) {
    for (std::uint64_t seq = first; seq <= last; ++seq) {
      ASSERT_TRUE(publisher_->Publish(kSubject, BatchOf(seq))) << publisher_->error();
    }
  }

  double Acked(const std::string& result) {
    return Sample(registry_, "atmwatch_jetstream_messages_acked_total",
                  {{"subject", kSubject}, {"result", result}});
  }

  // Waits (bounded) until the server counts no unacked message.
  bool WaitNoAckPending(milliseconds timeout = milliseconds(10000)) {
    return atmwatch::testing::Eventually(
        [&] { return publisher_->AckPending(kStream, ConsumerName("test", kSubject)) == 0; },
        timeout, milliseconds(50));
  }

  prometheus::Registry registry_;
  std::unique_ptr<JetStreamMetrics> metrics_;
  ScriptedPipeline pipeline_;
};

TEST_F(JetStreamSourceTest, AcksOnlyOnceThePipelineAnswers) {
  pipeline_.Hold(true);
  auto source = StartSource(Options());
  Publish(1, 3);
  ASSERT_TRUE(pipeline_.WaitHeld(3));
  // Delivered, submitted, not yet durable: the server still holds all three.
  EXPECT_EQ(publisher_->AckPending(kStream, ConsumerName("test", kSubject)), 3);
  EXPECT_EQ(Acked("applied"), 0);

  pipeline_.ReleaseHeld();
  EXPECT_TRUE(WaitNoAckPending());
  source->Stop();
  EXPECT_EQ(Acked("applied"), 3);
  EXPECT_EQ(pipeline_.applied_batches(), 3);
}

TEST_F(JetStreamSourceTest, UnavailableIsNakedAndDeliveredAgain) {
  pipeline_.FailNext(2);
  auto source = StartSource(Options());
  Publish(1, 2);
  ASSERT_TRUE(pipeline_.WaitApplied(2));
  ASSERT_TRUE(WaitNoAckPending());
  source->Stop();
  EXPECT_EQ(Sample(registry_, "atmwatch_jetstream_messages_naked_total",
                   {{"subject", kSubject}, {"reason", "unavailable"}}),
            2);
  EXPECT_EQ(
      Sample(registry_, "atmwatch_jetstream_messages_redelivered_total", {{"subject", kSubject}}),
      2);
  EXPECT_EQ(Acked("applied"), 2);
}

TEST_F(JetStreamSourceTest, ARedeliveryAfterALateAnswerIsAckedAsDuplicate) {
  // The batch is applied at once but its answer is held past ack_wait, as if
  // the daemon had died between its fsync and its ack: JetStream delivers the
  // message again, and the second delivery finds the seq applied.
  SourceOptions options = Options();
  options.ack_wait = milliseconds(1000);
  pipeline_.Hold(true);
  auto source = StartSource(options);
  Publish(1, 1);
  ASSERT_TRUE(pipeline_.WaitHeld(1));
  ASSERT_TRUE(pipeline_.WaitDuplicates(1, milliseconds(10000)));
  pipeline_.Hold(false);
  pipeline_.ReleaseHeld();
  ASSERT_TRUE(WaitNoAckPending());
  source->Stop();
  EXPECT_EQ(pipeline_.applied_batches(), 1);
  EXPECT_EQ(Acked("duplicate"), 1);
  EXPECT_EQ(
      Sample(registry_, "atmwatch_jetstream_messages_redelivered_total", {{"subject", kSubject}}),
      1);
}

TEST_F(JetStreamSourceTest, AMessageThatIsNoBatchIsAckedAndCounted) {
  auto source = StartSource(Options());
  ASSERT_TRUE(publisher_->PublishBytes(kSubject, "\xff\xff not a batch"));
  Publish(1, 1);
  ASSERT_TRUE(pipeline_.WaitApplied(1));
  ASSERT_TRUE(WaitNoAckPending());
  source->Stop();
  EXPECT_EQ(Sample(registry_, "atmwatch_jetstream_messages_rejected_total",
                   {{"subject", kSubject}, {"reason", "undecodable"}}),
            1);
  EXPECT_EQ(Acked("undecodable"), 1);
}

TEST_F(JetStreamSourceTest, NoMoreThanMaxInFlightBatchesAreUnanswered) {
  SourceOptions options = Options();
  options.fetch_batch = 3;
  options.max_in_flight = 4;
  pipeline_.Hold(true);
  auto source = StartSource(options);
  Publish(1, 20);
  // Answer in rounds: each round the source may take only what was settled.
  // Counting answers, not applied batches: the last batch is applied before
  // its answer is held, and must still be answered.
  std::size_t answered = 0;
  for (int round = 0; answered < 20 && round < 40; ++round) {
    ASSERT_TRUE(pipeline_.WaitHeld(1));
    answered += pipeline_.ReleaseHeld();
  }
  ASSERT_TRUE(WaitNoAckPending());
  source->Stop();
  EXPECT_EQ(pipeline_.applied_batches(), 20);
  EXPECT_LE(pipeline_.max_held(), 4u);
  EXPECT_EQ(Acked("applied"), 20);
}

TEST_F(JetStreamSourceTest, ResumesAfterTheServerRestarts) {
  // A short ack_wait: a server killed with SIGKILL may come back with acks it
  // had not yet written down, and delivers those messages again after it.
  SourceOptions options = Options();
  options.ack_wait = milliseconds(1000);
  auto source = StartSource(options);
  Publish(1, 5);
  ASSERT_TRUE(pipeline_.WaitApplied(5));
  ASSERT_TRUE(WaitNoAckPending());

  server_.Kill();
  ASSERT_TRUE(server_.Start()) << server_.log();
  publisher_ = std::make_unique<testing::Publisher>(server_.url());
  ASSERT_TRUE(publisher_->connected()) << publisher_->error();
  // The stream and the durable consumer were kept in the server's store.
  Publish(6, 10);
  ASSERT_TRUE(pipeline_.WaitApplied(10, milliseconds(20000)));
  ASSERT_TRUE(WaitNoAckPending()) << publisher_->error();
  EXPECT_EQ(Sample(registry_, "atmwatch_jetstream_connected", {}), 1);
  EXPECT_GE(Sample(registry_, "atmwatch_jetstream_disconnects_total", {}), 1);
  source->Stop();
  // Whatever came twice was acked as a duplicate, not applied again.
  EXPECT_EQ(pipeline_.applied_batches(), 10);
  EXPECT_EQ(Acked("applied"), 10);
}

TEST_F(JetStreamSourceTest, StartsAndStopsWhileTheServerIsDown) {
  // Stop waits for the client library's report that the connection closed;
  // a connection that never came up is reported closed too, so Stop returns
  // without a server.
  server_.Kill();
  auto source = StartSource(Options());
  EXPECT_EQ(Sample(registry_, "atmwatch_jetstream_connected", {}), 0);
  source->Stop();
  source.reset();
  EXPECT_EQ(Sample(registry_, "atmwatch_jetstream_connected", {}), 0);
}

TEST_F(JetStreamSourceTest, StopWaitsForTheAnswersInFlight) {
  pipeline_.Hold(true);
  auto source = StartSource(Options());
  Publish(1, 4);
  ASSERT_TRUE(pipeline_.WaitHeld(4));
  std::thread answer([&] {
    // The delay is the subject: Stop, begun meanwhile, must still be waiting
    // for these answers 300 ms later. Nothing outside the source tells that
    // Stop has begun waiting, so there is no condition to wait for instead.
    std::this_thread::sleep_for(milliseconds(300));
    pipeline_.ReleaseHeld();
  });
  source->Stop();  // returns once the four are acked and flushed
  answer.join();
  EXPECT_EQ(Acked("applied"), 4);
  EXPECT_EQ(publisher_->AckPending(kStream, ConsumerName("test", kSubject)), 0);
}

}  // namespace
}  // namespace atmwatch::jetstream
