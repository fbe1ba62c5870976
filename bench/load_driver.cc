// atmwatch-load: drives a running atmwatchd's ingest port as hard as it
// takes, from its own process, and reports throughput and ack latency.
//
// Each connection pipelines up to --window batches: a sender thread writes
// frames and stamps each batch, a receiver thread reads the acks and records
// how long each batch waited for its ack (which includes the fsync).
//
// The frames are built by the driver (transactions at --atms ATMs, for
// --seconds, up to --max-events or until SIGINT/SIGTERM), or with --frames
// replayed as they are from a file of delimited Batches, such as
// atmwatch-bench-events writes, on one connection: the file fixes the
// events, their source and their seqs.

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
#include <csignal>
#include <cstring>
#include <deque>
#include <fstream>
#include <functional>
#include <iostream>
#include <memory>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "atmwatch/v1/ingest.pb.h"

namespace {

using Clock = std::chrono::steady_clock;

// Set by SIGINT/SIGTERM: stop sending, wait for the acks, report.
std::atomic<bool> stop_requested{false};
void RequestStop(int) { stop_requested = true; }

struct Options {
  std::string ingest = "127.0.0.1:7420";
  int connections = 1;
  int batch_events = 1000;
  int window = 16;
  int atms = 10000;
  double seconds = 10;
  double rate = 0;               // events/s over all connections; 0 = as fast as acks allow
  std::uint64_t max_events = 0;  // stop after this many events over all connections; 0 = none
  std::string source_prefix = "load";
  std::string frames_path;  // replay this file instead of building frames
};

// The next frame a connection sends, or false when it has sent them all.
using NextFrame = std::function<bool(std::string* frame, std::string* error)>;

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

// Frames sent round-robin from a pre-built set whose seq numbers are
// rewritten per round, so the daemon applies every batch; paced to the
// connection's share of --rate, until `end` or its share of --max-events.
NextFrame BuiltFrames(const Options& options, int index, Clock::time_point end) {
  const std::string source = fmt::format("{}-{}-{}", options.source_prefix, getpid(), index);
  constexpr int kDistinctBatches = 64;
  auto templates = std::make_shared<std::vector<atmwatch::v1::Batch>>();
  for (const auto& frame : BuildFrames(options, source, kDistinctBatches, 1, 1000 + index)) {
    google::protobuf::io::ArrayInputStream in(frame.data(), static_cast<int>(frame.size()));
    atmwatch::v1::Batch batch;
    google::protobuf::util::ParseDelimitedFromZeroCopyStream(&batch, &in, nullptr);
    templates->push_back(std::move(batch));
  }
  const double per_connection_rate = options.rate / options.connections;
  const std::uint64_t max_batches =
      options.max_events == 0
          ? 0
          : (options.max_events / static_cast<std::uint64_t>(options.connections) +
             static_cast<std::uint64_t>(options.batch_events) - 1) /
                static_cast<std::uint64_t>(options.batch_events);
  return [=, &options, seq = std::uint64_t{0}, start = Clock::now()](std::string* frame,
                                                                     std::string*) mutable {
    if (stop_requested || Clock::now() >= end || (max_batches > 0 && seq >= max_batches)) {
      return false;
    }
    ++seq;
    if (per_connection_rate > 0) {
      const auto due =
          start + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
                      static_cast<double>((seq - 1) * options.batch_events) / per_connection_rate));
      std::this_thread::sleep_until(due);
    }
    auto& batch = (*templates)[(seq - 1) % templates->size()];
    batch.set_seq(seq);
    frame->clear();
    google::protobuf::io::StringOutputStream out(frame);
    google::protobuf::util::SerializeDelimitedToZeroCopyStream(batch, &out);
    return true;
  };
}

// Delimited frames read from a file and sent as they are, length included.
NextFrame FileFrames(const std::string& path) {
  auto in = std::make_shared<std::ifstream>(path, std::ios::binary);
  return [in, path](std::string* frame, std::string* error) {
    frame->clear();
    std::uint64_t length = 0;
    int c = in->get();
    if (c == EOF) return false;  // the end, between two frames
    for (int shift = 0;; shift += 7) {
      frame->push_back(static_cast<char>(c));
      length |= static_cast<std::uint64_t>(c & 0x7f) << shift;
      if ((c & 0x80) == 0) break;
      if (shift >= 56 || (c = in->get()) == EOF) {
        *error = path + ": malformed frame length";
        return false;
      }
    }
    const std::size_t head = frame->size();
    frame->resize(head + length);
    if (!in->read(frame->data() + head, static_cast<std::streamsize>(length))) {
      *error = path + ": the last frame is cut short";
      return false;
    }
    return true;
  };
}

// One connection: sends what `next` yields, pipelined up to --window batches.
ConnectionResult RunConnection(const Options& options, const NextFrame& next) {
  ConnectionResult result;
  const int fd = Connect(options.ingest);
  if (fd < 0) {
    result.error = "cannot connect to " + options.ingest;
    return result;
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

  std::string frame;
  std::string read_error;
  while (!failed && next(&frame, &read_error)) {
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
  if (!read_error.empty() && result.error.empty()) result.error = read_error;
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
  app.add_option("--max-events", options.max_events,
                 "stop after about this many events over all connections (0 = no limit)");
  app.add_option("--source-prefix", options.source_prefix);
  app.add_option("--frames", options.frames_path,
                 "replay this file of delimited Batches on one connection, then stop")
      ->check(CLI::ExistingFile);
  CLI11_PARSE(app, argc, argv);
  // The file's batches carry one source and consecutive seqs: one connection.
  if (!options.frames_path.empty()) options.connections = 1;
  std::signal(SIGINT, RequestStop);
  std::signal(SIGTERM, RequestStop);

  const auto start = Clock::now();
  const auto end = start + std::chrono::duration_cast<Clock::duration>(
                               std::chrono::duration<double>(options.seconds));
  std::vector<ConnectionResult> results(static_cast<std::size_t>(options.connections));
  std::vector<std::thread> threads;
  for (int i = 0; i < options.connections; ++i) {
    threads.emplace_back([&, i] {
      results[static_cast<std::size_t>(i)] =
          RunConnection(options, options.frames_path.empty() ? BuiltFrames(options, i, end)
                                                             : FileFrames(options.frames_path));
    });
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
      "connections={} batch={} window={} rate={} seconds={:.3f}\n"
      "events_acked={} rejected={} events_per_second={:.0f} batches={}\n"
      "ack_latency_ms p50={:.2f} p90={:.2f} p99={:.2f} max={:.2f}\n"
      "driver_cpu_seconds={:.2f}\n",
      options.connections,
      options.frames_path.empty() ? std::to_string(options.batch_events) : "file", options.window,
      options.rate > 0 ? fmt::format("{:.0f}", options.rate) : "max", elapsed, events, rejected,
      static_cast<double>(events) / elapsed, latencies.size(), Percentile(latencies, 0.5),
      Percentile(latencies, 0.9), Percentile(latencies, 0.99),
      latencies.empty() ? 0.0 : *std::max_element(latencies.begin(), latencies.end()),
      static_cast<double>(usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) +
          static_cast<double>(usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6);
  return 0;
}
