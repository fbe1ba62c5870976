#include "cli/nats_client.h"

#include <fmt/format.h>

#include <string>
#include <vector>

#include "config/sections/jetstream_servers.h"

namespace atmwatch::cli {
namespace {

// Short enough that a publisher resumes soon after a server of the cluster
// went away; the library tries the next server first anyway.
constexpr int64_t kReconnectWaitMs = 250;

}  // namespace

std::string NatsError(natsStatus status) {
  natsStatus ignored;
  const char* detail = nats_GetLastError(&ignored);
  std::string text = natsStatus_GetText(status);
  if (detail != nullptr && *detail != '\0') text += fmt::format(" ({})", detail);
  return text;
}

NatsClient::~NatsClient() {
  if (js_ != nullptr) jsCtx_Destroy(js_);
  if (connection_ != nullptr) natsConnection_Destroy(connection_);
  if (options_ != nullptr) natsOptions_Destroy(options_);
}

bool NatsClient::Connect(const std::string& servers, const std::string& client_name,
                         std::string* error) {
  // The library's SetURL takes one URL only.
  const std::vector<std::string> list = config::SplitServerList(servers);
  std::vector<const char*> urls;
  for (const auto& url : list) {
    if (!url.empty()) urls.push_back(url.c_str());
  }
  natsStatus s = natsOptions_Create(&options_);
  if (s == NATS_OK)
    s = natsOptions_SetServers(options_, urls.data(), static_cast<int>(urls.size()));
  if (s == NATS_OK) s = natsOptions_SetName(options_, client_name.c_str());
  if (s == NATS_OK) s = natsOptions_SetMaxReconnect(options_, -1);
  if (s == NATS_OK) s = natsOptions_SetReconnectWait(options_, kReconnectWaitMs);
  if (s == NATS_OK) s = natsConnection_Connect(&connection_, options_);
  if (s == NATS_OK) s = natsConnection_JetStream(&js_, connection_, nullptr);
  if (s != NATS_OK) *error = fmt::format("cannot connect to {}: {}", servers, NatsError(s));
  return s == NATS_OK;
}

}  // namespace atmwatch::cli
