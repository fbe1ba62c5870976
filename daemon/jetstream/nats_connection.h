#pragma once

#include <nats/nats.h>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <string>

#include "common/status.h"
#include "jetstream/jetstream_metrics.h"

namespace atmwatch::jetstream {

// One connection to a NATS server and its JetStream context. The client
// library reconnects by itself, forever, also when the server is not there
// at start-up; each change of state is logged once and shown on
// atmwatch_jetstream_connected, never a line per message.
//
// Open and Close from one thread; connected() and js() from any thread once
// Open returned ok. `metrics` must outlive the connection.
class NatsConnection {
 public:
  explicit NatsConnection(JetStreamMetrics& metrics) : metrics_(metrics) {}
  ~NatsConnection() { Close(); }
  NatsConnection(const NatsConnection&) = delete;
  NatsConnection& operator=(const NatsConnection&) = delete;

  // Starts connecting to `url`; ok also while the server cannot be reached
  // yet. An error means the options themselves were refused (a bad URL).
  Status Open(const std::string& url, const std::string& client_name);
  bool connected() const;
  jsCtx* js() const { return js_; }
  // Sends what is buffered (acks) and waits up to `timeout_ms` for the
  // server to have it; then closes. Safe to call twice.
  void Close(int64_t timeout_ms = 2000);

 private:
  static void OnConnected(natsConnection* nc, void* self);
  static void OnDisconnected(natsConnection* nc, void* self);
  static void OnReconnected(natsConnection* nc, void* self);
  static void OnClosed(natsConnection* nc, void* self);

  JetStreamMetrics& metrics_;
  std::string url_;
  natsOptions* options_ = nullptr;
  natsConnection* connection_ = nullptr;
  jsCtx* js_ = nullptr;
  std::atomic<bool> closing_{false};
  // The library runs callbacks on a thread of its own, after
  // natsConnection_Destroy returned; the closed callback comes last, so
  // Close waits for it before `this` may go.
  std::mutex closed_mutex_;
  std::condition_variable closed_cv_;
  bool closed_ = false;
};

// "NATS_TIMEOUT (stream not found)": the status and the library's last error
// text on this thread, for log lines and Status messages.
std::string NatsError(natsStatus status);

}  // namespace atmwatch::jetstream
