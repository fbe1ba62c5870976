#include "cli/nats_publish.h"

#include <fmt/format.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <chrono>
#include <fstream>
#include <iostream>
#include <thread>

#include "atmwatch/v1/ingest.pb.h"
#include "cli/event_input.h"
#include "cli/nats_client.h"

namespace atmwatch::cli {
namespace {

// How long one attempt waits for the stream's publish ack; a stream leader
// lost mid-publish is replaced within a few seconds.
constexpr int64_t kAckWaitMs = 2000;
constexpr std::chrono::milliseconds kFirstResendPause{100};
constexpr std::chrono::milliseconds kMaxResendPause{1000};
constexpr int kReportedResends = 10;

class BatchPublisher {
 public:
  BatchPublisher(jsCtx* js, const NatsSendOptions& options)
      : js_(js), options_(options), next_seq_(options.first_seq) {
    batch_.set_source_id(options.source_id);
  }

  bool Add(v1::Envelope event) {
    *batch_.add_events() = std::move(event);
    return static_cast<std::size_t>(batch_.events_size()) < options_.batch_events || Publish();
  }

  // Publishes the partial batch, if any, and waits for its publish ack.
  bool Publish() {
    if (batch_.events_size() == 0) return true;
    batch_.set_seq(next_seq_);
    const std::string payload = batch_.SerializeAsString();
    const std::string id = fmt::format("{}:{}", options_.source_id, next_seq_);
    const auto deadline = std::chrono::steady_clock::now() + options_.publish_timeout;
    std::chrono::milliseconds pause = kFirstResendPause;
    for (;;) {
      jsPubOptions publish;
      jsPubOptions_Init(&publish);
      publish.MsgId = id.c_str();
      publish.MaxWait = kAckWaitMs;
      jsPubAck* ack = nullptr;
      jsErrCode code = static_cast<jsErrCode>(0);
      const natsStatus s = js_Publish(&ack, js_, options_.subject.c_str(), payload.data(),
                                      static_cast<int>(payload.size()), &publish, &code);
      if (s == NATS_OK) {
        // Stored before, by an attempt whose ack was lost: dropped as a copy.
        if (ack->Duplicate) ++copies_dropped_;
        jsPubAck_Destroy(ack);
        break;
      }
      // A lost ack does not tell whether the stream stored the batch: it is
      // sent again under the same id until an ack says it is stored.
      if (s == NATS_CONNECTION_CLOSED || std::chrono::steady_clock::now() + pause >= deadline) {
        error_ =
            fmt::format("batch seq {} on {}: no publish ack within {} s: {}{}", next_seq_,
                        options_.subject, options_.publish_timeout.count() / 1000, NatsError(s),
                        s == NATS_NO_RESPONDERS ? "; no stream takes this subject (see "
                                                  "atmwatch add-stream)"
                                                : "");
        return false;
      }
      if (++resends_ <= kReportedResends) {
        std::cerr << fmt::format("batch seq {}: {}; sending it again as message {}\n", next_seq_,
                                 NatsError(s), id);
      }
      std::this_thread::sleep_for(pause);
      pause = std::min(pause * 2, kMaxResendPause);
    }
    events_ += static_cast<std::size_t>(batch_.events_size());
    ++batches_;
    ++next_seq_;
    batch_.clear_events();
    return true;
  }

  std::size_t events() const { return events_; }
  std::size_t batches() const { return batches_; }
  std::size_t resends() const { return resends_; }
  std::size_t copies_dropped() const { return copies_dropped_; }
  std::uint64_t next_seq() const { return next_seq_; }
  const std::string& error() const { return error_; }

 private:
  jsCtx* js_;
  const NatsSendOptions& options_;
  v1::Batch batch_;
  std::uint64_t next_seq_;
  std::size_t events_ = 0;
  std::size_t batches_ = 0;
  std::size_t resends_ = 0;
  std::size_t copies_dropped_ = 0;
  std::string error_;
};

}  // namespace

int RunNatsSend(const NatsSendOptions& options) {
  std::ifstream file;
  std::istream* in = OpenEventInput(options.input, file);
  if (in == nullptr) return 1;
  NatsClient nats;
  std::string error;
  if (!nats.Connect(options.servers, "atmwatch send " + options.source_id, &error)) {
    std::cerr << "atmwatch send: " << error << "\n";
    return 1;
  }
  BatchPublisher publisher(nats.js(), options);
  std::size_t line_number = 0, unparsable = 0;
  std::string line;
  bool ok = true;
  while (ok && std::getline(*in, line)) {
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    v1::Envelope event;
    if (const auto parsed = google::protobuf::util::JsonStringToMessage(line, &event);
        !parsed.ok()) {
      if (++unparsable <= 20) {
        std::cerr << fmt::format("rejected line {}: not an Envelope in JSON: {}\n", line_number,
                                 std::string(parsed.message()));
      }
      continue;
    }
    ok = publisher.Add(std::move(event));
  }
  if (ok) ok = publisher.Publish();
  std::cout << fmt::format(
      "published {} events in {} batches as '{}' to {} (seq {} to {}), {} lines unparsable\n",
      publisher.events(), publisher.batches(), options.source_id, options.subject,
      options.first_seq, publisher.next_seq() - 1, unparsable);
  if (publisher.resends() > 0) {
    std::cout << fmt::format(
        "{} resends after a missing publish ack; {} batches dropped by the stream as copies\n",
        publisher.resends(), publisher.copies_dropped());
  }
  if (!ok) {
    std::cerr << "atmwatch send: " << publisher.error() << "; publish again from --first-seq "
              << publisher.next_seq() << "\n";
    return 1;
  }
  return unparsable > 0 ? 1 : 0;
}

}  // namespace atmwatch::cli
