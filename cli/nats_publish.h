#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace atmwatch::cli {

struct NatsSendOptions {
  std::string servers;  // nats://HOST:PORT, or several separated by commas
  std::string subject;  // e.g. atmwatch.events.kanto
  std::string source_id;
  // A NATS publisher cannot ask the daemon where it left off: it numbers
  // its batches from here, and a source that publishes again continues
  // after its last seq (or repeats it, which the daemon counts as duplicate).
  std::uint64_t first_seq = 1;
  std::string input = "-";
  std::size_t batch_events = 1000;
  // How long one batch may go without a publish ack (resent meanwhile)
  // before the run gives up.
  std::chrono::milliseconds publish_timeout{60000};
};

// `atmwatch send --nats URL --subject S`: canonical-JSON Envelopes, one per
// line, published as Batch messages (one per NATS message) to a JetStream
// stream, each waiting for its publish ack before the next. The message id
// is "<source_id>:<seq>": a batch whose ack did not come (a server lost, a
// stream leader being elected) is resent under the same id, and the stream
// drops the copy if the first one was stored after all (within its
// duplicate window). Exit 0 when every batch was stored, 1 otherwise.
int RunNatsSend(const NatsSendOptions& options);

}  // namespace atmwatch::cli
