// atmwatch-load: drives a running atmwatchd's ingest port as hard as it
// takes, from its own process, and reports throughput and ack latency.
//
// Each connection pipelines up to --window batches: a sender thread writes
// frames and stamps each batch, a receiver thread reads the acks and records
// how long each batch waited for its ack (which includes the fsync).

#include <CLI/CLI.hpp>
#include <fmt/format.h>
#include <google/protobuf/io/zero_copy_stream_impl.h>
#include <google/protobuf/util/delimited_message_util.h>
#include <netdb.h>
#include <netinet/tcp.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstring>
#include <deque>
#include <iostream>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "atmwatch/v1/ingest.pb.h"

namespace {

using Clock = std::chrono::steady_clock;

struct Options {
  std::string ingest = "127.0.0.1:7420";
  int connections = 1;
  int batch_events = 1000;
  int window = 16;
  int atms = 10000;
  double seconds = 10;
  double rate = 0;  // events/s over all connections; 0 = as fast as acks allow
  std::string source_prefix = "load";
};

int Connect(const std::string& address) {
  const auto colon = address.rfind(':');
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* found = nullptr;
  if (getaddrinfo(address.substr(0, colon).c_str(), address.substr(colon + 1).c_str(), &hints,
                  &found) != 0) {
    return -1;
  }
  const int fd = socket(found->ai_family, found->ai_socktype, 0);
  const bool ok = connect(fd, found->ai_addr, found->ai_addrlen) == 0;
  freeaddrinfo(found);
  if (!ok) {
    close(fd);
    return -1;
  }
  const int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
  return fd;
}

// Pre-built transactions: the driver measures the daemon, not its own encoder.
std::vector<std::string> BuildFrames(const Options& options, const std::string& source,
                                     int count, std::uint64_t first_seq, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::uniform_int_distribution<int> atm(1, options.atms);
  const auto now_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch())
                          .count();
  std::vector<std::string> frames;
  for (int b = 0; b < count; ++b) {
    atmwatch::v1::Batch batch;
    batch.set_source_id(source);
    batch.set_seq(first_seq + static_cast<std::uint64_t>(b));
    for (int i = 0; i < options.batch_events; ++i) {
      auto* e = batch.add_events();
      e->set_time_unix_ms(now_ms);
      auto* tx = e->mutable_transaction();
      tx->set_atm_id(fmt::format("ATM{:05d}", atm(rng)));
      tx->set_type(atmwatch::v1::AtmTransaction::WITHDRAWAL);
      tx->set_result(atmwatch::v1::AtmTransaction::APPROVED);
      tx->set_amount_yen(10000);
    }
    std::string frame;
    google::protobuf::io::StringOutputStream out(&frame);
    google::protobuf::util::SerializeDelimitedToZeroCopyStream(batch, &out);
    frames.push_back(std::move(frame));
  }
  return frames;
}

struct ConnectionResult {
  std::uint64_t events = 0;
  std::uint64_t rejected = 0;
  std::vector<double> latencies_ms;
  std::string error;
};

// One connection: frames are sent round-robin from a pre-built set whose seq
// numbers are rewritten per round, so the daemon applies every batch.
ConnectionResult RunConnection(const Options& options, int index, Clock::time_point end) {
  ConnectionResult result;
  const int fd = Connect(options.ingest);
  if (fd < 0) {
    result.error = "cannot connect to " + options.ingest;
    return result;
  }
  const std::string source = fmt::format("{}-{}-{}", options.source_prefix, getpid(), index);
  constexpr int kDistinctBatches = 64;
  std::vector<atmwatch::v1::Batch> templates;
  {
    auto frames = BuildFrames(options, source, kDistinctBatches, 1, 1000 + index);
    for (const auto& frame : frames) {
      google::protobuf::io::ArrayInputStream in(frame.data(), static_cast<int>(frame.size()));
      atmwatch::v1::Batch batch;
      google::protobuf::util::ParseDelimitedFromZeroCopyStream(&batch, &in, nullptr);
      templates.push_back(std::move(batch));
    }
  }
  std::mutex mutex;
  std::condition_variable changed;
  std::deque<Clock::time_point> sent_at;
  bool sending_done = false;
  std::atomic<bool> failed{false};

  std::thread receiver([&] {
    google::protobuf::io::FileInputStream in(fd);
    for (;;) {
      {
        std::unique_lock lock(mutex);
        changed.wait(lock, [&] { return !sent_at.empty() || sending_done || failed; });
        if (sent_at.empty()) return;
      }
      atmwatch::v1::Ack ack;
      bool clean_eof = false;
      if (!google::protobuf::util::ParseDelimitedFromZeroCopyStream(&ack, &in, &clean_eof)) {
        result.error = "connection lost while waiting for acks";
        failed = true;
        changed.notify_all();
        return;
      }
      const auto now = Clock::now();
      std::lock_guard lock(mutex);
      result.latencies_ms.push_back(
          std::chrono::duration<double, std::milli>(now - sent_at.front()).count());
      sent_at.pop_front();
      result.events += ack.accepted() + ack.duplicates();
      result.rejected += static_cast<std::uint64_t>(ack.rejected_size());
      if (ack.error() != atmwatch::v1::Ack::NONE) {
        result.error = "ack error: " + ack.error_detail();
        failed = true;
      }
      changed.notify_all();
    }
  });

  const double per_connection_rate = options.rate / options.connections;
  const auto start = Clock::now();
  std::string frame;
  for (std::uint64_t seq = 1; Clock::now() < end && !failed; ++seq) {
    if (per_connection_rate > 0) {
      const auto due = start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
                                   static_cast<double>((seq - 1) * options.batch_events) /
                                   per_connection_rate));
      std::this_thread::sleep_until(due);
    }
    auto& batch = templates[(seq - 1) % templates.size()];
    batch.set_seq(seq);
    frame.clear();
    {
      google::protobuf::io::StringOutputStream out(&frame);
      google::protobuf::util::SerializeDelimitedToZeroCopyStream(batch, &out);
    }
    {
      std::unique_lock lock(mutex);
      changed.wait(lock, [&] {
        return sent_at.size() < static_cast<std::size_t>(options.window) || failed;
      });
      sent_at.push_back(Clock::now());
    }
    changed.notify_all();
    std::size_t done = 0;
    while (done < frame.size()) {
      const ssize_t n = send(fd, frame.data() + done, frame.size() - done, MSG_NOSIGNAL);
      if (n <= 0) {
        result.error = std::string("send failed: ") + std::strerror(errno);
        failed = true;
        break;
      }
      done += static_cast<std::size_t>(n);
    }
  }
  {
    std::lock_guard lock(mutex);
    sending_done = true;
  }
  changed.notify_all();
  receiver.join();
  close(fd);
  return result;
}

