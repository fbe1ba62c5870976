#pragma once

// The operator kit's fleet: six ATMs with fifteen days of history at 12
// transactions an hour, so each has a 7-day average and a baseline for
// today's weekday (the same weekday one and two weeks ago). Today, ATM0003
// has had no transaction for three hours although it keeps sending
// heartbeats and its line is up (AtmSilent), and ATM0005 has done a sixth of
// its usual (AtmLowUsage); the others go on transacting while the test runs.
// The kanto ATMs send live through a real nats-server, on a JetStream
// subject the daemon consumes as a scaled-out network's daemons do; the
// others over the TCP port.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "atmwatch/v1/events.pb.h"
#include "client/ingest_client.h"
#include "jetstream/testing/nats_server.h"
#include "testing/daemon_process.h"

namespace atmwatch::testing {

inline constexpr int64_t kMinuteMs = 60'000;
inline constexpr int64_t kHourMs = 60 * kMinuteMs;
inline constexpr int64_t kDayMs = 24 * kHourMs;

struct FleetAtm {
  const char* id;
  const char* site;
  const char* region;
  const char* line_id;
  const char* carrier;
};
inline constexpr FleetAtm kFleet[] = {
    {"ATM0001", "Parlor Shinjuku 1", "kanto", "819000000001", "docomo"},
    {"ATM0002", "Shop Umeda 2", "kansai", "819000000002", "kddi"},
    {"ATM0003", "Parlor Namba 3", "kansai", "819000000003", "docomo"},
    {"ATM0004", "Shop Sapporo 4", "hokkaido", "819000000004", "kddi"},
    {"ATM0005", "Parlor Ikebukuro 5", "kanto", "819000000005", "docomo"},
    {"ATM0006", "Shop Kobe 6", "kansai", "819000000006", "kddi"},
};
inline const std::string kSilentAtm = "ATM0003";
inline const std::string kLowAtm = "ATM0005";
// Loaded light: it runs dry before its region's next visit (AtmCashOutBeforeVisit).
inline const std::string kCashShortAtm = kLowAtm;

// The live fleet's kanto ATMs publish one batch a second here, as one source.
inline constexpr char kJetStreamSubject[] = "atmwatch.events.kanto";

// The daemon's atm_silence: short, so that the healthy ATMs are up only as
// long as the live fleet keeps sending.
inline constexpr int kAtmSilenceSeconds = 10;

int64_t NowMs();

// A UTC offset (minutes, -12:00..+12:00) at which the local time is noon at
// `now_ms`: today's baseline then has twelve hours behind it and no local
// midnight falls within the test, whenever it runs.
int NoonOffsetMinutes(int64_t now_ms);

// atmwatchd's config for the fleet: its inventory, costs that put every ATM
// above breakeven, business hours all day, the JetStream source at `nats_url`.
std::string DaemonConfig(int offset_minutes, const std::string& nats_url);

// The fleet's past up to `now_ms`, in time order: every ATM at 12
// transactions an hour (one in 12 declined) from local midnight
// 15 days ago, except the silent ATM's last three hours and most
// of the low ATM's today; then each line attached and in session and each
// ATM in service a minute or two ago.
std::vector<v1::Envelope> FleetHistory(int64_t today_midnight_ms, int64_t now_ms);

client::ClientOptions ClientFor(const DaemonProcess& daemon, const std::string& source_id);

// The fleet in real time, on its own thread: each second a heartbeat from
// every ATM, an interim accounting update of every line, a withdrawal at
// every healthy ATM and now and then one at the low ATM; none at the silent
// one. The kanto ATMs' events go out as one JetStream batch a second, the
// others' over the TCP port.
class LiveFleet {
 public:
  LiveFleet(client::ClientOptions options, jetstream::testing::Publisher& publisher)
      : publisher_(publisher), thread_([this, options = std::move(options)] { Run(options); }) {}
  ~LiveFleet() { Stop(); }
  LiveFleet(const LiveFleet&) = delete;
  LiveFleet& operator=(const LiveFleet&) = delete;

  void Stop();
  // Set once the thread has stopped: why it failed, empty if it did not.
  std::string error() const;
  // Events the daemon rejected so far on the TCP port.
  uint64_t rejected() const { return rejected_; }
  // Batches JetStream has taken so far (publish acked).
  uint64_t published() const { return published_; }

 private:
  void Run(const client::ClientOptions& options);
  void Fail(const std::string& why);

  jetstream::testing::Publisher& publisher_;
  mutable std::mutex mutex_;
  std::condition_variable wake_;
  bool stop_ = false;
  std::string error_;
  std::atomic<uint64_t> rejected_{0};
  std::atomic<uint64_t> published_{0};
  std::thread thread_;
};

}  // namespace atmwatch::testing
