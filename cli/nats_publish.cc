#include "cli/nats_publish.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <google/protobuf/util/json_util.h>
#include <nats/nats.h>

#include <fstream>
#include <iostream>
#include <memory>

#include "atmwatch/v1/ingest.pb.h"
#include "cli/event_input.h"

namespace atmwatch::cli {
namespace {

std::string NatsError(natsStatus status) {
  natsStatus ignored;
  const char* detail = nats_GetLastError(&ignored);
  std::string text = natsStatus_GetText(status);
  if (detail != nullptr && *detail != '\0') text += fmt::format(" ({})", detail);
  return text;
}

// A connection and its JetStream context, closed on scope exit.
class JetStream {
 public:
  ~JetStream() {
    if (js_ != nullptr) jsCtx_Destroy(js_);
    if (connection_ != nullptr) natsConnection_Destroy(connection_);
  }
  bool Connect(const std::string& url, std::string* error) {
    natsStatus s = natsConnection_ConnectTo(&connection_, url.c_str());
    if (s == NATS_OK) s = natsConnection_JetStream(&js_, connection_, nullptr);
    if (s != NATS_OK) *error = fmt::format("cannot connect to {}: {}", url, NatsError(s));
    return s == NATS_OK;
  }
  jsCtx* js() const { return js_; }

 private:
  natsConnection* connection_ = nullptr;
  jsCtx* js_ = nullptr;
};

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

  // Publishes the partial batch, if any.
  bool Publish() {
    if (batch_.events_size() == 0) return true;
    batch_.set_seq(next_seq_);
    const std::string payload = batch_.SerializeAsString();
    const std::string id = fmt::format("{}:{}", options_.source_id, next_seq_);
    jsPubOptions publish;
    jsPubOptions_Init(&publish);
    publish.MsgId = id.c_str();
    jsErrCode code = static_cast<jsErrCode>(0);
    const natsStatus s = js_Publish(nullptr, js_, options_.subject.c_str(), payload.data(),
                                    static_cast<int>(payload.size()), &publish, &code);
    if (s != NATS_OK) {
      error_ = fmt::format("batch seq {} on {}: {}{}", next_seq_, options_.subject, NatsError(s),
                           s == NATS_NO_RESPONDERS ? "; no stream takes this subject (see "
                                                     "atmwatch add-stream)"
                                                   : "");
      return false;
    }
    events_ += static_cast<std::size_t>(batch_.events_size());
    ++batches_;
    ++next_seq_;
    batch_.clear_events();
    return true;
  }

  std::size_t events() const { return events_; }
  std::size_t batches() const { return batches_; }
  std::uint64_t next_seq() const { return next_seq_; }
  const std::string& error() const { return error_; }

 private:
  jsCtx* js_;
  const NatsSendOptions& options_;
  v1::Batch batch_;
  std::uint64_t next_seq_;
  std::size_t events_ = 0;
  std::size_t batches_ = 0;
  std::string error_;
};

}  // namespace

int RunNatsSend(const NatsSendOptions& options) {
  std::ifstream file;
  std::istream* in = OpenEventInput(options.input, file);
  if (in == nullptr) return 1;
  JetStream nats;
  std::string error;
  if (!nats.Connect(options.url, &error)) {
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
  if (!ok) {
    std::cerr << "atmwatch send: " << publisher.error() << "; publish again from --first-seq "
              << publisher.next_seq() << "\n";
    return 1;
  }
  return unparsable > 0 ? 1 : 0;
}

int RunAddStream(const AddStreamOptions& options) {
  JetStream nats;
  std::string error;
  if (!nats.Connect(options.url, &error)) {
    std::cerr << "atmwatch add-stream: " << error << "\n";
    return 1;
  }
  std::vector<const char*> subjects;
  for (const auto& subject : options.subjects) subjects.push_back(subject.c_str());
  jsStreamConfig config;
  jsStreamConfig_Init(&config);
  config.Name = options.stream.c_str();
  config.Subjects = subjects.data();
  config.SubjectsLen = static_cast<int>(subjects.size());
  config.Storage = js_FileStorage;
  jsErrCode code = static_cast<jsErrCode>(0);
  const natsStatus s = js_AddStream(nullptr, nats.js(), &config, nullptr, &code);
  if (s != NATS_OK) {
    std::cerr << fmt::format("atmwatch add-stream: {}: {}\n", options.stream, NatsError(s));
    return 1;
  }
  std::cout << fmt::format("stream {} takes {}\n", options.stream,
                           fmt::join(options.subjects, ", "));
  return 0;
}

}  // namespace atmwatch::cli
