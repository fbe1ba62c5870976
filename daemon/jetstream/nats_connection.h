#pragma once

#include <nats/nats.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <vector>

#include "common/status.h"
#include "jetstream/jetstream_metrics.h"

namespace atmwatch::jetstream {

// How to reach the cluster: its servers (any of them will do) and how the
// client library reconnects.
struct ClusterOptions {
  std::vector<std::string> servers = {"nats://127.0.0.1:4222"};
  std::chrono::milliseconds reconnect_wait{1000};        // between attempts on one server
  std::size_t reconnect_buffer_bytes = 8 * 1024 * 1024;  // acks held while reconnecting
};

// One connection to a NATS cluster and its JetStream context. The client
// library reconnects by itself, forever, to any server of the list (and
// those the cluster announces), also when none is there at start-up; each
// change of state is logged once and shown on atmwatch_jetstream_connected
// and atmwatch_jetstream_server_info, never a line per message.
//
// Open and Close from one thread; connected() and js() from any thread once
// Open returned ok. `metrics` must outlive the connection.
class NatsConnection {
 public:
  explicit NatsConnection(JetStreamMetrics& metrics) : metrics_(metrics) {}
  ~NatsConnection() { Close(); }
  NatsConnection(const NatsConnection&) = delete;
  NatsConnection& operator=(const NatsConnection&) = delete;

  // Starts connecting; ok also while no server can be reached yet. An error
  // means the options themselves were refused (a bad URL).
  Status Open(const ClusterOptions& cluster, const std::string& client_name);
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
  // The URL of the server connected to, or "".
  static std::string ConnectedUrl(natsConnection* nc);

  JetStreamMetrics& metrics_;
  std::string servers_;  // comma-separated, for log lines
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
