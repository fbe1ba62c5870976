// What the data directory promises, tested on the real daemon: an
// acknowledged event survives SIGKILL, a retried batch is never applied
// twice, damage is reported and survived, and a full disk refuses batches
// instead of acknowledging them.

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/mount.h>
#include <unistd.h>

#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <thread>

#include "client/ingest_client.h"
#include "testing/daemon_process.h"
#include "testing/eventually.h"
#include "testing/http_fetch.h"
#include "testing/test_events.h"
#include "testing/tool_run.h"
#include "wal/batch_log.h"

namespace atmwatch::testing {
namespace {

using v1::AtmTransaction;

// Events whose ATM and type vary with n, so every series checks something.
v1::Envelope Event(int n, std::size_t padding = 0) {
  v1::Envelope e;
  e.set_time_unix_ms(NowMs());
  auto* tx = e.mutable_transaction();
  tx->set_atm_id("ATM000" + std::to_string(1 + n % 4));
  tx->set_type(n % 3 == 0 ? AtmTransaction::BALANCE_INQUIRY : AtmTransaction::WITHDRAWAL);
  tx->set_result(AtmTransaction::APPROVED);
  tx->set_host_ref(std::string(padding, 'r'));
  return e;
}

std::string SeriesOf(int n) {
  return "atmwatch_atm_transactions_total{atm_id=\"ATM000" + std::to_string(1 + n % 4) +
         "\",type=\"" + (n % 3 == 0 ? "balance_inquiry" : "withdrawal") + "\",result=\"approved\"}";
}

// Events first..end-1; every series of the four ATMs, 0 where none fell.
std::map<std::string, double> ExpectedBetween(int first, int end) {
  std::map<std::string, double> expected;
  for (int n = 0; n < 12; ++n) expected[SeriesOf(n)] = 0;
  for (int n = first; n < end; ++n) ++expected[SeriesOf(n)];
  return expected;
}

std::map<std::string, double> Expected(int events) { return ExpectedBetween(0, events); }

void ExpectCounts(const DaemonProcess& daemon, const std::map<std::string, double>& expected) {
  const std::string metrics = HttpGet(daemon.http_base() + "/metrics").body;
  for (const auto& [series, count] : expected) {
    // An ATM series that never counted anything may not be exported at all.
    EXPECT_EQ(std::max(0.0, SampleValue(metrics, series)), count) << series;
  }
}

client::ClientOptions ClientFor(const DaemonProcess& daemon, const std::string& source) {
  client::ClientOptions options;
  options.address = daemon.ingest_address();
  options.source_id = source;
  options.max_batch_events = 50;
  options.first_seq = 1;  // the test keeps the numbering, as a stateful source would
  options.backoff_initial = std::chrono::milliseconds(20);
  options.backoff_max = std::chrono::milliseconds(200);
  options.give_up_after = std::chrono::seconds(60);
  return options;
}

Status SendAll(client::IngestClient& client, int first, int count, std::size_t padding = 0) {
  for (int n = first; n < first + count; ++n) {
    if (auto status = client.Add(Event(n, padding)); !status.ok()) return status;
  }
  return client.Flush();
}

void FlipByte(const std::string& path, std::uint64_t offset) {
  std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
  file.seekg(static_cast<std::streamoff>(offset));
  const char byte = static_cast<char>(file.get());
  file.seekp(static_cast<std::streamoff>(offset));
  file.put(static_cast<char>(byte ^ 0x5a));
}

std::vector<std::string> FilesIn(const std::string& dir, const std::string& suffix) {
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string path = entry.path().string();
    if (path.size() >= suffix.size() && path.ends_with(suffix)) files.push_back(path);
  }
  std::sort(files.begin(), files.end());
  return files;
}

// Snapshots only when the test asks for one (SIGTERM), so the log holds
// what the test wants to damage.
const char* kNoPeriodicSnapshots =
    "wal: {snapshot_every_records: 100000000, snapshot_interval: 1h}\n";

TEST(DurabilityTest, KilledTwentyTimesWhileStreamingLosesAndDoublesNothing) {
  DaemonProcess daemon(kNoPeriodicSnapshots);
  ASSERT_TRUE(daemon.Start()) << daemon.log();

  std::atomic<int> kills{0};
  std::atomic<bool> killing_done{false};
  std::thread killer([&] {
    std::mt19937 rng(20261125);
    std::uniform_int_distribution<int> pause_ms(30, 250);
    for (int i = 0; i < 20; ++i) {
      // The random pause is the subject: kills land at arbitrary points of
      // the stream. Nothing is waited for here.
      std::this_thread::sleep_for(std::chrono::milliseconds(pause_ms(rng)));
      daemon.Kill();
      ++kills;
      if (!daemon.Start()) break;
    }
    killing_done = true;
  });

  client::IngestClient client(ClientFor(daemon, "crash-test"));
  int sent = 0;
  Status status;
  // Stream until the killer is done, then a little more after the last restart.
  while (status.ok() && !killing_done) {
    status = SendAll(client, sent, 200);
    sent += 200;
  }
  killer.join();
  if (status.ok()) status = SendAll(client, sent, 200);
  sent += 200;
  ASSERT_TRUE(status.ok()) << status.message() << "\n" << daemon.log();
  ASSERT_EQ(kills, 20) << daemon.log();

  // Every event was acknowledged (the client retries until it is), so the
  // durable counters must hold each event exactly once.
  EXPECT_EQ(client.totals().accepted + client.totals().duplicates,
            static_cast<std::uint64_t>(sent));
  EXPECT_GT(client.totals().reconnects, 0u);
  ExpectCounts(daemon, Expected(sent));

  // And once more after a clean restart from the shutdown snapshot.
  ASSERT_EQ(daemon.Stop(SIGTERM), 0) << daemon.log();
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  ExpectCounts(daemon, Expected(sent));
}

TEST(DurabilityTest, DamagedSegmentIsReportedWithFileAndOffsetAndTheRestIsKept) {
  DaemonProcess daemon(kNoPeriodicSnapshots);
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  {
    client::ClientOptions options = ClientFor(daemon, "damage-test");
    options.max_batch_events = 10;
    client::IngestClient client(options);
    // ~3 KB per batch record: the damaged block holds a few batches, not all.
    ASSERT_TRUE(SendAll(client, 0, 600, /*padding=*/250).ok());
    ASSERT_EQ(client.totals().accepted, 600u);
  }
  daemon.Kill();  // no shutdown snapshot: everything is in the log
  const auto segments = FilesIn(daemon.data_dir() + "/wal", ".log");
  ASSERT_EQ(segments.size(), 1u);
  ASSERT_GT(std::filesystem::file_size(segments[0]), 100000u);
  FlipByte(segments[0], 50000);

  ASSERT_TRUE(daemon.Start()) << daemon.log();
  const std::string segment_name = std::filesystem::path(segments[0]).filename().string();
  EXPECT_NE(daemon.log().find("wal: damaged: " + segment_name + ":"), std::string::npos)
      << daemon.log();
  const std::string metrics = HttpGet(daemon.http_base() + "/metrics").body;
  EXPECT_GT(SampleValue(metrics, "atmwatch_wal_corrupt_bytes_total"), 0);
  // Some batches are gone with the damaged block; the rest are all there.
  double total = 0;
  for (const auto& [series, count] : Expected(600)) {
    const double value = SampleValue(metrics, series);
    EXPECT_LE(value, count) << series;
    total += value;
  }
  EXPECT_LT(total, 600);
  EXPECT_GT(total, 500);
  daemon.Kill();

  // With --wal-strict (wal.strict) the daemon refuses to start and says
  // where the damage is.
  DaemonProcess strict_check("", {"--wal-strict"});
  strict_check.set_data_dir(daemon.data_dir());
  strict_check.Spawn();
  EXPECT_EQ(strict_check.WaitExit(std::chrono::seconds(10)), 1) << strict_check.log();
  EXPECT_NE(strict_check.log().find(segments[0] + ":"), std::string::npos) << strict_check.log();
  EXPECT_NE(strict_check.log().find("wal.strict"), std::string::npos) << strict_check.log();
}

// Damage in the newest segment's last block, with acknowledged batches after
// it in the same block, is not a torn write: it is counted, those batches are
// kept, and strict refuses to start.
TEST(DurabilityTest, DamageInTheLastBlockWithAckedBatchesAfterItIsNotCutAsATornWrite) {
  DaemonProcess daemon(kNoPeriodicSnapshots);
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  const std::string wal = daemon.data_dir() + "/wal";
  // Batches of 10 events, ~3 KB as records, until the last block holds more
  // than 14 KB: several whole batches follow the damaged byte.
  int sent = 0;
  {
    client::ClientOptions options = ClientFor(daemon, "last-block");
    options.max_batch_events = 10;
    client::IngestClient client(options);
    auto last_block_bytes = [&] {
      const auto files = FilesIn(wal, ".log");
      return files.empty() ? 0 : std::filesystem::file_size(files.back()) % 32768;
    };
    while (sent < 2000 && (sent < 400 || last_block_bytes() < 14000)) {
      ASSERT_TRUE(SendAll(client, sent, 10, /*padding=*/250).ok());
      sent += 10;
    }
    ASSERT_EQ(client.totals().accepted, static_cast<std::uint64_t>(sent));
  }
  daemon.Kill();
  const auto segments = FilesIn(wal, ".log");
  ASSERT_EQ(segments.size(), 1u);
  const std::uint64_t size = std::filesystem::file_size(segments[0]);
  const std::uint64_t last_block = (size - 1) / 32768 * 32768;
  ASSERT_GT(size - last_block, 14000u);
  FlipByte(segments[0], last_block + 2000);

  ASSERT_TRUE(daemon.Start()) << daemon.log();
  EXPECT_NE(daemon.log().find("wal: damaged: "), std::string::npos) << daemon.log();
  EXPECT_EQ(daemon.log().find("torn write"), std::string::npos) << daemon.log();
  const std::string metrics = HttpGet(daemon.http_base() + "/metrics").body;
  EXPECT_GT(SampleValue(metrics, "atmwatch_wal_corrupt_bytes_total"), 0);
  EXPECT_EQ(SampleValue(metrics, "atmwatch_wal_torn_tail_bytes_total"), 0);
  // Exactly the damaged batch of 10 events is gone.
  double total = 0;
  for (const auto& [series, count] : Expected(sent)) total += SampleValue(metrics, series);
  EXPECT_EQ(total, sent - 10);
  daemon.Kill();
  EXPECT_EQ(std::filesystem::file_size(segments[0]), size) << "acknowledged batches were cut";

  DaemonProcess strict_check("", {"--wal-strict"});
  strict_check.set_data_dir(daemon.data_dir());
  strict_check.Spawn();
  EXPECT_EQ(strict_check.WaitExit(std::chrono::seconds(10)), 1) << strict_check.log();
  EXPECT_NE(strict_check.log().find(segments[0] + ":"), std::string::npos) << strict_check.log();
  EXPECT_NE(strict_check.log().find("checksum mismatch; refusing to start (wal.strict)"),
            std::string::npos)
      << strict_check.log();
}

TEST(DurabilityTest, DamagedSnapshotFallsBackToThePreviousOneAndReplays) {
  DaemonProcess daemon(kNoPeriodicSnapshots);
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  client::IngestClient first(ClientFor(daemon, "snapshot-test"));
  ASSERT_TRUE(SendAll(first, 0, 300).ok());
  ASSERT_EQ(daemon.Stop(SIGTERM), 0);  // snapshot 1
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  client::ClientOptions options = ClientFor(daemon, "snapshot-test");
  options.first_seq = first.next_seq();
  client::IngestClient second(options);
  ASSERT_TRUE(SendAll(second, 300, 300).ok());
  ASSERT_EQ(daemon.Stop(SIGTERM), 0);  // snapshot 2

  const auto snapshots = FilesIn(daemon.data_dir() + "/snapshots", ".snap");
  ASSERT_EQ(snapshots.size(), 2u);
  FlipByte(snapshots.back(), std::filesystem::file_size(snapshots.back()) - 5);

  ASSERT_TRUE(daemon.Start()) << daemon.log();
  EXPECT_NE(daemon.log().find("snapshot " + snapshots.back() + " is damaged"), std::string::npos)
      << daemon.log();
  const std::string metrics = HttpGet(daemon.http_base() + "/metrics").body;
  EXPECT_EQ(SampleValue(metrics, "atmwatch_snapshot_damaged_total"), 1);
  EXPECT_GT(SampleValue(metrics, "atmwatch_recovery_replayed_records"), 0);
  ExpectCounts(daemon, Expected(600));

  // The retry contract survived too: resending the last batch is a duplicate.
  v1::Batch batch;
  batch.set_source_id("snapshot-test");
  batch.set_seq(second.next_seq() - 1);
  *batch.add_events() = Event(0);
  const HttpResult posted = HttpPost(daemon.http_base() + "/v1/events", "application/x-protobuf",
                                     batch.SerializeAsString());
  v1::Ack ack;
  ASSERT_TRUE(ack.ParseFromString(posted.body));
  EXPECT_EQ(ack.duplicates(), 1u);
  ExpectCounts(daemon, Expected(600));
}

// Fees changed by SIGHUP price the withdrawals after the reload, and a crash
// must not re-price the ones before it: the reload is a checkpoint in the log.
TEST(DurabilityTest, ReloadedFeesDoNotRepriceEarlierWithdrawalsAfterACrash) {
  const auto config = [](int yen) {
    return "atms: [{id: ATM0001}]\nfees: {bands: [], default_yen: " + std::to_string(yen) + "}\n" +
           kNoPeriodicSnapshots;
  };
  DaemonProcess daemon(config(100));
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  const auto withdrawals = [&](std::uint64_t first_seq) {
    client::ClientOptions options = ClientFor(daemon, "reload-test");
    options.first_seq = first_seq;
    client::IngestClient client(options);
    for (int i = 0; i < 10; ++i) {
      v1::Envelope e;
      e.set_time_unix_ms(NowMs());
      auto* tx = e.mutable_transaction();
      tx->set_atm_id("ATM0001");
      tx->set_type(AtmTransaction::WITHDRAWAL);
      tx->set_result(AtmTransaction::APPROVED);
      tx->set_amount_yen(10000);
      EXPECT_TRUE(client.Add(e).ok());
    }
    EXPECT_TRUE(client.Flush().ok());
    return client.next_seq();
  };
  const std::uint64_t next = withdrawals(1);

  daemon.WriteConfig(config(300));
  daemon.Signal(SIGHUP);
  // Batches sent after the reload is logged queue behind its checkpoint.
  ASSERT_TRUE(
      Eventually([&] { return daemon.log().find("reload: config applied") != std::string::npos; },
                 std::chrono::seconds(5), std::chrono::milliseconds(50)))
      << daemon.log();
  withdrawals(next);

  const std::string series = R"(atmwatch_atm_commission_yen_total{atm_id="ATM0001"})";
  EXPECT_EQ(SampleValue(HttpGet(daemon.http_base() + "/metrics").body, series),
            10 * 100 + 10 * 300);
  daemon.Kill();
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  EXPECT_EQ(SampleValue(HttpGet(daemon.http_base() + "/metrics").body, series), 10 * 100 + 10 * 300)
      << daemon.log();
}

// A data directory on a small tmpfs the test mounts, with `free_bytes` left
// free by a filler file that the test removes to give the space back.
class SmallDisk {
 public:
  SmallDisk(const std::string& root, std::size_t free_bytes) : mount_point_(root + "/small-disk") {
    std::filesystem::create_directories(mount_point_);
    mounted_ = mount("tmpfs", mount_point_.c_str(), "tmpfs", 0, "size=2m") == 0;
    if (!mounted_) return;
    std::ofstream(filler(), std::ios::binary) << std::string(2 * 1024 * 1024 - free_bytes, 'f');
  }
  ~SmallDisk() {
    if (mounted_) umount2(mount_point_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  std::string data_dir() const { return mount_point_ + "/data"; }
  void FreeSpace() const { std::filesystem::remove(filler()); }

 private:
  std::string filler() const { return mount_point_ + "/filler"; }
  std::string mount_point_;
  bool mounted_ = false;
};

double CountedEvents(const std::string& metrics, int events) {
  double counted = 0;
  for (const auto& [series, count] : Expected(events)) {
    counted += std::max(0.0, SampleValue(metrics, series));
  }
  return counted;
}

// Streams kEvents of ~300 bytes each (about 1.2 MB: more than the small disk
// has) from a thread, counting what is acknowledged.
class DiskFiller {
 public:
  static constexpr int kEvents = 4000;

  explicit DiskFiller(const DaemonProcess& daemon)
      : thread_([this, &daemon] {
          client::IngestClient client(ClientFor(daemon, "disk-full"),
                                      [this](const v1::Batch&, const v1::Ack& ack) {
                                        acked_ += ack.accepted() + ack.duplicates();
                                      });
          status_ = SendAll(client, 0, kEvents, /*padding=*/200);
        }) {}
  Status Finish() {
    thread_.join();
    return status_;
  }
  std::uint64_t acked() const { return acked_; }

 private:
  std::atomic<std::uint64_t> acked_{0};
  Status status_;
  std::thread thread_;
};

// Below the free-space reserve the daemon refuses batches before any write
// can tear: /readyz says why, nothing is acknowledged that is not durable,
// and once space is back the client's retries go through by themselves.
TEST(DurabilityTest, FullDiskRefusesBatchesAndRecoversWhenSpaceReturns) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to mount a size-limited tmpfs";
  DaemonProcess daemon(
      "wal: {segment_bytes: 256KiB, min_free_bytes: 512KiB, snapshot_every_records: 100000000, "
      "snapshot_interval: 1h}\n");
  SmallDisk disk(daemon.root(), 1024 * 1024);
  ASSERT_TRUE(disk.mounted()) << std::strerror(errno);
  daemon.set_data_dir(disk.data_dir());
  ASSERT_TRUE(daemon.Start()) << daemon.log();

  DiskFiller filler(daemon);
  HttpResult ready;
  EXPECT_TRUE(
      Eventually([&] { return (ready = HttpGet(daemon.http_base() + "/readyz")).status == 503; },
                 std::chrono::seconds(15), std::chrono::milliseconds(50)));
  ASSERT_EQ(ready.status, 503) << daemon.log();
  EXPECT_NE(ready.body.find("No space left on device"), std::string::npos) << ready.body;
  EXPECT_NE(ready.body.find("wal.min_free_bytes"), std::string::npos) << ready.body;
  const std::string metrics = HttpGet(daemon.http_base() + "/metrics").body;
  EXPECT_EQ(SampleValue(metrics, "atmwatch_wal_healthy"), 0);
  EXPECT_GE(SampleValue(metrics, "atmwatch_wal_write_errors_total"), 1);
  const std::uint64_t acked_while_full = filler.acked();
  EXPECT_LT(acked_while_full, static_cast<std::uint64_t>(DiskFiller::kEvents));
  EXPECT_GE(CountedEvents(metrics, DiskFiller::kEvents), static_cast<double>(acked_while_full));

  disk.FreeSpace();
  const Status status = filler.Finish();
  ASSERT_TRUE(status.ok()) << status.message() << "\n" << daemon.log();
  EXPECT_EQ(filler.acked(), static_cast<std::uint64_t>(DiskFiller::kEvents));
  EXPECT_EQ(HttpGet(daemon.http_base() + "/readyz").status, 200);
  ExpectCounts(daemon, Expected(DiskFiller::kEvents));
  EXPECT_NE(daemon.log().find("can be written again"), std::string::npos) << daemon.log();

  // What was acknowledged is on the small disk for good.
  daemon.Kill();
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  ExpectCounts(daemon, Expected(DiskFiller::kEvents));
}

// Without a reserve the disk fills up mid-write (ENOSPC): the torn group is
// refused, never acknowledged, and the log recovers once space returns.
TEST(DurabilityTest, WriteFailingWithNoSpaceIsNeverAcknowledged) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to mount a size-limited tmpfs";
  DaemonProcess daemon(
      "wal: {segment_bytes: 256KiB, min_free_bytes: 0, snapshot_every_records: 100000000, "
      "snapshot_interval: 1h}\n");
  SmallDisk disk(daemon.root(), 300 * 1024);
  ASSERT_TRUE(disk.mounted()) << std::strerror(errno);
  daemon.set_data_dir(disk.data_dir());
  ASSERT_TRUE(daemon.Start()) << daemon.log();

