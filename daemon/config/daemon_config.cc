#include "config/daemon_config.h"

#include <fmt/format.h>
#include <yaml-cpp/yaml.h>

#include <charconv>
#include <fstream>
#include <set>
#include <sstream>

#include "config/config_field.h"

namespace atmwatch::config {
namespace {

// Reads atmwatchd's own sections; the engine's parsers read theirs (calendar,
// fees, costs) with the same FieldReader, so every error has one format.
class SectionParser {
 public:
  explicit SectionParser(const FieldReader& fields) : fields_(fields) {}

  Status Top(const YAML::Node& root, DaemonConfig* out) const {
    if (!root.IsDefined() || root.IsNull()) return Status::Ok();
    if (Status s =
            fields_.CheckMapKeys(root, "",
                                 {"timezone", "fiscal_year_start_month", "ingest", "http",
                                  "data_dir", "wal", "log_level", "atms", "fees", "costs",
                                  "holidays", "targets", "lines", "business_hours", "atm_silence"});
        !s.ok()) {
      return s;
    }
    if (Status s = engine::ParseCalendar(fields_, root, &out->calendar); !s.ok()) return s;
    if (Status s = engine::ParseFeeSchedule(fields_, root["fees"], &out->fees); !s.ok()) return s;
    if (Status s = engine::ParseCostModel(fields_, root["costs"], &out->costs); !s.ok()) return s;
    if (auto n = root["ingest"]) {
      if (Status s = Ingest(n, &out->ingest); !s.ok()) return s;
    }
    if (auto n = root["http"]) {
      if (Status s = fields_.CheckMapKeys(n, "http", {"listen"}); !s.ok()) return s;
      if (auto l = n["listen"]) {
        if (Status s = Address(l, "http.listen", &out->http.listen); !s.ok()) return s;
      }
    }
    if (auto n = root["data_dir"]) {
      if (Status s = fields_.ReadScalar(n, "data_dir", &out->data_dir); !s.ok()) return s;
    }
    if (auto n = root["wal"]) {
      if (Status s = Wal(n, &out->wal); !s.ok()) return s;
    }
    if (auto n = root["log_level"]) {
      if (Status s = LogLevel(n, "log_level", &out->log_level); !s.ok()) return s;
    }
    if (auto n = root["atms"]) {
      if (Status s = Atms(n, &out->atms); !s.ok()) return s;
    }
    if (auto n = root["lines"]) {
      if (Status s = Lines(n, &out->lines); !s.ok()) return s;
    }
    if (auto n = root["business_hours"]) {
      if (Status s = BusinessHours(n, &out->business_hours); !s.ok()) return s;
    }
    if (auto n = root["atm_silence"]) {
      if (Status s = PositiveDuration(n, "atm_silence", 24LL * 3600 * 1000, &out->atm_silence_ms);
          !s.ok()) {
        return s;
      }
    }
    if (auto n = root["targets"]) {
      if (Status s = fields_.CheckMapKeys(n, "targets", {"mvno_lines"}); !s.ok()) return s;
      if (auto t = n["mvno_lines"]) {
        if (Status s = fields_.ReadIntegerIn(t, "targets.mvno_lines", 0, int64_t{1} << 40,
                                             &out->targets.mvno_lines);
            !s.ok()) {
          return s;
        }
      }
    }
    return Status::Ok();
  }

 private:
  Status Size(const YAML::Node& node, std::string_view path, int64_t min, int64_t max,
              std::size_t* out) const {
    int64_t value = 0;
    if (Status s = fields_.ReadIntegerIn(node, path, min, max, &value); !s.ok()) return s;
    *out = static_cast<std::size_t>(value);
    return Status::Ok();
  }

  Status Duration(const YAML::Node& node, std::string_view path, std::int64_t* ms) const {
    std::string text;
    if (Status s = fields_.ReadScalar(node, path, &text); !s.ok()) return s;
    if (!ParseDurationMs(text, ms)) {
      return fields_.Error(
          node, path,
          fmt::format("'{}' is not a duration; write e.g. 400d, 12h, 30m, 45s, 250ms or 0", text));
    }
    return Status::Ok();
  }

