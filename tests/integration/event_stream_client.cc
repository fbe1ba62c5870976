#include "event_stream_client.h"

#include <chrono>

#include "testing/http_fetch.h"

namespace atmwatch::testing {

client::ClientOptions StreamingClientFor(const DaemonProcess& daemon, const std::string& source_id,
                                         std::uint64_t first_seq) {
  client::ClientOptions options;
  options.address = daemon.ingest_address();
  options.source_id = source_id;
  options.first_seq = first_seq;
  options.backoff_initial = std::chrono::milliseconds(20);
  options.backoff_max = std::chrono::milliseconds(200);
  options.give_up_after = std::chrono::seconds(30);
  return options;
}

std::string MetricsOf(const DaemonProcess& daemon) {
  return HttpGet(daemon.http_base() + "/metrics").body;
}

}  // namespace atmwatch::testing