  DiskFiller filler(daemon);
  double errors = 0;
  std::string metrics;
  EXPECT_TRUE(Eventually(
      [&] {
        metrics = HttpGet(daemon.http_base() + "/metrics").body;
        errors = SampleValue(metrics, "atmwatch_wal_write_errors_total");
        return errors >= 1;
      },
      std::chrono::seconds(15), std::chrono::milliseconds(50)));
  ASSERT_GE(errors, 1) << daemon.log();
  EXPECT_NE(daemon.log().find("No space left on device"), std::string::npos) << daemon.log();
  const std::uint64_t acked_while_full = filler.acked();
  EXPECT_LT(acked_while_full, static_cast<std::uint64_t>(DiskFiller::kEvents));
  EXPECT_GE(CountedEvents(metrics, DiskFiller::kEvents), static_cast<double>(acked_while_full));

  disk.FreeSpace();
  const Status status = filler.Finish();
  ASSERT_TRUE(status.ok()) << status.message() << "\n" << daemon.log();
  ExpectCounts(daemon, Expected(DiskFiller::kEvents));
  daemon.Kill();
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  ExpectCounts(daemon, Expected(DiskFiller::kEvents));
}

// ---- A real full disk, the way an operator's worst day fills one ----

v1::Envelope Withdrawal(const std::string& atm, std::size_t padding) {
  v1::Envelope e;
  e.set_time_unix_ms(NowMs());
  auto* tx = e.mutable_transaction();
  tx->set_atm_id(atm);
  tx->set_type(AtmTransaction::WITHDRAWAL);
  tx->set_result(AtmTransaction::APPROVED);
  tx->set_host_ref(std::string(padding, 'r'));
  return e;
}

std::string WithdrawalsOf(const std::string& atm) {
  return "atmwatch_atm_transactions_total{atm_id=\"" + atm +
         "\",type=\"withdrawal\",result=\"approved\"}";
}

constexpr int kDiskBatchEvents = 100;

// POSTs one batch of kDiskBatchEvents withdrawals at `atm`; the daemon's ack.
v1::Ack PostBatch(const DaemonProcess& daemon, const std::string& source, std::uint64_t seq,
                  const std::string& atm) {
  v1::Batch batch;
  batch.set_source_id(source);
  batch.set_seq(seq);
  for (int i = 0; i < kDiskBatchEvents && seq > 0; ++i) *batch.add_events() = Withdrawal(atm, 200);
  const HttpResult posted = HttpPost(daemon.http_base() + "/v1/events", "application/x-protobuf",
                                     batch.SerializeAsString());
  v1::Ack ack;
  if (!ack.ParseFromString(posted.body)) ack.set_error(v1::Ack::UNAVAILABLE);
  return ack;
}

std::size_t Occurrences(const std::string& text, const std::string& what) {
  std::size_t count = 0;
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++count;
  return count;
}

// The issue's repro, on a small tmpfs and without a reserve: several sources
// stream until the disk refuses them, space comes back, the sources go on
// from the next_seq the daemon names, with events of new ATMs, then the
// daemon is killed. After the restart every ATM holds exactly the events
// that were acknowledged: nothing of a refused group comes back.
TEST(DurabilityTest, FullDiskWithoutReserveKeepsExactlyTheAcknowledgedBatchesAcrossAKill) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to mount a size-limited tmpfs";
  DaemonProcess daemon(
      "wal: {segment_bytes: 256KiB, min_free_bytes: 0, commit_delay: 5ms, "
      "snapshot_every_records: 100000000, snapshot_interval: 1h}\n");
  SmallDisk disk(daemon.root(), 600 * 1024);
  ASSERT_TRUE(disk.mounted()) << std::strerror(errno);
  daemon.set_data_dir(disk.data_dir());
  ASSERT_TRUE(daemon.Start()) << daemon.log();

