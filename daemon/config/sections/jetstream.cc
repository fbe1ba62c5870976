#include "config/sections/jetstream.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "config/sections/jetstream_servers.h"

namespace atmwatch::config {
namespace {

bool IsSubject(std::string_view subject) {
  std::size_t start = 0;
  for (;;) {
    const std::size_t dot = subject.find('.', start);
    const std::string_view token =
        subject.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (token.empty() || token.find_first_of(" \t\r\n") != std::string_view::npos) return false;
    const bool last = dot == std::string_view::npos;
    if (token.size() > 1 && token.find_first_of("*>") != std::string_view::npos) return false;
    if (token == ">" && !last) return false;
    if (last) return true;
    start = dot + 1;
  }
}

// A stream or consumer name: NATS refuses '.', '*', '>', path separators
// and whitespace in them.
Status ReadNatsName(const FieldReader& fields, const YAML::Node& node, std::string_view path,
                    std::string_view example, std::string* out) {
  std::string text;
  if (Status s = fields.ReadNonEmpty(node, path, example, &text); !s.ok()) return s;
  if (text.find_first_of(".*>/\\ \t") != std::string::npos || text.size() > 200) {
    return fields.Error(node, path,
                        fmt::format("'{}' is not a NATS name (no '.', '*', '>', '/', "
                                    "spaces; at most 200 bytes); write e.g. {}",
                                    text, example));
  }
  *out = text;
  return Status::Ok();
}

Status ReadSubjects(const FieldReader& fields, const YAML::Node& list,
                    std::vector<std::string>* out) {
  if (Status s = fields.CheckSequence(list, "jetstream.subjects", "a subject"); !s.ok()) {
    return s;
  }
  if (list.size() == 0) {
    return fields.Error(list, "jetstream.subjects",
                        "is empty; write at least one subject, e.g. [atmwatch.events.kanto]");
  }
  std::vector<std::string> subjects;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const std::string path = ItemPath("jetstream.subjects", i);
    std::string subject;
    if (Status s = fields.ReadNonEmpty(list[i], path, "atmwatch.events.kanto", &subject); !s.ok()) {
      return s;
    }
    if (!IsSubject(subject)) {
      return fields.Error(list[i], path,
                          fmt::format("'{}' is not a NATS subject (dot-separated tokens, "
                                      "'*' or a final '>' as wildcards); write e.g. "
                                      "atmwatch.events.kanto",
                                      subject));
    }
    for (const auto& seen : subjects) {
      if (seen == subject) {
        return fields.Error(list[i], path,
                            fmt::format("'{}' is listed twice; list each subject once", subject));
      }
    }
    subjects.push_back(std::move(subject));
  }
  *out = std::move(subjects);
  return Status::Ok();
}

}  // namespace

Status ReadJetStream(const FieldReader& fields, const YAML::Node& n, DaemonConfig::JetStream* out) {
  if (Status s = fields.CheckMapKeys(
          n, "jetstream",
          {"url", "servers", "stream", "durable", "subjects", "fetch_batch", "max_in_flight",
           "ack_wait", "nak_delay", "reconnect_wait", "reconnect_buffer"});
      !s.ok()) {
    return s;
  }
  // The section's presence is what turns the source on, so the two names
  // that tie this daemon to its share of the fleet must be written out.
  if (!n["durable"]) {
    return fields.Error(n, "jetstream.durable",
                        "is required; write a name unique to this daemon, e.g. atmwatchd-east");
  }
  if (!n["subjects"]) {
    return fields.Error(n, "jetstream.subjects",
                        "is required; write the subjects this daemon owns, e.g. "
                        "[atmwatch.events.kanto]");
  }
  if (n["url"] && n["servers"]) {
    return fields.Error(n["servers"], "jetstream.servers",
                        "and jetstream.url both name the servers; write one of them");
  }
  Status s;
  if (auto v = n["url"]; s.ok() && v) s = ReadJetStreamUrl(fields, v, &out->servers);
  if (auto v = n["servers"]; s.ok() && v) s = ReadJetStreamServers(fields, v, &out->servers);
  if (auto v = n["stream"]; s.ok() && v) {
    s = ReadNatsName(fields, v, "jetstream.stream", "ATMWATCH", &out->stream);
  }
  if (auto v = n["durable"]; s.ok() && v) {
    s = ReadNatsName(fields, v, "jetstream.durable", "atmwatchd-east", &out->durable);
  }
  if (auto v = n["subjects"]; s.ok() && v) s = ReadSubjects(fields, v, &out->subjects);
  if (auto v = n["fetch_batch"]; s.ok() && v) {
    s = fields.ReadSize(v, "jetstream.fetch_batch", 1, 4096, &out->fetch_batch);
  }
  if (auto v = n["max_in_flight"]; s.ok() && v) {
    s = fields.ReadSize(v, "jetstream.max_in_flight", 1, 65536, &out->max_in_flight);
  }
  if (auto v = n["ack_wait"]; s.ok() && v) {
    s = fields.ReadDurationUpTo(v, "jetstream.ack_wait", 3600LL * 1000, &out->ack_wait_ms);
  }
  if (auto v = n["nak_delay"]; s.ok() && v) {
    s = fields.ReadDurationUpTo(v, "jetstream.nak_delay", 3600LL * 1000, &out->nak_delay_ms);
  }
  if (auto v = n["reconnect_wait"]; s.ok() && v) {
    s = fields.ReadDurationUpTo(v, "jetstream.reconnect_wait", 60LL * 1000,
                                &out->reconnect_wait_ms);
  }
  if (auto v = n["reconnect_buffer"]; s.ok() && v) {
    s = fields.ReadByteSize(v, "jetstream.reconnect_buffer", 64 * 1024,
                            &out->reconnect_buffer_bytes);
    // The client library takes an int.
    if (s.ok() && out->reconnect_buffer_bytes > (std::size_t{1} << 30)) {
      s = fields.Error(v, "jetstream.reconnect_buffer", "is too large; write at most 1GiB");
    }
  }
  out->enabled = s.ok();
  return s;
}

}  // namespace atmwatch::config
