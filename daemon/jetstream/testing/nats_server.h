#pragma once

#include <gtest/gtest.h>
#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "atmwatch/v1/ingest.pb.h"
#include "testing/child_process.h"
#include "testing/temp_dir.h"

namespace atmwatch::jetstream::testing {

// A real nats-server with JetStream on 127.0.0.1, with its store in a
// temporary directory that survives restarts of the server (so streams and
// durable consumers do too) and is removed at the end. The first start
// takes a port the system picks (-p -1) and reads it from the server's log;
// restarts reuse it, so that clients reconnect to the same URL.
class NatsServer {
 public:
  NatsServer() = default;
  NatsServer(const NatsServer&) = delete;
  NatsServer& operator=(const NatsServer&) = delete;

  // The nats-server executable, or "" when it is not installed.
  static std::string Executable();

  // Spawns the server and waits (bounded) until it says it accepts clients.
  bool Start(std::chrono::seconds timeout = std::chrono::seconds(10));
  // SIGKILL and reap.
  void Kill();
  std::string url() const;  // "nats://127.0.0.1:PORT"
  std::string log() const;

 private:
  atmwatch::testing::TempDir root_{"nats-test"};
  int port_ = -1;  // nats-server's "pick a free port"
  atmwatch::testing::ChildProcess process_;
};

// A test's side of NATS: creates a stream and publishes batches, waiting for
// each publish ack. Errors come back as text for the assertion message.
class Publisher {
 public:
  explicit Publisher(const std::string& url);
  ~Publisher();
  Publisher(const Publisher&) = delete;
  Publisher& operator=(const Publisher&) = delete;

  bool connected() const { return js_ != nullptr; }
  const std::string& error() const { return error_; }
  // A file-backed stream taking `subjects`; retried while the server's
  // JetStream is still starting.
  bool AddStream(const std::string& name, const std::vector<std::string>& subjects);
  bool Publish(const std::string& subject, const v1::Batch& batch);
  bool PublishBytes(const std::string& subject, const std::string& payload);
  // The consumer's messages delivered and not yet acked, as the server
  // counts them; -1 on error.
  long long AckPending(const std::string& stream, const std::string& consumer);
  // The consumer's pull requests waiting at the server for messages; -1 on
  // error.
  long long WaitingPulls(const std::string& stream, const std::string& consumer);

 private:
  // The consumer's info as the server has it; nullptr (and error()) on error.
  void* ConsumerInfo(const std::string& stream, const std::string& consumer);

  void* connection_ = nullptr;  // natsConnection*
  void* js_ = nullptr;          // jsCtx*; nats.h stays out of the tests' includes
  std::string error_;
};

// A test with a nats-server running and a stream `stream` taking
// atmwatch.events.>, both ready once SetUp returns.
class NatsStreamTest : public ::testing::Test {
 protected:
  explicit NatsStreamTest(std::string stream) : stream_(std::move(stream)) {}
  void SetUp() override;

  NatsServer server_;
  std::unique_ptr<Publisher> publisher_;

 private:
  std::string stream_;
};

}  // namespace atmwatch::jetstream::testing
