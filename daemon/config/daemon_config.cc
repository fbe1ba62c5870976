#include "config/daemon_config.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <cctype>
#include <charconv>
#include <fstream>
#include <set>
#include <sstream>

#include "config/config_field.h"
#include "config/log_level.h"
#include "config/sections/calendar.h"
#include "config/sections/costs.h"
#include "config/sections/fees.h"
#include "net/host_port.h"

namespace atmwatch::config {
namespace {

// Reads atmwatchd's own sections; the calendar, fees and costs have their
// readers in sections/, with the same FieldReader, so every error has one format.
class SectionParser {
 public:
  explicit SectionParser(const FieldReader& fields) : fields_(fields) {}

  // Every section is read even when one before it was refused, so that the
  // error lists the problems of all of them.
  Status Top(const YAML::Node& root, DaemonConfig* out) const {
    if (!root.IsDefined() || root.IsNull()) return Status::Ok();
    if (Status s = fields_.CheckMapKeys(
            root, "",
            {"timezone", "fiscal_year_start_month", "ingest", "http", "data_dir", "wal",
             "log_level", "atms", "fees", "costs", "holidays", "targets", "lines", "business_hours",
             "atm_silence", "jetstream"});
        !s.ok()) {
      return s;
    }
    ConfigProblems problems;
    problems.Add(ReadCalendar(fields_, root, &out->calendar));
    problems.Add(ReadFees(fields_, root["fees"], &out->fees));
    problems.Add(ReadCosts(fields_, root["costs"], &out->costs));
    if (auto n = root["ingest"]) problems.Add(Ingest(n, &out->ingest));
    if (auto n = root["http"]) problems.Add(Http(n, &out->http));
    if (auto n = root["data_dir"]) problems.Add(fields_.ReadScalar(n, "data_dir", &out->data_dir));
    if (auto n = root["wal"]) problems.Add(Wal(n, &out->wal));
    if (auto n = root["log_level"])
      problems.Add(ReadLogLevel(fields_, n, "log_level", &out->log_level));
    if (auto n = root["atms"]) problems.Add(Atms(n, &out->atms));
    if (auto n = root["lines"]) problems.Add(Lines(n, &out->lines));
    if (auto n = root["business_hours"]) {
      problems.Add(BusinessHours(n, &out->business_hours));
    }
    if (auto n = root["atm_silence"]) {
      problems.Add(
          fields_.ReadDurationUpTo(n, "atm_silence", 24LL * 3600 * 1000, &out->atm_silence_ms));
    }
    if (auto n = root["jetstream"]) problems.Add(JetStream(n, &out->jetstream));
    if (auto n = root["targets"]) {
      if (problems.Add(fields_.CheckMapKeys(n, "targets", {"mvno_lines"}))) {
        if (auto t = n["mvno_lines"]) {
          problems.Add(fields_.ReadIntegerIn(t, "targets.mvno_lines", 0, int64_t{1} << 40,
                                             &out->targets.mvno_lines));
        }
      }
    }
    return problems.status();
  }

 private:
  Status Lines(const YAML::Node& n, DaemonConfig::Lines* out) const {
    if (Status s =
            fields_.CheckMapKeys(n, "lines", {"interim_interval", "flap_window", "max_lines"});
        !s.ok()) {
      return s;
    }
    Status s;
    if (auto v = n["interim_interval"]; s.ok() && v) {
      s = fields_.ReadDurationUpTo(v, "lines.interim_interval", 24LL * 3600 * 1000,
                                   &out->interim_interval_ms);
    }
    if (auto v = n["flap_window"]; s.ok() && v) {
      s = fields_.ReadDurationUpTo(v, "lines.flap_window", 24LL * 3600 * 1000,
                                   &out->flap_window_ms);
    }
    if (auto v = n["max_lines"]; s.ok() && v) {
      s = fields_.ReadSize(v, "lines.max_lines", 1, 100000000, &out->max_lines);
    }
    return s;
  }