  // A duration within (0, max_ms].
  Status PositiveDuration(const YAML::Node& node, std::string_view path, std::int64_t max_ms,
                          std::int64_t* ms) const {
    std::int64_t value = 0;
    if (Status s = Duration(node, path, &value); !s.ok()) return s;
    if (value <= 0 || value > max_ms) {
      return fields_.Error(
          node, path, fmt::format("must be above 0 and at most {}s; write e.g. 5m", max_ms / 1000));
    }
    *ms = value;
    return Status::Ok();
  }

  Status Lines(const YAML::Node& n, DaemonConfig::Lines* out) const {
    if (Status s =
            fields_.CheckMapKeys(n, "lines", {"interim_interval", "flap_window", "max_lines"});
        !s.ok()) {
      return s;
    }
    Status s;
    if (auto v = n["interim_interval"]; s.ok() && v) {
      s = PositiveDuration(v, "lines.interim_interval", 24LL * 3600 * 1000,
                           &out->interim_interval_ms);
    }
    if (auto v = n["flap_window"]; s.ok() && v) {
      s = PositiveDuration(v, "lines.flap_window", 24LL * 3600 * 1000, &out->flap_window_ms);
    }
    if (auto v = n["max_lines"]; s.ok() && v) {
      s = Size(v, "lines.max_lines", 1, 100000000, &out->max_lines);
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

  Status Bytes(const YAML::Node& node, std::string_view path, std::size_t min,
               std::size_t* bytes) const {
    std::string text;
    if (Status s = fields_.ReadScalar(node, path, &text); !s.ok()) return s;
    if (!ParseByteSize(text, bytes)) {
      return fields_.Error(
          node, path,
          fmt::format("'{}' is not a byte size; write e.g. 4194304, 64KiB or 4MiB", text));
    }
    if (*bytes < min) {
      return fields_.Error(node, path,
                           fmt::format("{} bytes is too small; write at least {}", *bytes, min));
    }
    return Status::Ok();
  }

  Status Date(const YAML::Node& node, std::string_view path, std::string* out) const {
    std::string text;
    if (Status s = fields_.ReadScalar(node, path, &text); !s.ok()) return s;
    std::chrono::year_month_day date;
    if (Status s = engine::ParseDate(text, &date); !s.ok()) {
      return fields_.Error(node, path, s.message());
    }
    *out = text;
    return Status::Ok();
  }

  Status Address(const YAML::Node& node, std::string_view path, std::string* out) const {
    std::string text;
    if (Status s = fields_.ReadScalar(node, path, &text); !s.ok()) return s;
    const auto colon = text.rfind(':');
    unsigned port = 0;
    const char* end = text.data() + text.size();
    const bool ok = colon != std::string::npos && colon > 0 && colon + 1 < text.size() &&
                    std::from_chars(text.data() + colon + 1, end, port).ptr == end && port <= 65535;
    if (!ok) {
      return fields_.Error(node, path,
                           fmt::format("'{}' is not HOST:PORT; write e.g. 127.0.0.1:7420", text));
    }
    *out = text;
    return Status::Ok();
  }

  Status LogLevel(const YAML::Node& node, std::string_view path, std::string* out) const {
    std::string text;
    if (Status s = fields_.ReadScalar(node, path, &text); !s.ok()) return s;
    static const std::set<std::string> kLevels = {"trace", "debug", "info", "warn", "error"};
    if (!kLevels.count(text)) {
      return fields_.Error(
          node, path,
          fmt::format("'{}' is not a level; use trace, debug, info, warn or error", text));
    }
    *out = text;
    return Status::Ok();
  }

  Status Ingest(const YAML::Node& n, DaemonConfig::Ingest* out) const {
    if (Status s = fields_.CheckMapKeys(n, "ingest",
                                        {"listen", "max_frame_bytes", "max_event_age",
                                         "max_batch_events", "max_unknown_atms", "max_sources"});
        !s.ok()) {
      return s;
    }
    Status s;
    if (auto v = n["listen"]; s.ok() && v) s = Address(v, "ingest.listen", &out->listen);
    if (auto v = n["max_frame_bytes"]; s.ok() && v) {
      s = Bytes(v, "ingest.max_frame_bytes", 1024, &out->max_frame_bytes);
    }
    if (auto v = n["max_event_age"]; s.ok() && v) {
      s = Duration(v, "ingest.max_event_age", &out->max_event_age_ms);
    }
    if (auto v = n["max_batch_events"]; s.ok() && v) {
      s = Size(v, "ingest.max_batch_events", 1, 10000000, &out->max_batch_events);
    }
    if (auto v = n["max_unknown_atms"]; s.ok() && v) {
      s = Size(v, "ingest.max_unknown_atms", 0, 1000000, &out->max_unknown_atms);
    }
    if (auto v = n["max_sources"]; s.ok() && v) {
      s = Size(v, "ingest.max_sources", 0, 1000000, &out->max_sources);
    }
    return s;
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
      s = Duration(v, "wal.commit_delay", &ms);
      if (s.ok() && ms > 1000) {
        s = fields_.Error(v, "wal.commit_delay",
                          "is longer than 1s, so acks would wait that long; write 1s or less");
      }
      out->commit_delay_us = ms * 1000;
    }
    if (auto v = n["group_bytes"]; s.ok() && v) {
      s = Bytes(v, "wal.group_bytes", 4096, &out->group_bytes);
    }
    if (auto v = n["segment_bytes"]; s.ok() && v) {
      s = Bytes(v, "wal.segment_bytes", 64 * 1024, &out->segment_bytes);
    }
    if (auto v = n["min_free_bytes"]; s.ok() && v) {
      std::size_t bytes = 0;
      s = Bytes(v, "wal.min_free_bytes", 0, &bytes);
      out->min_free_bytes = bytes;
    }
    if (auto v = n["strict"]; s.ok() && v) s = fields_.ReadBool(v, "wal.strict", &out->strict);
    if (auto v = n["snapshot_interval"]; s.ok() && v) {
      s = Duration(v, "wal.snapshot_interval", &out->snapshot_interval_ms);
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
      s = Date(v, path + ".installed", &atm->installed);
    }
    return s;
  }

  const FieldReader& fields_;
};

}  // namespace

bool ParseByteSize(const std::string& text, std::size_t* bytes) {
  std::uint64_t value = 0;
  const char* end = text.data() + text.size();
  const auto [unit, ec] = std::from_chars(text.data(), end, value);
  if (ec != std::errc()) return false;
  const std::string_view suffix(unit, end - unit);
  static const std::pair<std::string_view, std::uint64_t> kUnits[] = {
      {"", 1}, {"B", 1}, {"KiB", 1ULL << 10}, {"MiB", 1ULL << 20}, {"GiB", 1ULL << 30}};
  for (const auto& [name, scale] : kUnits) {
    if (suffix == name) {
      if (value > UINT64_MAX / scale) return false;
      *bytes = static_cast<std::size_t>(value * scale);
      return true;
    }
  }
  return false;
}

Status ParseConfig(const std::string& yaml_text, const std::string& file_name, DaemonConfig* out) {
  const FieldReader fields(file_name);
  DaemonConfig config;
  if (Status status = ReadYaml(
          yaml_text, fields,
          [&](const YAML::Node& root) { return SectionParser(fields).Top(root, &config); });
      !status.ok()) {
    return status;
  }
  *out = std::move(config);
  return Status::Ok();
}

Status LoadConfigFile(const std::string& path, DaemonConfig* out) {
  std::string text;
  if (Status status = ReadConfigFile(path, &text); !status.ok()) return status;
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
