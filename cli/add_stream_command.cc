#include "cli/add_stream_command.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <chrono>
#include <iostream>

#include "cli/nats_client.h"
#include "config/config_field.h"

namespace atmwatch::cli {

int RunAddStream(const AddStreamOptions& options) {
  std::int64_t max_age_ms = 0;
  std::size_t max_bytes = 0;
  if (!config::ParseDurationMs(options.max_age, &max_age_ms)) {
    std::cerr << "atmwatch add-stream: --max-age: '" << options.max_age
              << "' is not a duration; write e.g. 30d, 12h or 0\n";
    return 1;
  }
  if (!config::ParseByteSize(options.max_bytes, &max_bytes)) {
    std::cerr << "atmwatch add-stream: --max-bytes: '" << options.max_bytes
              << "' is not a byte size; write e.g. 64GiB or 0\n";
    return 1;
  }
  NatsClient nats;
  std::string error;
  if (!nats.Connect(options.servers, "atmwatch add-stream", &error)) {
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
  config.Replicas = options.replicas;
  config.MaxAge = std::chrono::nanoseconds(std::chrono::milliseconds(max_age_ms)).count();
  config.MaxBytes = max_bytes == 0 ? -1 : static_cast<int64_t>(max_bytes);
  jsErrCode code = static_cast<jsErrCode>(0);
  const natsStatus s = js_AddStream(nullptr, nats.js(), &config, nullptr, &code);
  if (s != NATS_OK) {
    std::cerr << fmt::format("atmwatch add-stream: {}: {}{}\n", options.stream, NatsError(s),
                             options.replicas > 1 ? fmt::format("; {} replicas need a cluster of "
                                                                "at least {} JetStream servers",
                                                                options.replicas, options.replicas)
                                                  : "");
    return 1;
  }
  std::cout << fmt::format("stream {} takes {} ({} replica{})\n", options.stream,
                           fmt::join(options.subjects, ", "), options.replicas,
                           options.replicas == 1 ? "" : "s");
  return 0;
}

}  // namespace atmwatch::cli