  // "HH:MM", 00:00..24:00, as minutes after local midnight.
  Status ClockTime(const YAML::Node& node, std::string_view path, int* minute) const {
    std::string text;
    if (Status s = fields_.ReadScalar(node, path, &text); !s.ok()) return s;
    int hours = -1;
    int minutes = -1;
    const bool shaped =
        text.size() == 5 && text[2] == ':' &&
        std::from_chars(text.data(), text.data() + 2, hours).ptr == text.data() + 2 &&
        std::from_chars(text.data() + 3, text.data() + 5, minutes).ptr == text.data() + 5;
    if (!shaped || hours < 0 || minutes < 0 || minutes > 59 || hours * 60 + minutes > 24 * 60) {
      return fields_.Error(
          node, path, fmt::format("'{}' is not a local time; write HH:MM, e.g. \"10:00\"", text));
    }
    *minute = hours * 60 + minutes;
    return Status::Ok();
  }

  Status BusinessHours(const YAML::Node& n, engine::BusinessHours* out) const {
    if (Status s = fields_.CheckMapKeys(n, "business_hours", {"start", "end"}); !s.ok()) return s;
    engine::BusinessHours hours = *out;
    if (auto v = n["start"]) {
      if (Status s = ClockTime(v, "business_hours.start", &hours.start_minute); !s.ok()) return s;
    }
    if (auto v = n["end"]) {
      if (Status s = ClockTime(v, "business_hours.end", &hours.end_minute); !s.ok()) return s;
    }
    if (hours.start_minute >= hours.end_minute) {
      return fields_.Error(n, "business_hours",
                           "start must be before end (hours do not wrap past midnight); write "
                           "e.g. {start: \"10:00\", end: \"24:00\"}");
    }
    *out = hours;
    return Status::Ok();
  }

  Status Ingest(const YAML::Node& n, DaemonConfig::Ingest* out) const {
    if (Status s = fields_.CheckMapKeys(
            n, "ingest",
            {"listen", "max_frame_bytes", "max_event_age", "max_batch_events", "max_string_bytes",
             "max_unknown_atms", "max_sources", "tls", "sources", "require_known_sources",
             "max_connections_per_ip", "idle_timeout", "frame_timeout", "write_timeout",
             "max_inflight_batches"});
        !s.ok()) {
      return s;
    }
    Status s;
    if (auto v = n["listen"]; s.ok() && v)
      s = fields_.ReadHostPort(v, "ingest.listen", &out->listen);
    if (auto v = n["max_frame_bytes"]; s.ok() && v) {
      s = fields_.ReadByteSize(v, "ingest.max_frame_bytes", 1024, &out->max_frame_bytes);
    }
    if (auto v = n["max_event_age"]; s.ok() && v) {
      s = fields_.ReadDuration(v, "ingest.max_event_age", &out->max_event_age_ms);
    }
    if (auto v = n["max_batch_events"]; s.ok() && v) {
      s = fields_.ReadSize(v, "ingest.max_batch_events", 1, 10000000, &out->max_batch_events);
    }
    if (auto v = n["max_string_bytes"]; s.ok() && v) {
      s = fields_.ReadSize(v, "ingest.max_string_bytes", 16, 4096, &out->max_string_bytes);
    }
    if (auto v = n["max_unknown_atms"]; s.ok() && v) {
      s = fields_.ReadSize(v, "ingest.max_unknown_atms", 0, 1000000, &out->max_unknown_atms);
    }
    if (auto v = n["max_sources"]; s.ok() && v) {
      s = fields_.ReadSize(v, "ingest.max_sources", 0, 1000000, &out->max_sources);
    }
    if (auto v = n["tls"]; s.ok() && v) {
      s = Tls(v, "ingest.tls", "ingest", "sources-ca", &out->tls);
    }
    if (auto v = n["sources"]; s.ok() && v) s = Sources(v, out->tls, &out->sources);
    if (auto v = n["require_known_sources"]; s.ok() && v) {
      s = fields_.ReadBool(v, "ingest.require_known_sources", &out->require_known_sources);
    }
    if (auto v = n["max_connections_per_ip"]; s.ok() && v) {
      s = fields_.ReadSize(v, "ingest.max_connections_per_ip", 0, 1000000,
                           &out->max_connections_per_ip);
    }
    if (auto v = n["idle_timeout"]; s.ok() && v) {
      s = fields_.ReadDurationUpTo(v, "ingest.idle_timeout", 24LL * 3600 * 1000,
                                   &out->idle_timeout_ms);
    }
    if (auto v = n["frame_timeout"]; s.ok() && v) {
      s = fields_.ReadDurationUpTo(v, "ingest.frame_timeout", 3600LL * 1000,
                                   &out->frame_timeout_ms);
    }
    if (auto v = n["write_timeout"]; s.ok() && v) {
      s = fields_.ReadDurationUpTo(v, "ingest.write_timeout", 3600LL * 1000,
                                   &out->write_timeout_ms);
    }
    if (auto v = n["max_inflight_batches"]; s.ok() && v) {
      s = fields_.ReadSize(v, "ingest.max_inflight_batches", 1, 4096, &out->max_inflight_batches);
    }
    return s;
  }

