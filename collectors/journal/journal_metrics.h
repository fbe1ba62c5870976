#pragma once

#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/registry.h>

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "client/daemon_link_metrics.h"

// The collector's own Prometheus series (prefix atmwatch_journal_), and what
// the daemon answered it (client/daemon_link_metrics.h, collector="journal"). Series
// with labels from a fixed set are created up front so counting is a plain
// atomic add; only the daemon's rejection reasons are added when first seen.
//
// Thread-safe (the exposer scrapes while the poll loop counts). `registry`
// must outlive this object.
namespace atmwatch::journal {

class JournalMetrics {
 public:
  explicit JournalMetrics(prometheus::Registry& registry);

  void CountLinesRead(std::uint64_t lines);
  // `reason` is one of MalformedReasons().
  void CountMalformed(std::string_view reason);
  void CountSent(std::uint64_t events);
  void CountAck(std::uint32_t accepted, std::uint32_t duplicates);
  void CountRejected(const std::string& reason);
  void CountRotations(int n);
  void CountTruncations(int n);
  void CountSendFailure();
  // An attempt the daemon refused as UNAUTHENTICATED.
  void CountRefusal();
  void SetFilesFollowed(std::size_t files);
  void SetBytesBehind(std::uint64_t bytes);
  void SetLastAckNow();

 private:
  prometheus::Counter& lines_read_;
  prometheus::Family<prometheus::Counter>& malformed_;
  std::map<std::string_view, prometheus::Counter*, std::less<>> malformed_by_reason_;
  prometheus::Counter& sent_;
  prometheus::Counter& rotations_;
  prometheus::Counter& truncations_;
  prometheus::Counter& send_failures_;
  prometheus::Gauge& files_followed_;
  prometheus::Gauge& bytes_behind_;
  prometheus::Gauge& last_ack_;
  client::DaemonLinkMetrics daemon_link_;
};

}  // namespace atmwatch::journal
