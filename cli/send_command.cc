#include "cli/send_command.h"

#include <fmt/format.h>
#include <google/protobuf/util/json_util.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <map>
#include <vector>

#include "cli/event_input.h"
#include "client/client_options.h"
#include "client/ingest_client.h"

namespace atmwatch::cli {
namespace {

constexpr std::size_t kMaxReportedRejections = 20;

std::string DefaultSourceId() {
  char host[256] = "host";
  gethostname(host, sizeof host - 1);
  return fmt::format("send-{}-{}", host, getpid());
}

// Remembers which input line each event of each batch came from, so
// rejections can name the line.
class RejectionReport {
 public:
  void Track(std::size_t line) { lines_.push_back(line); }

  void OnAck(const v1::Batch& batch, const v1::Ack& ack) {
    const std::size_t first = consumed_;
    consumed_ += static_cast<std::size_t>(batch.events_size());
    if (ack.error() == v1::Ack::INVALID_BATCH) {
      Note(fmt::format("lines {}-{}: batch refused: {}", lines_[first], lines_[consumed_ - 1],
                       ack.error_detail()));
      return;
    }
    for (const auto& rejection : ack.rejected()) {
      Note(fmt::format("line {}: {}: {}", lines_[first + rejection.index()], rejection.reason(),
                       rejection.detail()));
    }
  }

  void Note(std::string message) {
    ++count_;
    if (messages_.size() < kMaxReportedRejections) messages_.push_back(std::move(message));
  }

  void Print() const {
    for (const auto& message : messages_) std::cerr << "rejected " << message << "\n";
    if (count_ > messages_.size()) {
      std::cerr << "... and " << count_ - messages_.size() << " more rejections\n";
    }
  }

 private:
  std::vector<std::size_t> lines_;  // input line of the n-th event sent
  std::size_t consumed_ = 0;
  std::size_t count_ = 0;
  std::vector<std::string> messages_;
};

}  // namespace

int RunSend(const SendOptions& options) {
  std::ifstream file;
  std::istream* in = OpenEventInput(options.input, file);
  if (in == nullptr) return 1;

  RejectionReport report;
  client::IngestConfig ingest;
  ingest.address = options.ingest;
  ingest.source_id = options.source_id.empty() ? DefaultSourceId() : options.source_id;
  if (Status read =
          client::IngestSecurityFromFlags(options.tls, options.token_file, &ingest.security);
      !read.ok()) {
    std::cerr << "atmwatch send: " << read.message() << "\n";
    return 1;
  }
  client::ClientOptions client_options = client::ClientOptionsFor(ingest);
  client_options.max_batch_events = options.batch_events;
  client::IngestClient client(client_options, [&](const v1::Batch& batch, const v1::Ack& ack) {
    report.OnAck(batch, ack);
  });

  std::size_t line_number = 0, unparsable = 0;
  std::string line;
  Status status;
  while (status.ok() && std::getline(*in, line)) {
    ++line_number;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    v1::Envelope event;
    const auto parsed = google::protobuf::util::JsonStringToMessage(line, &event);
    if (!parsed.ok()) {
      ++unparsable;
      report.Note(fmt::format("line {}: not an Envelope in JSON: {}", line_number,
                              std::string(parsed.message())));
      continue;
    }
    report.Track(line_number);
    status = client.Add(std::move(event));
  }
  if (status.ok()) status = client.Flush();

  const auto& totals = client.totals();
  std::cout << fmt::format(
      "sent {} events in {} batches as '{}': {} accepted, {} duplicate, {} rejected\n",
      totals.accepted + totals.duplicates + totals.rejected, totals.batches,
      client_options.source_id, totals.accepted, totals.duplicates, totals.rejected + unparsable);
  report.Print();
  if (!status.ok()) {
    std::cerr << "atmwatch send: " << status.message() << "; " << client.pending_events()
              << " events were not acknowledged\n";
    return 1;
  }
  return totals.rejected + unparsable > 0 ? 1 : 0;
}

}  // namespace atmwatch::cli