  // A path to a file the daemon reads; whether it can is checked when the
  // listener starts (and on reload), where the error names the file.
  Status FilePath(const YAML::Node& node, std::string_view path, std::string_view example,
                  std::string* out) const {
    return fields_.ReadNonEmpty(node, path, example, out);
  }

  // A listener's TLS files; `stem` and `ca_stem` make the examples in the
  // errors (/etc/atmwatch/tls/STEM.crt, .../CA_STEM.crt).
  Status Tls(const YAML::Node& n, const std::string& path, const std::string& stem,
             const std::string& ca_stem, DaemonConfig::Tls* out) const {
    if (Status s = fields_.CheckMapKeys(n, path, {"cert_file", "key_file", "client_ca_file"});
        !s.ok()) {
      return s;
    }
    return TlsFiles(n, path, stem, ca_stem, out);
  }

  // Tls without the check of the keys, for a section that has more.
  Status TlsFiles(const YAML::Node& n, const std::string& path, const std::string& stem,
                  const std::string& ca_stem, DaemonConfig::Tls* out) const {
    const std::string example = "/etc/atmwatch/tls/" + stem;
    for (const char* key : {"cert_file", "key_file"}) {
      if (!n[key]) {
        return fields_.Error(n, KeyPath(path, key),
                             "is required with TLS; write the PEM file's path, e.g. " + example +
                                 (key == std::string_view("cert_file") ? ".crt" : ".key"));
      }
    }
    Status s =
        FilePath(n["cert_file"], KeyPath(path, "cert_file"), example + ".crt", &out->cert_file);
    if (s.ok()) {
      s = FilePath(n["key_file"], KeyPath(path, "key_file"), example + ".key", &out->key_file);
    }
    if (auto v = n["client_ca_file"]; s.ok() && v) {
      s = FilePath(v, KeyPath(path, "client_ca_file"), "/etc/atmwatch/tls/" + ca_stem + ".crt",
                   &out->client_ca_file);
    }
    return s;
  }

  Status Sources(const YAML::Node& list, const DaemonConfig::Tls& tls,
                 std::vector<DaemonConfig::Ingest::Source>* out) const {
    if (Status s = fields_.CheckSequence(list, "ingest.sources",
                                         "a source {source_id: ..., cert_subject: ...}");
        !s.ok()) {
      return s;
    }
    std::vector<DaemonConfig::Ingest::Source> sources;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string path = ItemPath("ingest.sources", i);
      DaemonConfig::Ingest::Source source;
      if (Status s = SourceEntry(list[i], path, tls, &source); !s.ok()) return s;
      for (const auto& seen : sources) {
        if (seen.source_id == source.source_id) {
          return fields_.Error(
              list[i]["source_id"], path + ".source_id",
              fmt::format("'{}' is listed twice; list each source once", source.source_id));
        }
      }
      sources.push_back(std::move(source));
    }
    *out = std::move(sources);
    return Status::Ok();
  }

