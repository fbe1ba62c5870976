#pragma once

#include <array>
#include <chrono>
#include <string>

#include "testing/child_process.h"
#include "testing/temp_dir.h"

namespace atmwatch::jetstream::testing {

// Three nats-server processes with JetStream on 127.0.0.1, routed into one
// cluster. Cluster ports are picked beforehand (the routes name them), a
// start that lost its port to someone else is retried on a new one; client
// ports are the system's (-p -1) on the first start and kept on restarts,
// as are the stores, so that a restarted server rejoins with its data.
class NatsCluster {
 public:
  static constexpr int kServers = 3;

  NatsCluster() = default;
  NatsCluster(const NatsCluster&) = delete;
  NatsCluster& operator=(const NatsCluster&) = delete;

  // Starts all three and waits (bounded) until each accepts clients.
  bool Start(std::chrono::seconds timeout = std::chrono::seconds(20));
  // Starts server `i` again after Kill, on its ports and store.
  bool Restart(int i, std::chrono::seconds timeout = std::chrono::seconds(20));
  // SIGKILL and reap.
  void Kill(int i);

  // "nats://127.0.0.1:P1,nats://127.0.0.1:P2,nats://127.0.0.1:P3"
  std::string urls() const;
  std::string url(int i) const;
  // The server ("n1".."n3") that leads `stream`, as its index; -1 when the
  // stream has no leader (or cannot be asked) now.
  int StreamLeader(const std::string& stream) const;
  std::string logs() const;

 private:
  struct Member {
    atmwatch::testing::TempDir root{"nats-cluster-test"};
    atmwatch::testing::ChildProcess process;
    int client_port = -1;
    int cluster_port = 0;
  };

  bool StartMember(int i, std::chrono::milliseconds timeout);

  std::array<Member, kServers> members_;
};

}  // namespace atmwatch::jetstream::testing