  // Each source streams its own seqs, so their batches share groups.
  constexpr int kSources = 6;
  std::vector<std::uint64_t> acked(kSources, 0);  // last acked seq per source
  std::vector<std::string> refusals(kSources);
  {
    std::vector<std::thread> senders;
    for (int s = 0; s < kSources; ++s) {
      senders.emplace_back([&, s] {
        for (std::uint64_t seq = 1; seq <= 200; ++seq) {
          const v1::Ack ack = PostBatch(daemon, "disk-" + std::to_string(s), seq, "OLD0001");
          if (ack.error() != v1::Ack::NONE) {
            refusals[s] = ack.error_detail();
            return;
          }
          acked[s] = seq;
        }
      });
    }
    for (auto& sender : senders) sender.join();
  }
  std::uint64_t old_acked = 0;
  for (int s = 0; s < kSources; ++s) {
    ASSERT_FALSE(refusals[s].empty()) << "source " << s << " was never refused";
    old_acked += acked[s] * kDiskBatchEvents;
  }
  // The refusal says why, and while the disk stays full the daemon says it
  // is not ready, however many more batches come.
  EXPECT_NE(refusals[0].find("No space left on device"), std::string::npos) << refusals[0];
  for (int i = 0; i < 5; ++i) {
    EXPECT_EQ(PostBatch(daemon, "disk-0", acked[0] + 1, "OLD0001").error(), v1::Ack::UNAVAILABLE);
  }
  const HttpResult ready = HttpGet(daemon.http_base() + "/readyz");
  EXPECT_EQ(ready.status, 503) << ready.body;
  EXPECT_NE(ready.body.find("No space left on device"), std::string::npos) << ready.body;
  EXPECT_EQ(SampleValue(HttpGet(daemon.http_base() + "/metrics").body, "atmwatch_wal_healthy"), 0);
  EXPECT_EQ(Occurrences(daemon.log(), "refusing new batches until the log can be written again"),
            1u)
      << daemon.log();