  Status SourceEntry(const YAML::Node& n, const std::string& path, const DaemonConfig::Tls& tls,
                     DaemonConfig::Ingest::Source* out) const {
    if (Status s = fields_.CheckMapKeys(n, path, {"source_id", "cert_subject", "token_sha256"});
        !s.ok()) {
      return s;
    }
    if (!n["source_id"]) {
      return fields_.Error(n, path + ".source_id",
                           "every source needs its source_id, e.g. source_id: radius-tokyo-1");
    }
    if (Status s = fields_.ReadNonEmpty(n["source_id"], path + ".source_id", "radius-tokyo-1",
                                        &out->source_id);
        !s.ok()) {
      return s;
    }
    if (out->source_id.size() > 128) {
      return fields_.Error(n["source_id"], path + ".source_id",
                           "has more than 128 bytes, which no batch can carry; write a shorter id");
    }
    if (auto v = n["cert_subject"]) {
      if (Status s = fields_.ReadNonEmpty(v, path + ".cert_subject", "\"CN=radius-tokyo-1\"",
                                          &out->cert_subject);
          !s.ok()) {
        return s;
      }
      if (tls.client_ca_file.empty()) {
        return fields_.Error(v, path + ".cert_subject",
                             "needs client certificates, which the daemon asks for only with "
                             "ingest.tls.client_ca_file; set it, or bind the source to a "
                             "token_sha256 instead");
      }
    }
    if (auto v = n["token_sha256"]) {
      std::string hex;
      if (Status s = fields_.ReadScalar(v, path + ".token_sha256", &hex); !s.ok()) return s;
      const bool is_hex =
          hex.size() == 64 && hex.find_first_not_of("0123456789abcdefABCDEF") == std::string::npos;
      if (!is_hex) {
        return fields_.Error(v, path + ".token_sha256",
                             "is not a SHA-256 in hex (64 digits); write the output of "
                             "`printf %s \"$TOKEN\" | sha256sum`, never the token itself");
      }
      for (char& c : hex) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      out->token_sha256 = std::move(hex);
    }
    return Status::Ok();
  }

  Status Http(const YAML::Node& n, DaemonConfig::Http* out) const {
    if (Status s = fields_.CheckMapKeys(n, "http", {"listen", "tls", "basic_auth_users"});
        !s.ok()) {
      return s;
    }
    if (auto l = n["listen"]) {
      if (Status s = fields_.ReadHostPort(l, "http.listen", &out->listen); !s.ok()) return s;
    }
    if (auto t = n["tls"]) {
      if (Status s = HttpTls(t, out); !s.ok()) return s;
    }
    if (auto users = n["basic_auth_users"]) {
      if (Status s = BasicAuthUsers(users, &out->basic_auth_users); !s.ok()) return s;
    }
    return Status::Ok();
  }

  // http.tls: the files, and the limits of the HTTPS front that terminates it.
  Status HttpTls(const YAML::Node& n, DaemonConfig::Http* out) const {
    if (Status s = fields_.CheckMapKeys(n, "http.tls",
                                        {"cert_file", "key_file", "client_ca_file",
                                         "max_connections", "handshake_timeout", "idle_timeout"});
        !s.ok()) {
      return s;
    }
    Status s = TlsFiles(n, "http.tls", "http", "scrapers-ca", &out->tls);
    if (auto v = n["max_connections"]; s.ok() && v) {
      s = fields_.ReadSize(v, "http.tls.max_connections", 1, 100000,
                           &out->tls_limits.max_connections);
    }
    if (auto v = n["handshake_timeout"]; s.ok() && v) {
      s = fields_.ReadDurationUpTo(v, "http.tls.handshake_timeout", 3600LL * 1000,
                                   &out->tls_limits.handshake_timeout_ms);
    }
    if (auto v = n["idle_timeout"]; s.ok() && v) {
      s = fields_.ReadDurationUpTo(v, "http.tls.idle_timeout", 24LL * 3600 * 1000,
                                   &out->tls_limits.idle_timeout_ms);
    }
    return s;
  }

