// What the data directory promises, tested on the real daemon: an
// acknowledged event survives SIGKILL, a retried batch is never applied
// twice, damage is reported and survived, and a full disk refuses batches
// instead of acknowledging them.

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
#include "daemon_process.h"
#include "http_fetch.h"
#include "test_events.h"
#include "tool_run.h"

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

std::map<std::string, double> Expected(int events) {
  std::map<std::string, double> expected;
  for (int n = 0; n < events; ++n) ++expected[SeriesOf(n)];
  return expected;
}

void ExpectCounts(const DaemonProcess& daemon, const std::map<std::string, double>& expected) {
  const std::string metrics = HttpGet(daemon.http_base() + "/metrics").body;
  for (const auto& [series, count] : expected) {
    EXPECT_EQ(SampleValue(metrics, series), count) << series;
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
  for (int i = 0; i < 100 && daemon.log().find("reload: config applied") == std::string::npos;
       ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  ASSERT_NE(daemon.log().find("reload: config applied"), std::string::npos) << daemon.log();
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
  for (int i = 0; i < 300 && ready.status != 503; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ready = HttpGet(daemon.http_base() + "/readyz");
  }
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
  for (int i = 0; i < 300 && errors < 1; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    metrics = HttpGet(daemon.http_base() + "/metrics").body;
    errors = SampleValue(metrics, "atmwatch_wal_write_errors_total");
  }
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

}  // namespace
}  // namespace atmwatch::testing