  disk.FreeSpace();
  ASSERT_TRUE(Eventually([&] { return HttpGet(daemon.http_base() + "/readyz").status == 200; }))
      << daemon.log();
  EXPECT_EQ(Occurrences(daemon.log(), "[info] wal: the log can be written again"), 1u)
      << daemon.log();
  std::uint64_t new_acked = 0;
  for (int s = 0; s < kSources; ++s) {
    const std::string source = "disk-" + std::to_string(s);
    const v1::Ack query = PostBatch(daemon, source, 0, "");
    ASSERT_EQ(query.next_seq(), acked[s] + 1) << source;
    for (std::uint64_t seq = query.next_seq(); seq < query.next_seq() + 2; ++seq) {
      const v1::Ack ack = PostBatch(daemon, source, seq, "NEW0001");
      ASSERT_EQ(ack.error(), v1::Ack::NONE) << ack.error_detail();
      new_acked += ack.accepted();
    }
  }
  ASSERT_EQ(new_acked, 2u * kSources * kDiskBatchEvents);

  daemon.Kill();
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  const std::string metrics = HttpGet(daemon.http_base() + "/metrics").body;
  // LSNs the refused group spent are not history gone missing.
  EXPECT_EQ(SampleValue(metrics, "atmwatch_recovery_missing_records"), 0) << daemon.log();
  EXPECT_EQ(SampleValue(metrics, WithdrawalsOf("OLD0001")), static_cast<double>(old_acked))
      << daemon.log();
  EXPECT_EQ(SampleValue(metrics, WithdrawalsOf("NEW0001")), static_cast<double>(new_acked))
      << daemon.log();
}

