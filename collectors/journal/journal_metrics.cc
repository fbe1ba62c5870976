#include "journal/journal_metrics.h"

#include <chrono>

#include "journal/journal_line.h"

namespace atmwatch::journal {
namespace {

using prometheus::BuildCounter;
using prometheus::BuildGauge;

}  // namespace

JournalMetrics::JournalMetrics(prometheus::Registry& registry)
    : lines_read_(BuildCounter()
                      .Name("atmwatch_journal_lines_read_total")
                      .Help("Journal data lines read (header lines not counted), malformed "
                            "ones included; lines re-read to resend after a failure count again")
                      .Register(registry)
                      .Add({})),
      malformed_(BuildCounter()
                     .Name("atmwatch_journal_malformed_lines_total")
                     .Help("Journal lines skipped as malformed, by reason")
                     .Register(registry)),
      sent_(BuildCounter()
                .Name("atmwatch_journal_events_sent_total")
                .Help("AtmTransactions handed to the ingest client, resends included")
                .Register(registry)
                .Add({})),
      rotations_(BuildCounter()
                     .Name("atmwatch_journal_rotations_total")
                     .Help("Journal paths that came to hold a new file (rename + create)")
                     .Register(registry)
                     .Add({})),
      truncations_(BuildCounter()
                       .Name("atmwatch_journal_truncations_total")
                       .Help("Journal files that shrank below the read offset; read again from 0")
                       .Register(registry)
                       .Add({})),
      send_failures_(BuildCounter()
                         .Name("atmwatch_journal_send_failures_total")
                         .Help("Rounds of batches the daemon did not acknowledge in time; each "
                               "is resent under the same seqs")
                         .Register(registry)
                         .Add({})),
      files_followed_(BuildGauge()
                          .Name("atmwatch_journal_files_followed")
                          .Help("Journal files open, rotated ones not yet finished included")
                          .Register(registry)
                          .Add({})),
      bytes_behind_(BuildGauge()
                        .Name("atmwatch_journal_bytes_behind")
                        .Help("Bytes in followed files beyond what the daemon acknowledged")
                        .Register(registry)
                        .Add({})),
      last_ack_(BuildGauge()
                    .Name("atmwatch_journal_last_ack_timestamp_seconds")
                    .Help("Unix time of the daemon's last acknowledgement")
                    .Register(registry)
                    .Add({})),
      daemon_link_(registry, "journal") {
  for (std::string_view reason : MalformedReasons()) {
    malformed_by_reason_[reason] = &malformed_.Add({{"reason", std::string(reason)}});
  }
}

void JournalMetrics::CountLinesRead(std::uint64_t lines) {
  lines_read_.Increment(static_cast<double>(lines));
}

void JournalMetrics::CountMalformed(std::string_view reason) {
  malformed_by_reason_.at(reason)->Increment();
}

void JournalMetrics::CountSent(std::uint64_t events) {
  sent_.Increment(static_cast<double>(events));
}

void JournalMetrics::CountAck(std::uint32_t accepted, std::uint32_t duplicates) {
  daemon_link_.CountAck(accepted, duplicates);
}

void JournalMetrics::CountRejected(const std::string& reason) {
  daemon_link_.CountRejection(reason);
}

void JournalMetrics::CountRotations(int n) { rotations_.Increment(n); }

void JournalMetrics::CountTruncations(int n) { truncations_.Increment(n); }

void JournalMetrics::CountSendFailure() { send_failures_.Increment(); }

void JournalMetrics::CountRefusal() { daemon_link_.CountRefusal(); }

void JournalMetrics::SetFilesFollowed(std::size_t files) {
  files_followed_.Set(static_cast<double>(files));
}

void JournalMetrics::SetBytesBehind(std::uint64_t bytes) {
  bytes_behind_.Set(static_cast<double>(bytes));
}

void JournalMetrics::SetLastAckNow() {
  last_ack_.Set(
      std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch()).count());
}

}  // namespace atmwatch::journal