  // user: crypt(3) hash, as Prometheus exporters' web config has them.
  Status BasicAuthUsers(const YAML::Node& n,
                        std::vector<std::pair<std::string, std::string>>* out) const {
    if (!n.IsMap()) {
      return fields_.Error(n, "http.basic_auth_users",
                           "must be a map of user: password hash, e.g. {prometheus: \"$6$...\"}");
    }
    std::vector<std::pair<std::string, std::string>> users;
    for (const auto& entry : n) {
      const std::string user = entry.first.as<std::string>();
      const std::string path = KeyPath("http.basic_auth_users", user);
      if (user.empty() || user.find(':') != std::string::npos) {
        return fields_.Error(entry.first, path,
                             "is not a user name (not empty, no ':'); write e.g. prometheus");
      }
      std::string hash;
      if (Status s = fields_.ReadScalar(entry.second, path, &hash); !s.ok()) return s;
      static constexpr std::string_view kSchemes[] = {"$6$", "$5$", "$y$", "$2b$"};
      bool known = false;
      for (std::string_view scheme : kSchemes) known = known || hash.starts_with(scheme);
      if (!known) {
        return fields_.Error(entry.second, path,
                             "is not a crypt(3) password hash ($6$, $5$, $y$ or $2b$); write the "
                             "output of `openssl passwd -6`, never the password itself");
      }
      for (const auto& [seen, unused] : users) {
        if (seen == user) {
          return fields_.Error(entry.first, path, "is listed twice; list each user once");
        }
      }
      users.emplace_back(user, std::move(hash));
    }
    *out = std::move(users);
    return Status::Ok();
  }

  Status Wal(const YAML::Node& n, DaemonConfig::Wal* out) const {
    if (Status s = fields_.CheckMapKeys(
            n, "wal",
            {"fsync", "commit_delay", "group_bytes", "segment_bytes", "min_free_bytes", "strict",
             "snapshot_interval", "snapshot_every_records"});
        !s.ok()) {
      return s;
    }
    Status s;
    if (auto v = n["fsync"]; s.ok() && v) s = fields_.ReadBool(v, "wal.fsync", &out->fsync);
    if (auto v = n["commit_delay"]; s.ok() && v) {
      std::int64_t ms = 0;
      s = fields_.ReadDuration(v, "wal.commit_delay", &ms);
      if (s.ok() && ms > 1000) {
        s = fields_.Error(v, "wal.commit_delay",
                          "is longer than 1s, so acks would wait that long; write 1s or less");
      }
      out->commit_delay_us = ms * 1000;
    }
    if (auto v = n["group_bytes"]; s.ok() && v) {
      s = fields_.ReadByteSize(v, "wal.group_bytes", 4096, &out->group_bytes);
    }
    if (auto v = n["segment_bytes"]; s.ok() && v) {
      s = fields_.ReadByteSize(v, "wal.segment_bytes", 64 * 1024, &out->segment_bytes);
    }
    if (auto v = n["min_free_bytes"]; s.ok() && v) {
      std::size_t bytes = 0;
      s = fields_.ReadByteSize(v, "wal.min_free_bytes", 0, &bytes);
      out->min_free_bytes = bytes;
    }
    if (auto v = n["strict"]; s.ok() && v) s = fields_.ReadBool(v, "wal.strict", &out->strict);
    if (auto v = n["snapshot_interval"]; s.ok() && v) {
      s = fields_.ReadDuration(v, "wal.snapshot_interval", &out->snapshot_interval_ms);
      if (s.ok() && out->snapshot_interval_ms < 1000) {
        s = fields_.Error(v, "wal.snapshot_interval", "is too short; write at least 1s");
      }
    }
    if (auto v = n["snapshot_every_records"]; s.ok() && v) {
      int64_t records = 0;
      s = fields_.ReadIntegerIn(v, "wal.snapshot_every_records", 1, int64_t{1} << 40, &records);
      out->snapshot_every_records = static_cast<std::uint64_t>(records);
    }
    return s;
  }