// With the default reserve on a disk that already has less free, the daemon
// is not ready from the start, not only once the first batch comes; it
// becomes ready by itself when space returns.
TEST(DurabilityTest, DiskBelowTheReserveAtStartIsNotReadyBeforeAnyBatch) {
  if (geteuid() != 0) GTEST_SKIP() << "needs root to mount a size-limited tmpfs";
  DaemonProcess daemon(kNoPeriodicSnapshots);
  SmallDisk disk(daemon.root(), 1024 * 1024);  // 1 MiB free, below the 64 MiB default
  ASSERT_TRUE(disk.mounted()) << std::strerror(errno);
  daemon.set_data_dir(disk.data_dir());
  daemon.Spawn();
  ASSERT_TRUE(daemon.WaitListening()) << daemon.log();
  HttpResult ready;
  ASSERT_TRUE(Eventually([&] {
    ready = HttpGet(daemon.http_base() + "/readyz");
    return ready.body.find("write-ahead log") != std::string::npos;
  })) << daemon.log();
  EXPECT_EQ(ready.status, 503);
  EXPECT_NE(ready.body.find("below the reserve of 67108864 (wal.min_free_bytes)"),
            std::string::npos)
      << ready.body;
  EXPECT_EQ(SampleValue(HttpGet(daemon.http_base() + "/metrics").body, "atmwatch_wal_healthy"), 0);
  const v1::Ack refused = PostBatch(daemon, "reserve", 1, "OLD0001");
  EXPECT_EQ(refused.error(), v1::Ack::UNAVAILABLE);
  EXPECT_NE(refused.error_detail().find("wal.min_free_bytes"), std::string::npos)
      << refused.error_detail();
  EXPECT_EQ(Occurrences(daemon.log(), "[error]"), 1u) << daemon.log();
  EXPECT_EQ(daemon.Stop(SIGTERM), 0) << daemon.log();
}