double Percentile(std::vector<double>& values, double p) {
  if (values.empty()) return 0;
  const auto k = static_cast<std::size_t>(p * static_cast<double>(values.size() - 1));
  std::nth_element(values.begin(), values.begin() + static_cast<std::ptrdiff_t>(k), values.end());
  return values[k];
}

}  // namespace

int main(int argc, char** argv) {
  Options options;
  CLI::App app{"atmwatch-load: ingest throughput and ack latency against a running atmwatchd"};
  app.add_option("--ingest", options.ingest, "daemon ingest address");
  app.add_option("--connections", options.connections)->check(CLI::Range(1, 256));
  app.add_option("--batch", options.batch_events, "events per batch")->check(CLI::Range(1, 100000));
  app.add_option("--window", options.window, "batches in flight per connection")
      ->check(CLI::Range(1, 4096));
  app.add_option("--atms", options.atms, "distinct ATM ids")->check(CLI::Range(1, 1000000));
  app.add_option("--seconds", options.seconds, "how long to send");
  app.add_option("--rate", options.rate, "events/s offered over all connections (0 = flat out)");
  app.add_option("--source-prefix", options.source_prefix);
  CLI11_PARSE(app, argc, argv);

  const auto start = Clock::now();
  const auto end = start + std::chrono::duration_cast<Clock::duration>(
                               std::chrono::duration<double>(options.seconds));
  std::vector<ConnectionResult> results(static_cast<std::size_t>(options.connections));
  std::vector<std::thread> threads;
  for (int i = 0; i < options.connections; ++i) {
    threads.emplace_back([&, i] { results[static_cast<std::size_t>(i)] = RunConnection(options, i, end); });
  }
  for (auto& t : threads) t.join();
  const double elapsed = std::chrono::duration<double>(Clock::now() - start).count();

  std::uint64_t events = 0, rejected = 0;
  std::vector<double> latencies;
  for (auto& r : results) {
    if (!r.error.empty()) {
      std::cerr << "atmwatch-load: " << r.error << "\n";
      return 1;
    }
    events += r.events;
    rejected += r.rejected;
    latencies.insert(latencies.end(), r.latencies_ms.begin(), r.latencies_ms.end());
  }
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  std::cout << fmt::format(
      "connections={} batch={} window={} rate={} seconds={:.1f}\n"
      "events_acked={} rejected={} events_per_second={:.0f} batches={}\n"
      "ack_latency_ms p50={:.2f} p90={:.2f} p99={:.2f} max={:.2f}\n"
      "driver_cpu_seconds={:.2f}\n",
      options.connections, options.batch_events, options.window,
      options.rate > 0 ? fmt::format("{:.0f}", options.rate) : "max", elapsed, events, rejected,
      static_cast<double>(events) / elapsed, latencies.size(), Percentile(latencies, 0.5),
      Percentile(latencies, 0.9), Percentile(latencies, 0.99),
      latencies.empty() ? 0.0 : *std::max_element(latencies.begin(), latencies.end()),
      static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
          static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6);
  return 0;
}
