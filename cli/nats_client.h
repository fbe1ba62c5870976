#pragma once

#include <nats/nats.h>

#include <string>

namespace atmwatch::cli {

// "NATS_TIMEOUT (no stream leader)": the status and the library's last error
// text on this thread.
std::string NatsError(natsStatus status);

// The CLI's connection to a NATS cluster and its JetStream context, closed
// on scope exit. `servers` is one URL or several separated by commas; the
// first connect tries each once, and a connection lost later is resumed on
// any server of the cluster (publishes wait in the library's buffer).
class NatsClient {
 public:
  NatsClient() = default;
  ~NatsClient();
  NatsClient(const NatsClient&) = delete;
  NatsClient& operator=(const NatsClient&) = delete;

  bool Connect(const std::string& servers, const std::string& client_name, std::string* error);
  jsCtx* js() const { return js_; }

 private:
  natsOptions* options_ = nullptr;
  natsConnection* connection_ = nullptr;
  jsCtx* js_ = nullptr;
};

}  // namespace atmwatch::cli