// ---- Damaged snapshots and history missing between them and the log ----

enum class SnapshotDamage { kTruncated, kBadChecksum, kZeroLength, kWrongMagic };

std::string NameOf(SnapshotDamage damage) {
  switch (damage) {
    case SnapshotDamage::kTruncated:
      return "Truncated";
    case SnapshotDamage::kBadChecksum:
      return "BadChecksum";
    case SnapshotDamage::kZeroLength:
      return "ZeroLength";
    case SnapshotDamage::kWrongMagic:
      return "WrongMagic";
  }
  return "";
}

void Damage(const std::string& path, SnapshotDamage damage) {
  const auto size = std::filesystem::file_size(path);
  switch (damage) {
    case SnapshotDamage::kTruncated:
      std::filesystem::resize_file(path, size / 2);
      break;
    case SnapshotDamage::kBadChecksum:
      FlipByte(path, size - 3);
      break;
    case SnapshotDamage::kZeroLength:
      std::filesystem::resize_file(path, 0);
      break;
    case SnapshotDamage::kWrongMagic: {
      std::fstream file(path, std::ios::in | std::ios::out | std::ios::binary);
      file.write("GARBAGE!", 8);
      break;
    }
  }
}

// The first LSN of the oldest segment, from its name (wal-<LSN>.log).
std::uint64_t FirstSegmentLsn(const std::string& data_dir) {
  const auto segments = FilesIn(data_dir + "/wal", ".log");
  if (segments.empty()) return 0;
  const std::string name = std::filesystem::path(segments.front()).filename().string();
  return std::stoull(name.substr(4, 20));
}

constexpr int kEventsPerBatch = 50;
constexpr int kRounds = 3;
constexpr int kEventsPerRound = 300;

// Three runs of kEventsPerRound events in 50-event batches (one log record
// each, LSN k holding events 50(k-1)..50k-1), each ended by SIGTERM and its
// snapshot. With small segments, the log then no longer starts at LSN 1: the
// segments the older kept snapshot covers are gone.
void WriteThreeSnapshots(DaemonProcess& daemon) {
  std::uint64_t next_seq = 1;
  for (int round = 0; round < kRounds; ++round) {
    ASSERT_TRUE(daemon.Start()) << daemon.log();
    client::ClientOptions options = ClientFor(daemon, "snapshot-damage");
    options.max_batch_events = kEventsPerBatch;
    options.first_seq = next_seq;
    client::IngestClient client(options);
    ASSERT_TRUE(SendAll(client, round * kEventsPerRound, kEventsPerRound, /*padding=*/250).ok());
    next_seq = client.next_seq();
    ASSERT_EQ(daemon.Stop(SIGTERM), 0) << daemon.log();
  }
}

struct SnapshotDamageCase {
  SnapshotDamage damage;
  bool log_hole;  // the log no longer starts at LSN 1
};

class EverySnapshotDamagedTest : public ::testing::TestWithParam<SnapshotDamageCase> {};

// Every snapshot fails its checks. When the log still holds every record,
// replaying it from LSN 1 rebuilds everything and nothing is missing, strict
// or not. When it no longer starts at LSN 1, the records before its oldest
// segment are missing: strict refuses to start naming them; without strict
// the daemon starts with exactly the events of the records left, says so in
// one error line and in atmwatch_recovery_missing_records.
TEST_P(EverySnapshotDamagedTest, IsMissingHistoryOnlyWhenTheLogNoLongerStartsAtOne) {
  const SnapshotDamageCase param = GetParam();
  DaemonProcess daemon(std::string("wal: {segment_bytes: ") + (param.log_hole ? "64KiB" : "64MiB") +
                       ", snapshot_every_records: 100000000, snapshot_interval: 1h}\n");
  WriteThreeSnapshots(daemon);
  const int sent = kRounds * kEventsPerRound;
  const auto snapshots = FilesIn(daemon.data_dir() + "/snapshots", ".snap");
  ASSERT_EQ(snapshots.size(), 2u);
  for (const auto& snapshot : snapshots) Damage(snapshot, param.damage);
  const std::uint64_t first_lsn = FirstSegmentLsn(daemon.data_dir());
  if (param.log_hole) {
    ASSERT_GT(first_lsn, 1u);
  } else {
    ASSERT_EQ(first_lsn, 1u);
  }
  const std::uint64_t missing = first_lsn - 1;

  DaemonProcess strict("", {"--wal-strict"});
  strict.set_data_dir(daemon.data_dir());
  if (param.log_hole) {
    strict.Spawn();
    EXPECT_EQ(strict.WaitExit(std::chrono::seconds(20)), 1) << strict.log();
    EXPECT_NE(strict.log().find(fmt::format("{} records are missing: LSNs 1..{} (before "
                                            "wal-{:020}.log, the oldest segment), with no usable "
                                            "snapshot; refusing to start (wal.strict)",
                                            missing, missing, first_lsn)),
              std::string::npos)
        << strict.log();
  } else {
    ASSERT_TRUE(strict.Start()) << strict.log();
    ExpectCounts(strict, Expected(sent));
    ASSERT_EQ(strict.Stop(SIGKILL), 128 + SIGKILL);
  }

  ASSERT_TRUE(daemon.Start()) << daemon.log();
  const std::string metrics = HttpGet(daemon.http_base() + "/metrics").body;
  EXPECT_EQ(SampleValue(metrics, "atmwatch_snapshot_damaged_total"), 2);
  EXPECT_EQ(SampleValue(metrics, "atmwatch_recovery_missing_records"),
            static_cast<double>(missing));
  ExpectCounts(daemon, ExpectedBetween(static_cast<int>(missing) * kEventsPerBatch, sent));
  const std::string missing_line = fmt::format("[error] recovery: {} records are missing", missing);
  EXPECT_EQ(daemon.log().find(missing_line) != std::string::npos, param.log_hole) << daemon.log();
}