  Status JetStream(const YAML::Node& n, DaemonConfig::JetStream* out) const {
    if (Status s = fields_.CheckMapKeys(n, "jetstream",
                                        {"url", "stream", "durable", "subjects", "fetch_batch",
                                         "max_in_flight", "ack_wait", "nak_delay"});
        !s.ok()) {
      return s;
    }
    // The section's presence is what turns the source on, so the two names
    // that tie this daemon to its share of the fleet must be written out.
    if (!n["durable"]) {
      return fields_.Error(n, "jetstream.durable",
                           "is required; write a name unique to this daemon, e.g. atmwatchd-east");
    }
    if (!n["subjects"]) {
      return fields_.Error(n, "jetstream.subjects",
                           "is required; write the subjects this daemon owns, e.g. "
                           "[atmwatch.events.kanto]");
    }
    Status s;
    if (auto v = n["url"]; s.ok() && v) {
      s = fields_.ReadNonEmpty(v, "jetstream.url", "nats://127.0.0.1:4222", &out->url);
    }
    if (auto v = n["stream"]; s.ok() && v) {
      s = NatsName(v, "jetstream.stream", "ATMWATCH", &out->stream);
    }
    if (auto v = n["durable"]; s.ok() && v) {
      s = NatsName(v, "jetstream.durable", "atmwatchd-east", &out->durable);
    }
    if (auto v = n["subjects"]; s.ok() && v) s = Subjects(v, &out->subjects);
    if (auto v = n["fetch_batch"]; s.ok() && v) {
      s = fields_.ReadSize(v, "jetstream.fetch_batch", 1, 4096, &out->fetch_batch);
    }
    if (auto v = n["max_in_flight"]; s.ok() && v) {
      s = fields_.ReadSize(v, "jetstream.max_in_flight", 1, 65536, &out->max_in_flight);
    }
    if (auto v = n["ack_wait"]; s.ok() && v) {
      s = fields_.ReadDurationUpTo(v, "jetstream.ack_wait", 3600LL * 1000, &out->ack_wait_ms);
    }
    if (auto v = n["nak_delay"]; s.ok() && v) {
      s = fields_.ReadDurationUpTo(v, "jetstream.nak_delay", 3600LL * 1000, &out->nak_delay_ms);
    }
    out->enabled = s.ok();
    return s;
  }

  // A stream or consumer name: NATS refuses '.', '*', '>', path separators
  // and whitespace in them.
  Status NatsName(const YAML::Node& node, std::string_view path, std::string_view example,
                  std::string* out) const {
    std::string text;
    if (Status s = fields_.ReadNonEmpty(node, path, example, &text); !s.ok()) return s;
    if (text.find_first_of(".*>/\\ \t") != std::string::npos || text.size() > 200) {
      return fields_.Error(node, path,
                           fmt::format("'{}' is not a NATS name (no '.', '*', '>', '/', "
                                       "spaces; at most 200 bytes); write e.g. {}",
                                       text, example));
    }
    *out = text;
    return Status::Ok();
  }

  Status Subjects(const YAML::Node& list, std::vector<std::string>* out) const {
    if (Status s = fields_.CheckSequence(list, "jetstream.subjects", "a subject"); !s.ok()) {
      return s;
    }
    if (list.size() == 0) {
      return fields_.Error(list, "jetstream.subjects",
                           "is empty; write at least one subject, e.g. [atmwatch.events.kanto]");
    }
    std::vector<std::string> subjects;
    for (std::size_t i = 0; i < list.size(); ++i) {
      const std::string path = ItemPath("jetstream.subjects", i);
      std::string subject;
      if (Status s = fields_.ReadNonEmpty(list[i], path, "atmwatch.events.kanto", &subject);
          !s.ok()) {
        return s;
      }
      if (!IsSubject(subject)) {
        return fields_.Error(list[i], path,
                             fmt::format("'{}' is not a NATS subject (dot-separated tokens, "
                                         "'*' or a final '>' as wildcards); write e.g. "
                                         "atmwatch.events.kanto",
                                         subject));
      }
      for (const auto& seen : subjects) {
        if (seen == subject) {
          return fields_.Error(
              list[i], path, fmt::format("'{}' is listed twice; list each subject once", subject));
        }
      }
      subjects.push_back(std::move(subject));
    }
    *out = std::move(subjects);
    return Status::Ok();
  }

