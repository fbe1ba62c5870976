#include "jetstream/nats_connection.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <spdlog/spdlog.h>

#include <chrono>

namespace atmwatch::jetstream {

std::string NatsError(natsStatus status) {
  std::string text = natsStatus_GetText(status);
  natsStatus ignored;
  const char* detail = nats_GetLastError(&ignored);
  if (detail != nullptr && *detail != '\0' && text.find(detail) == std::string::npos) {
    text += std::string(" (") + detail + ")";
  }
  return text;
}

Status NatsConnection::Open(const ClusterOptions& cluster, const std::string& client_name) {
  servers_ = fmt::format("{}", fmt::join(cluster.servers, ","));
  std::vector<const char*> servers;
  for (const auto& server : cluster.servers) servers.push_back(server.c_str());
  natsStatus s = natsOptions_Create(&options_);
  if (s == NATS_OK) {
    s = natsOptions_SetServers(options_, servers.data(), static_cast<int>(servers.size()));
  }
  if (s == NATS_OK) s = natsOptions_SetName(options_, client_name.c_str());
  if (s == NATS_OK) s = natsOptions_SetMaxReconnect(options_, -1);
  if (s == NATS_OK) s = natsOptions_SetReconnectWait(options_, cluster.reconnect_wait.count());
  if (s == NATS_OK) {
    s = natsOptions_SetReconnectBufSize(options_, static_cast<int>(cluster.reconnect_buffer_bytes));
  }
  if (s == NATS_OK) s = natsOptions_SetDisconnectedCB(options_, OnDisconnected, this);
  if (s == NATS_OK) s = natsOptions_SetReconnectedCB(options_, OnReconnected, this);
  if (s == NATS_OK) s = natsOptions_SetClosedCB(options_, OnClosed, this);
  // Without this a cluster that is down at start-up would fail the daemon;
  // with it the first connect is retried like any reconnect.
  if (s == NATS_OK) s = natsOptions_SetRetryOnFailedConnect(options_, true, OnConnected, this);
  if (s != NATS_OK) return Status::Error("jetstream.url: " + servers_ + ": " + NatsError(s));

  s = natsConnection_Connect(&connection_, options_);
  if (s == NATS_OK) {
    OnConnected(connection_, this);
  } else if (s == NATS_NOT_YET_CONNECTED) {
    spdlog::warn("jetstream: none of {} is reachable yet; connecting in the background", servers_);
  } else {
    return Status::Error("jetstream.url: " + servers_ + ": " + NatsError(s));
  }
  jsOptions js_options;
  jsOptions_Init(&js_options);
  js_options.Wait = 5000;  // JetStream API calls (consumer create, info)
  s = natsConnection_JetStream(&js_, connection_, &js_options);
  if (s != NATS_OK) return Status::Error("jetstream: " + NatsError(s));
  return Status::Ok();
}

bool NatsConnection::connected() const {
  return connection_ != nullptr && natsConnection_Status(connection_) == NATS_CONN_STATUS_CONNECTED;
}

void NatsConnection::Close(int64_t timeout_ms) {
  closing_ = true;
  if (connection_ != nullptr && connected()) natsConnection_FlushTimeout(connection_, timeout_ms);
  if (js_ != nullptr) jsCtx_Destroy(js_);
  js_ = nullptr;
  if (connection_ != nullptr) {
    natsConnection_Close(connection_);
    natsConnection_Destroy(connection_);
    std::unique_lock lock(closed_mutex_);
    if (!closed_cv_.wait_for(lock, std::chrono::seconds(10), [&] { return closed_; })) {
      spdlog::error("jetstream: the client library did not report the connection closed");
    }
  }
  connection_ = nullptr;
  if (options_ != nullptr) natsOptions_Destroy(options_);
  options_ = nullptr;
  metrics_.SetConnected(false);
  metrics_.SetServer("");
}

std::string NatsConnection::ConnectedUrl(natsConnection* nc) {
  char url[512] = "";
  if (natsConnection_GetConnectedUrl(nc, url, sizeof url) != NATS_OK) return "";
  return url;
}

void NatsConnection::OnConnected(natsConnection* nc, void* self) {
  auto* c = static_cast<NatsConnection*>(self);
  const std::string url = ConnectedUrl(nc);
  spdlog::info("jetstream: connected to {}", url);
  c->metrics_.SetServer(url);
  c->metrics_.SetConnected(true);
}

void NatsConnection::OnDisconnected(natsConnection*, void* self) {
  auto* c = static_cast<NatsConnection*>(self);
  if (c->closing_) return;
  spdlog::warn("jetstream: disconnected; reconnecting to any of {}", c->servers_);
  c->metrics_.SetConnected(false);
  c->metrics_.SetServer("");
  c->metrics_.CountDisconnect();
}

void NatsConnection::OnReconnected(natsConnection* nc, void* self) {
  auto* c = static_cast<NatsConnection*>(self);
  const std::string url = ConnectedUrl(nc);
  spdlog::info("jetstream: reconnected to {}", url);
  c->metrics_.SetServer(url);
  c->metrics_.SetConnected(true);
  c->metrics_.CountReconnect();
}

void NatsConnection::OnClosed(natsConnection*, void* self) {
  auto* c = static_cast<NatsConnection*>(self);
  std::lock_guard lock(c->closed_mutex_);
  c->closed_ = true;
  c->closed_cv_.notify_all();
}

}  // namespace atmwatch::jetstream
