#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace atmwatch::cli {

struct NatsSendOptions {
  std::string url;      // nats://HOST:PORT
  std::string subject;  // e.g. atmwatch.events.kanto
  std::string source_id;
  // A NATS publisher cannot ask the daemon where it left off: it numbers
  // its batches from here, and a source that publishes again continues
  // after its last seq (or repeats it, which the daemon counts as duplicate).
  std::uint64_t first_seq = 1;
  std::string input = "-";
  std::size_t batch_events = 1000;
};

// `atmwatch send --nats URL --subject S`: canonical-JSON Envelopes, one per
// line, published as Batch messages (one per NATS message) to a JetStream
// stream, each waiting for its publish ack. The message id is
// "<source_id>:<seq>", so the stream also drops a batch published twice
// within its duplicate window. Exit 0 when every batch was stored, 1
// otherwise.
int RunNatsSend(const NatsSendOptions& options);

struct AddStreamOptions {
  std::string url;
  std::string stream = "ATMWATCH";
  std::vector<std::string> subjects = {"atmwatch.events.>"};
};

// `atmwatch add-stream`: creates a file-backed JetStream stream for the
// daemons to consume (exit 0 also when it exists with the same settings).
int RunAddStream(const AddStreamOptions& options);

}  // namespace atmwatch::cli
