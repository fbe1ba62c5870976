#include "jetstream/testing/nats_cluster.h"

#include <nats/nats.h>

#include "jetstream/testing/nats_server.h"
#include "testing/picked_port.h"

namespace atmwatch::jetstream::testing {
namespace {

constexpr char kListening[] = "Listening for client connections on ";

std::string ServerName(int i) { return "n" + std::to_string(i + 1); }

}  // namespace

bool NatsCluster::Start(std::chrono::seconds timeout) {
  for (auto& member : members_) member.cluster_port = atmwatch::testing::FreePort();
  for (int i = 0; i < kServers; ++i) {
    if (!StartMember(i, timeout)) return false;
  }
  return true;
}

bool NatsCluster::Restart(int i, std::chrono::seconds timeout) { return StartMember(i, timeout); }

bool NatsCluster::StartMember(int i, std::chrono::milliseconds timeout) {
  Member& member = members_[static_cast<std::size_t>(i)];
  bool first_try = true;
  const auto spawn = [&] {
    // Only a retry after a bind failure moves the cluster port; the others'
    // routes to the old one are answered by this server's own routes.
    if (!first_try) member.cluster_port = atmwatch::testing::FreePort();
    first_try = false;
    std::string routes;
    for (const auto& other : members_) {
      if (!routes.empty()) routes += ",";
      routes += "nats://127.0.0.1:" + std::to_string(other.cluster_port);
    }
    return member.process.Spawn(
        {NatsServer::Executable(), "-js", "-n", ServerName(i), "-a", "127.0.0.1", "-p",
         std::to_string(member.client_port), "-sd", member.root.Join("store"), "--cluster_name",
         "atmwatch-test", "--cluster", "nats://127.0.0.1:" + std::to_string(member.cluster_port),
         "--routes", routes},
        member.root.Join("nats-server.log"), {.env = {}, .truncate_log = true});
  };
  const auto ready = [&] {
    return atmwatch::testing::LineContaining(member.process.log(), kListening).has_value();
  };
  if (!atmwatch::testing::StartWithPortRetries(member.process, spawn, ready,
                                               {"address already in use"}, timeout)) {
    return false;
  }
  const std::string line = *atmwatch::testing::LineContaining(member.process.log(), kListening);
  member.client_port = std::stoi(line.substr(line.rfind(':') + 1));
  return true;
}

void NatsCluster::Kill(int i) { members_[static_cast<std::size_t>(i)].process.Kill(); }

std::string NatsCluster::url(int i) const {
  return "nats://127.0.0.1:" + std::to_string(members_[static_cast<std::size_t>(i)].client_port);
}

std::string NatsCluster::urls() const {
  std::string out;
  for (int i = 0; i < kServers; ++i) out += (i == 0 ? "" : ",") + url(i);
  return out;
}

int NatsCluster::StreamLeader(const std::string& stream) const {
  natsConnection* connection = nullptr;
  if (natsConnection_ConnectTo(&connection, urls().c_str()) != NATS_OK) return -1;
  jsCtx* js = nullptr;
  jsStreamInfo* info = nullptr;
  int leader = -1;
  jsErrCode code = static_cast<jsErrCode>(0);
  if (natsConnection_JetStream(&js, connection, nullptr) == NATS_OK &&
      js_GetStreamInfo(&info, js, stream.c_str(), nullptr, &code) == NATS_OK &&
      info->Cluster != nullptr && info->Cluster->Leader != nullptr) {
    for (int i = 0; i < kServers; ++i) {
      if (ServerName(i) == info->Cluster->Leader) leader = i;
    }
  }
  if (info != nullptr) jsStreamInfo_Destroy(info);
  if (js != nullptr) jsCtx_Destroy(js);
  natsConnection_Destroy(connection);
  return leader;
}

std::string NatsCluster::logs() const {
  std::string out;
  for (int i = 0; i < kServers; ++i) {
    out += "--- " + ServerName(i) + "\n" + members_[static_cast<std::size_t>(i)].process.log();
  }
  return out;
}

}  // namespace atmwatch::jetstream::testing