  static bool IsSubject(std::string_view subject) {
    std::size_t start = 0;
    for (;;) {
      const std::size_t dot = subject.find('.', start);
      const std::string_view token = subject.substr(
          start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
      if (token.empty() || token.find_first_of(" \t\r\n") != std::string_view::npos) return false;
      const bool last = dot == std::string_view::npos;
      if (token.size() > 1 && token.find_first_of("*>") != std::string_view::npos) return false;
      if (token == ">" && !last) return false;
      if (last) return true;
      start = dot + 1;
    }
  }

  Status Atms(const YAML::Node& list, std::vector<engine::InventoryEntry>* out) const {
    if (Status s = fields_.CheckSequence(list, "atms", "an ATM {id: ..., site: ...}"); !s.ok()) {
      return s;
    }
    std::set<std::string> seen;
    for (std::size_t i = 0; i < list.size(); ++i) {
      engine::InventoryEntry atm;
      if (Status s = Atm(list[i], ItemPath("atms", i), &atm); !s.ok()) return s;
      if (!seen.insert(atm.id).second) {
        return fields_.Error(list[i]["id"], ItemPath("atms", i) + ".id",
                             fmt::format("'{}' is listed twice; ids must be unique", atm.id));
      }
      out->push_back(std::move(atm));
    }
    return Status::Ok();
  }

  Status Atm(const YAML::Node& n, const std::string& path, engine::InventoryEntry* atm) const {
    if (Status s = fields_.CheckMapKeys(
            n, path, {"id", "site", "region", "installed", "line_id", "carrier"});
        !s.ok()) {
      return s;
    }
    if (!n["id"]) return fields_.Error(n, path + ".id", "every ATM needs an id, e.g. id: ATM0001");
    if (Status s = fields_.ReadScalar(n["id"], path + ".id", &atm->id); !s.ok()) return s;
    if (atm->id.empty() || atm->id.size() > 64) {
      return fields_.Error(n["id"], path + ".id", "must be 1..64 bytes; write a shorter id");
    }
    Status s;
    const std::pair<const char*, std::string*> text_fields[] = {{"site", &atm->site},
                                                                {"region", &atm->region},
                                                                {"line_id", &atm->line_id},
                                                                {"carrier", &atm->carrier}};
    for (const auto& [key, value] : text_fields) {
      if (auto v = n[key]; s.ok() && v) s = fields_.ReadScalar(v, KeyPath(path, key), value);
    }
    if (auto v = n["installed"]; s.ok() && v) {
      std::chrono::year_month_day installed;
      s = fields_.ReadDate(v, path + ".installed", &installed);
      // The date as written: ReadDate takes only the one YYYY-MM-DD form.
      if (s.ok()) atm->installed = engine::FormatDate(installed);
    }
    return s;
  }

  const FieldReader& fields_;
};

}  // namespace

Status ParseConfig(const std::string& yaml_text, const std::string& file_name, DaemonConfig* out) {
  ConfigProblems problems;
  const FieldReader fields(file_name, &problems);
  DaemonConfig config;
  problems.Add(ReadYaml(yaml_text, fields, [&](const YAML::Node& root) {
    return SectionParser(fields).Top(root, &config);
  }));
  if (!problems.empty()) return problems.status();
  *out = std::move(config);
  return Status::Ok();
}

Status LoadConfigFile(const std::string& path, DaemonConfig* out) {
  std::string text;
  if (Status status = ReadConfigFile(path, &text); !status.ok()) return status;
  // A file with no settings at all is more likely one caught mid-write, or
  // truncated, than a wish for every default: on SIGHUP it would reset the
  // inventory and every limit.
  bool empty = false;
  try {
    empty = YAML::Load(text).IsNull();
  } catch (const YAML::Exception&) {
    // ParseConfig reports it with its line.
  }
  if (empty) {
    return Status::Error(path + ": the config file is empty (no settings); write {} for every " +
                         "default");
  }
  return ParseConfig(text, path, out);
}

engine::EngineConfig EngineConfigOf(const DaemonConfig& config) {
  return engine::EngineConfig{
      .inventory = config.atms,
      .max_unknown_atms = config.ingest.max_unknown_atms,
      .calendar = config.calendar,
      .fees = config.fees,
      .costs = config.costs,
      .lines = {.flap_window = std::chrono::milliseconds(config.lines.flap_window_ms),
                .interim_interval = std::chrono::milliseconds(config.lines.interim_interval_ms),
                .max_lines = config.lines.max_lines},
      .business_hours = config.business_hours,
      .atm_silence_ms = config.atm_silence_ms,
      .mvno_lines_target = config.targets.mvno_lines};
}

}  // namespace atmwatch::config
