#include "config/sections/wal.h"

#include <yaml-cpp/yaml.h>

#include <cstdint>

namespace atmwatch::config {

Status ReadWal(const FieldReader& fields, const YAML::Node& n, DaemonConfig::Wal* out) {
  if (Status s = fields.CheckMapKeys(
          n, "wal",
          {"fsync", "commit_delay", "group_bytes", "segment_bytes", "min_free_bytes", "strict",
           "snapshot_interval", "snapshot_every_records"});
      !s.ok()) {
    return s;
  }
  Status s;
  if (auto v = n["fsync"]; s.ok() && v) s = fields.ReadBool(v, "wal.fsync", &out->fsync);
  if (auto v = n["commit_delay"]; s.ok() && v) {
    std::int64_t ms = 0;
    s = fields.ReadDuration(v, "wal.commit_delay", &ms);
    if (s.ok() && ms > 1000) {
      s = fields.Error(v, "wal.commit_delay",
                       "is longer than 1s, so acks would wait that long; write 1s or less");
    }
    out->commit_delay_us = ms * 1000;
  }
  if (auto v = n["group_bytes"]; s.ok() && v) {
    s = fields.ReadByteSize(v, "wal.group_bytes", 4096, &out->group_bytes);
  }
  if (auto v = n["segment_bytes"]; s.ok() && v) {
    s = fields.ReadByteSize(v, "wal.segment_bytes", 64 * 1024, &out->segment_bytes);
  }
  if (auto v = n["min_free_bytes"]; s.ok() && v) {
    std::size_t bytes = 0;
    s = fields.ReadByteSize(v, "wal.min_free_bytes", 0, &bytes);
    out->min_free_bytes = bytes;
  }
  if (auto v = n["strict"]; s.ok() && v) s = fields.ReadBool(v, "wal.strict", &out->strict);
  if (auto v = n["snapshot_interval"]; s.ok() && v) {
    s = fields.ReadDuration(v, "wal.snapshot_interval", &out->snapshot_interval_ms);
    if (s.ok() && out->snapshot_interval_ms < 1000) {
      s = fields.Error(v, "wal.snapshot_interval", "is too short; write at least 1s");
    }
  }
  if (auto v = n["snapshot_every_records"]; s.ok() && v) {
    int64_t records = 0;
    s = fields.ReadIntegerIn(v, "wal.snapshot_every_records", 1, int64_t{1} << 40, &records);
    out->snapshot_every_records = static_cast<std::uint64_t>(records);
  }
  return s;
}

}  // namespace atmwatch::config
