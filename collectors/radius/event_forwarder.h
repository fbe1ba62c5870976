#pragma once

#include <atomic>
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "atmwatch/v1/events.pb.h"
#include "client/ingest_client.h"

// Moves events from the network thread to the daemon: a bounded queue in
// front of a blocking IngestClient that runs on a thread of its own, and
// reports, per event, whether the daemon acknowledged it or it was lost.
//
// Every enqueued event is reported exactly once, through on_acknowledged or
// on_lost, in enqueue order; the callbacks run on the forwarder's thread and
// must not block for long. An event is lost when the client gives up on the
// daemon (unreachable for the client's give_up_after, or a seq gap); the
// forwarder then starts a fresh client that asks the daemon where this source
// left off, so a lost event may still have been applied: the sender must make
// a retry of it harmless (a RADIUS retransmit re-sends the same cumulative
// counters).
//
// A daemon that refuses the source as UNAUTHENTICATED applies nothing it
// refuses, and only a change of credentials or of its config (SIGHUP) helps.
// So the forwarder keeps those events in the client, which resends them
// under the same seqs, and tries again with backoff (on_refused each time)
// until the daemon accepts them or a stop is requested; new events queue up
// behind them meanwhile, to the capacity.
//
// HasRoom, Enqueue, outstanding and RequestStop are thread-safe. The
// destructor waits for the thread: destroy only after WaitStopped returned
// true, or not at all (see atmwatch-radius's main).
namespace atmwatch::radius {

class EventForwarder {
 public:
  struct Item {
    std::uint64_t request_id = 0;
    v1::Envelope event;
  };
  struct Outcome {
    std::uint64_t request_id = 0;
    bool rejected = false;
    std::string reason;  // the daemon's rejection reason
  };
  struct Acknowledged {
    std::vector<Outcome> events;  // one per event of the batch, in order
    std::uint32_t accepted = 0;
    std::uint32_t duplicates = 0;
  };
  struct Callbacks {
    std::function<void(Acknowledged)> on_acknowledged;
    std::function<void(std::vector<std::uint64_t> request_ids)> on_lost;
    std::function<void()> on_refused;  // an attempt refused as UNAUTHENTICATED
    std::function<void()> on_stopped;  // last call; everything was reported
  };

  // `capacity` bounds outstanding events (queued or on the wire).
  EventForwarder(client::ClientOptions options, std::size_t capacity, Callbacks callbacks);
  ~EventForwarder();
  EventForwarder(const EventForwarder&) = delete;
  EventForwarder& operator=(const EventForwarder&) = delete;

  bool HasRoom() const { return outstanding_.load() < capacity_; }
  // Takes the events of one request whole, even past the capacity: the
  // caller checks HasRoom first, so one request can overshoot, never more.
  void Enqueue(std::vector<Item> items);
  // Events enqueued and not yet reported.
  std::size_t outstanding() const { return outstanding_.load(); }

  // Sends what is queued, then stops; returns at once.
  void RequestStop();
  bool WaitStopped(std::chrono::steady_clock::time_point deadline);

 private:
  void Run();
  void Forward(std::vector<Item> items);
  Status Send(std::vector<Item>& items, std::size_t* next);
  void NoteRefusal(const Status& status, std::size_t held);
  bool WaitBeforeRetry(std::chrono::milliseconds delay);
  void HandleAck(const v1::Batch& batch, const v1::Ack& ack);
  void LoseUnacknowledged(std::vector<std::uint64_t> not_sent);
  std::unique_ptr<client::IngestClient> NewClient();

  const client::ClientOptions options_;
  const std::size_t capacity_;
  const Callbacks callbacks_;
  std::atomic<std::size_t> outstanding_{0};

  std::mutex mutex_;
  std::condition_variable wakeup_;
  std::vector<Item> queue_;
  bool stop_requested_ = false;
  bool stopped_ = false;
  std::condition_variable stopped_cv_;

  // Forwarder thread only: the client and the request of each event it holds.
  std::unique_ptr<client::IngestClient> client_;
  std::deque<std::uint64_t> sent_;
  std::uint64_t refused_attempts_ = 0;  // since the daemon last accepted a round
  std::thread thread_;
};

}  // namespace atmwatch::radius