std::vector<SnapshotDamageCase> AllSnapshotDamageCases() {
  std::vector<SnapshotDamageCase> cases;
  for (const auto damage : {SnapshotDamage::kTruncated, SnapshotDamage::kBadChecksum,
                            SnapshotDamage::kZeroLength, SnapshotDamage::kWrongMagic}) {
    for (const bool hole : {false, true}) cases.push_back({damage, hole});
  }
  return cases;
}

INSTANTIATE_TEST_SUITE_P(Damage, EverySnapshotDamagedTest,
                         ::testing::ValuesIn(AllSnapshotDamageCases()),
                         [](const ::testing::TestParamInfo<SnapshotDamageCase>& info) {
                           return NameOf(info.param.damage) +
                                  (info.param.log_hole ? "WithLogHole" : "WithWholeLog");
                         });

// A segment gone from the middle of the log (removed by hand, lost with a
// partial restore) is history missing between the records around it.
TEST(DurabilityTest, SegmentGoneFromTheMiddleOfTheLogIsMissingHistory) {
  DaemonProcess daemon(
      "wal: {segment_bytes: 64KiB, snapshot_every_records: 100000000, snapshot_interval: 1h}\n");
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  constexpr int kEvents = 1200;  // 24 records of 50 events, about 4 to a segment
  {
    client::IngestClient client(ClientFor(daemon, "middle-segment"));
    ASSERT_TRUE(SendAll(client, 0, kEvents, /*padding=*/250).ok());
  }
  daemon.Kill();  // no snapshot: the log is all there is
  const auto segments = FilesIn(daemon.data_dir() + "/wal", ".log");
  ASSERT_GE(segments.size(), 3u);
  const auto lsn_of = [](const std::string& path) {
    return std::stoull(std::filesystem::path(path).filename().string().substr(4, 20));
  };
  const std::uint64_t first = lsn_of(segments[1]);
  const std::uint64_t last = lsn_of(segments[2]) - 1;
  std::filesystem::remove(segments[1]);

  DaemonProcess strict("", {"--wal-strict"});
  strict.set_data_dir(daemon.data_dir());
  strict.Spawn();
  EXPECT_EQ(strict.WaitExit(std::chrono::seconds(20)), 1) << strict.log();
  EXPECT_NE(strict.log().find(fmt::format("{} records are missing: LSNs {}..{}, with no usable "
                                          "snapshot; refusing to start (wal.strict)",
                                          last - first + 1, first, last)),
            std::string::npos)
      << strict.log();

  ASSERT_TRUE(daemon.Start()) << daemon.log();
  const std::string metrics = HttpGet(daemon.http_base() + "/metrics").body;
  EXPECT_EQ(SampleValue(metrics, "atmwatch_recovery_missing_records"),
            static_cast<double>(last - first + 1));
  std::map<std::string, double> expected = Expected(static_cast<int>(first - 1) * kEventsPerBatch);
  for (const auto& [series, count] :
       ExpectedBetween(static_cast<int>(last) * kEventsPerBatch, kEvents)) {
    expected[series] += count;
  }
  ExpectCounts(daemon, expected);
}

// Damage in records the snapshot already holds loses nothing: it is said once
// at info, not counted as corrupt bytes, and strict starts.
TEST(DurabilityTest, DamageTheSnapshotCoversIsNoReasonToRefuse) {
  DaemonProcess daemon(kNoPeriodicSnapshots);
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  {
    client::ClientOptions options = ClientFor(daemon, "covered-damage");
    options.max_batch_events = 10;
    client::IngestClient client(options);
    ASSERT_TRUE(SendAll(client, 0, 600, /*padding=*/250).ok());
  }
  ASSERT_EQ(daemon.Stop(SIGTERM), 0) << daemon.log();  // the snapshot covers all 60 records
  const auto segments = FilesIn(daemon.data_dir() + "/wal", ".log");
  ASSERT_EQ(segments.size(), 1u);  // the newest segment always stays
  FlipByte(segments[0], 50000);

  DaemonProcess strict(kNoPeriodicSnapshots, {"--wal-strict"});
  strict.set_data_dir(daemon.data_dir());
  ASSERT_TRUE(strict.Start()) << strict.log();
  EXPECT_NE(strict.log().find("damaged places lie in records the snapshot at record 60 already "
                              "holds; nothing is missing"),
            std::string::npos)
      << strict.log();
  EXPECT_EQ(strict.log().find("[error]"), std::string::npos) << strict.log();
  const std::string metrics = HttpGet(strict.http_base() + "/metrics").body;
  EXPECT_EQ(SampleValue(metrics, "atmwatch_wal_corrupt_bytes_total"), 0);
  EXPECT_EQ(SampleValue(metrics, "atmwatch_recovery_missing_records"), 0);
  ExpectCounts(strict, Expected(600));
}

