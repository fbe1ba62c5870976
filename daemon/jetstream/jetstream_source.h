#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "atmwatch/v1/ingest.pb.h"
#include "common/status.h"
#include "ingest/decoded_batch.h"
#include "jetstream/durable_consumer.h"
#include "jetstream/in_flight_window.h"
#include "jetstream/jetstream_metrics.h"
#include "jetstream/nats_connection.h"
#include "jetstream/settle_queue.h"

namespace atmwatch::jetstream {

struct SourceOptions {
  ClusterOptions cluster;
  std::string stream = "ATMWATCH";
  std::string durable;  // this daemon's name; one consumer per subject is derived from it
  std::vector<std::string> subjects;
  std::size_t fetch_batch = 64;
  std::size_t max_in_flight = 256;  // over all subjects
  std::chrono::milliseconds ack_wait{30000};
  std::chrono::milliseconds nak_delay{1000};
  // How long one pull request waits for messages; also bounds how long Stop
  // waits for a fetch thread.
  std::chrono::milliseconds fetch_wait{500};
  std::chrono::milliseconds retry_interval{1000};  // binding a consumer again
  std::chrono::milliseconds drain_timeout{10000};  // Stop waiting for in-flight acks
};

// Batches from a JetStream stream into the ingest pipeline: one fetch thread
// per subject pulls from that subject's durable consumer, submits each
// message's Batch, and the message is acked only once the pipeline's Ack
// says the batch is durable (or that no retry can help); UNAVAILABLE and seq
// gaps are naked, so JetStream delivers them again after nak_delay. A
// message delivered twice (a lost ack, a daemon killed between its fsync and
// its ack) is deduplicated by the pipeline's (source_id, seq) check and
// acked as a duplicate.
//
// At most max_in_flight batches are between fetch and settlement. Acks are
// sent from a thread of their own, never from the pipeline's callback.
//
// Start/Stop from one thread. `metrics` must outlive the source.
class JetStreamSource {
 public:
  using AckCallback = std::function<void(const v1::Ack&)>;
  // IngestPipeline::Submit: answers exactly once, on any thread.
  using Submit = std::function<void(std::unique_ptr<const ingest::DecodedBatch>, AckCallback)>;

  JetStreamSource(SourceOptions options, Submit submit, JetStreamMetrics& metrics);
  ~JetStreamSource() { Stop(); }
  JetStreamSource(const JetStreamSource&) = delete;
  JetStreamSource& operator=(const JetStreamSource&) = delete;

  // Connects (in the background if the server is not up yet) and starts
  // consuming. An error only for options the client library refuses.
  Status Start();
  // Stop fetching → wait (up to drain_timeout) for the batches in flight to
  // be answered and settled → close. Messages still unsettled then are
  // redelivered by JetStream after ack_wait, to this daemon's next run.
  void Stop();

 private:
  void FetchLoop(std::size_t subject);
  bool EnsureBound(std::size_t subject);
  void OnFetchError(std::size_t subject, natsStatus status);
  void Deliver(std::size_t subject, natsMsg* message);
  void SettleLoop();
  // Sleeps up to `duration`, less when Stop is called.
  void Pause(std::chrono::milliseconds duration);

  const SourceOptions options_;
  const Submit submit_;
  JetStreamMetrics& metrics_;
  NatsConnection connection_;
  // One per subject, each touched only by its fetch thread.
  struct Lane {
    std::unique_ptr<DurableConsumer> consumer;
    int fetch_errors = 0;  // in a row, while connected
    bool bind_failure_logged = false;
  };
  std::vector<Lane> lanes_;
  InFlightWindow window_;
  std::shared_ptr<SettleQueue> settle_queue_ = std::make_shared<SettleQueue>();

  std::atomic<bool> stopping_{false};
  std::mutex pause_mutex_;
  std::condition_variable pause_;
  std::vector<std::thread> fetchers_;
  std::thread settler_;
  bool started_ = false;
};

}  // namespace atmwatch::jetstream