// atmwatch_recovery_replayed_records counts the records applied on top of
// the snapshot, not every record read.
TEST(DurabilityTest, RecoveryCountsOnlyTheRecordsItApplies) {
  DaemonProcess daemon(kNoPeriodicSnapshots);
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  std::uint64_t next_seq = 1;
  {
    client::IngestClient client(ClientFor(daemon, "replay-count"));
    ASSERT_TRUE(SendAll(client, 0, 500).ok());  // 10 records of 50
    next_seq = client.next_seq();
  }
  ASSERT_EQ(daemon.Stop(SIGTERM), 0) << daemon.log();
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  EXPECT_EQ(SampleValue(HttpGet(daemon.http_base() + "/metrics").body,
                        "atmwatch_recovery_replayed_records"),
            0);
  EXPECT_NE(daemon.log().find("0 records applied from the log (10 read in 1 segments)"),
            std::string::npos)
      << daemon.log();
  {
    client::ClientOptions options = ClientFor(daemon, "replay-count");
    options.first_seq = next_seq;
    client::IngestClient client(options);
    ASSERT_TRUE(SendAll(client, 500, 150).ok());  // 3 more records
  }
  daemon.Kill();
  ASSERT_TRUE(daemon.Start()) << daemon.log();
  EXPECT_EQ(SampleValue(HttpGet(daemon.http_base() + "/metrics").body,
                        "atmwatch_recovery_replayed_records"),
            3);
  ExpectCounts(daemon, Expected(650));
}

// ---- Signals during recovery ----

// A log of `records` one-event batches written straight through BatchLog,
// far faster than streaming them: enough to keep recovery busy a while.
void GenerateLog(const std::string& data_dir, int records) {
  std::unique_ptr<wal::BatchLog> log;
  ASSERT_TRUE(wal::BatchLog::Open(data_dir + "/wal", {}, &log).ok());
  wal::ReplayReport report;
  ASSERT_TRUE(log->Replay(
                     0, false, [](std::uint64_t, std::string_view) {}, &report)
                  .ok());
  v1::Batch batch;
  batch.set_source_id("generated");
  for (int n = 0; n < records; ++n) {
    batch.set_seq(static_cast<std::uint64_t>(n) + 1);
    batch.clear_events();
    *batch.add_events() = Event(n);
    ASSERT_TRUE(log->Append(batch.SerializeAsString()).ok());
  }
  ASSERT_TRUE(log->Commit(/*sync=*/true).ok());
}

constexpr int kGeneratedRecords = 400000;

// Waits until the daemon's HTTP listener answers 503: listening, recovering.
bool Recovering(DaemonProcess& daemon) {
  return daemon.WaitListening() &&
         Eventually([&] { return HttpGet(daemon.http_base() + "/readyz").status == 503; },
                    std::chrono::seconds(20), std::chrono::milliseconds(5));
}

TEST(DurabilityTest, SigtermDuringRecoveryStopsWithExitZeroAndChangesNothing) {
  DaemonProcess daemon(kNoPeriodicSnapshots);
  GenerateLog(daemon.data_dir(), kGeneratedRecords);
  const auto segments = FilesIn(daemon.data_dir() + "/wal", ".log");
  const auto size_before = std::filesystem::file_size(segments.back());
  std::ofstream(segments.back(), std::ios::binary | std::ios::app) << "torn";

  daemon.Spawn();
  ASSERT_TRUE(Recovering(daemon)) << daemon.log();
  daemon.Signal(SIGTERM);
  EXPECT_EQ(daemon.WaitExit(std::chrono::seconds(30)), 0) << daemon.log();
  EXPECT_NE(daemon.log().find("signal 15 during recovery: abandoning the replay (nothing on disk "
                              "has changed) and stopping"),
            std::string::npos)
      << daemon.log();
  EXPECT_EQ(daemon.log().find(" ready:"), std::string::npos) << daemon.log();
  // Not even the torn tail was cut, and no snapshot was written.
  EXPECT_EQ(std::filesystem::file_size(segments.back()), size_before + 4);
  EXPECT_TRUE(FilesIn(daemon.data_dir() + "/snapshots", ".snap").empty());

  ASSERT_TRUE(daemon.Start(std::chrono::seconds(60))) << daemon.log();
  ExpectCounts(daemon, Expected(kGeneratedRecords));
}

TEST(DurabilityTest, SighupDuringRecoveryIsAppliedOnceReady) {
  DaemonProcess daemon("atms: [{id: ATM0001, site: Old, region: kanto}]\n");
  GenerateLog(daemon.data_dir(), kGeneratedRecords);
  daemon.Spawn();
  ASSERT_TRUE(Recovering(daemon)) << daemon.log();
  daemon.WriteConfig("atms: [{id: ATM0001, site: New, region: kansai}]\n");
  daemon.Signal(SIGHUP);
  const std::string info =
      R"(atmwatch_atm_info{atm_id="ATM0001",site="New",region="kansai",line_id="",carrier=""})";
  EXPECT_TRUE(Eventually(
      [&] { return SampleValue(HttpGet(daemon.http_base() + "/metrics").body, info) == 1; },
      std::chrono::seconds(60)))
      << daemon.log();
  const std::string log = daemon.log();
  const auto heard = log.find("SIGHUP during recovery: reloading once ready");
  const auto ready = log.find(" ready:");
  const auto applied = log.find("reload: config applied");
  ASSERT_NE(heard, std::string::npos) << log;
  ASSERT_NE(ready, std::string::npos) << log;
  EXPECT_LT(heard, ready) << log;
  EXPECT_LT(ready, applied) << log;
  EXPECT_EQ(HttpGet(daemon.http_base() + "/readyz").status, 200);
  ExpectCounts(daemon, Expected(kGeneratedRecords));
  EXPECT_EQ(daemon.Stop(SIGTERM), 0) << daemon.log();
}

}  // namespace
}  // namespace atmwatch::testing
