#include "cli/wal_command.h"

#include <fmt/format.h>
#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <array>
#include <filesystem>
#include <functional>
#include <limits>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string_view>
#include <system_error>
#include <vector>

#include "atmwatch/v1/ingest.pb.h"
#include "durability/data_dir_lock.h"
#include "events/event_kind.h"
#include "wal/batch_log.h"
#include "wal/file.h"
#include "wal/segment_dir.h"
#include "wal/segment_scan.h"
#include "wal/snapshot_file.h"

namespace atmwatch::cli {
namespace {

namespace fs = std::filesystem;

constexpr size_t kTopSources = 20;

struct DataDir {
  std::string wal;
  std::string snapshots;
};

// Something the report must mention: an error (damage) or a warning.
struct Problem {
  bool error = false;
  std::string text;
};

struct WalRecord {
  uint64_t lsn = 0;
  std::string segment;  // file name
  uint64_t offset = 0;
  std::string_view payload;  // valid during the visit only
};

// Returns "" or why the record's payload is damaged.
using RecordVisitor = std::function<std::string(const WalRecord&)>;

struct SegmentSummary {
  std::string name;
  uint64_t records = 0;
  uint64_t bytes = 0;
  std::optional<uint64_t> first_lsn;
  uint64_t last_lsn = 0;
};

struct WalSummary {
  std::vector<SegmentSummary> segments;
  std::optional<uint64_t> first_lsn;
  uint64_t last_lsn = 0;
  // Records without a batch, written after a write error (wal::IsProbeRecord).
  uint64_t probes = 0;
  std::vector<Problem> problems;

  void Error(std::string text) { problems.push_back({true, std::move(text)}); }
  void Warning(std::string text) { problems.push_back({false, std::move(text)}); }
};

// "x/wal/" and "x/wal/." name the directory "x/wal".
fs::path NormalDir(const std::string& dir) {
  fs::path path = fs::absolute(dir).lexically_normal();
  if (!path.has_filename() && path != path.root_path()) path = path.parent_path();
  return path;
}

bool HasSegmentFiles(const std::string& dir) {
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    uint64_t index = 0;
    if (wal::SegmentDir::ParseSegmentFileName(it->path().filename().native(), &index)) return true;
  }
  return false;
}

// Finds DIR's wal/ and snapshots/; returns why DIR is not a data directory.
std::string ResolveDataDir(const std::string& dir, DataDir* paths) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) return dir + ": no such directory";
  const fs::path root(dir);
  if (fs::is_directory(root / "wal", ec) || fs::is_directory(root / "snapshots", ec)) {
    paths->wal = (root / "wal").native();
    paths->snapshots = (root / "snapshots").native();
    return "";
  }
  const fs::path normal = NormalDir(dir);
  if (normal.filename() == "wal" || HasSegmentFiles(dir)) {
    paths->wal = dir;
    paths->snapshots = (normal.parent_path() / "snapshots").native();
    return "";
  }
  return dir +
         ": not an atmwatch data directory (no wal/ or snapshots/ inside, no wal-*.log files)";
}

// The segments in `dir`, oldest first, without creating or opening anything.
Status ListSegments(const std::string& dir, std::vector<wal::Segment>* segments) {
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec == std::errc::no_such_file_or_directory) return Status::Ok();
  for (const fs::directory_iterator end; !ec && it != end; it.increment(ec)) {
    uint64_t index = 0;
    if (wal::SegmentDir::ParseSegmentFileName(it->path().filename().native(), &index)) {
      segments->push_back({index, it->path().native()});
    }
  }
  if (ec) return Status::Error(dir + ": list directory: " + ec.message());
  std::sort(segments->begin(), segments->end(), [](const wal::Segment& a, const wal::Segment& b) {
    return a.first_index < b.first_index;
  });
  return Status::Ok();
}

// Reads the segments in order with the daemon's own scan (wal::ScanSegment),
// checks each record's LSN against its segment and its predecessor, and
// reports damage as errors and a torn tail as a warning, as replay sees them.
class WalScanner {
 public:
  WalScanner(uint64_t from_lsn, const RecordVisitor& visit, WalSummary* summary)
      : from_lsn_(from_lsn), visit_(visit), summary_(summary) {}

  void Scan(const std::vector<wal::Segment>& segments) {
    for (size_t i = 0; i < segments.size(); ++i) {
      std::optional<uint64_t> end_index;
      if (i + 1 < segments.size()) end_index = segments[i + 1].first_index;
      // Every LSN of this segment is below the next one's first.
      if (end_index && *end_index <= from_lsn_) continue;
      ScanSegment(segments[i], end_index);
    }
  }

 private:
  void ScanSegment(const wal::Segment& segment, std::optional<uint64_t> end_index) {
    SegmentSummary& summary = summary_->segments.emplace_back();
    summary.name = fs::path(segment.path).filename().native();
    std::error_code ec;
    summary.bytes = fs::file_size(segment.path, ec);
    const bool newest = !end_index.has_value();
    const wal::SegmentScan scan = wal::ScanSegment(
        segment.path, newest, [&](uint64_t lsn, std::string_view payload, uint64_t offset) {
          const std::string problem =
              CheckRecord(segment, end_index, lsn, payload, offset, &summary);
          if (!problem.empty()) {
            summary_->Error(fmt::format("{}:{}: {}", segment.path, offset, problem));
          }
        });
    if (!scan.status.ok()) return summary_->Error(scan.status.message());
    for (const wal::SegmentDamage& damage : scan.damage) {
      summary_->Error(
          fmt::format("{}:{}: {}, {} bytes dropped (damage inside the log, not a torn "
                      "write: acknowledged records may be lost)",
                      segment.path, damage.offset, damage.reason, damage.bytes));
    }
    if (scan.torn_tail_bytes > 0) {
      summary_->Warning(
          fmt::format("{}:{}: torn tail, {} bytes after the last whole record (normal after a "
                      "crash; atmwatchd cuts it off when it starts)",
                      segment.path, scan.last_record_end, scan.torn_tail_bytes));
    }
  }

  // Returns "" or what is wrong with the record at `offset`.
  std::string CheckRecord(const wal::Segment& segment, std::optional<uint64_t> end_index,
                          uint64_t lsn, std::string_view payload, uint64_t offset,
                          SegmentSummary* summary) {
    if (lsn < segment.first_index || (end_index && lsn >= *end_index)) {
      return fmt::format("LSN {} is outside the segment's range {}..{}", lsn, segment.first_index,
                         end_index ? fmt::to_string(*end_index - 1) : std::string("end"));
    }
    if (previous_lsn_ && lsn <= *previous_lsn_) {
      return fmt::format("LSN {} does not follow LSN {}", lsn, *previous_lsn_);
    }
    if (previous_lsn_ && lsn > *previous_lsn_ + 1) {
      summary_->Warning(fmt::format(
          "{}:{}: LSNs {}..{} are missing before this record (lost to damage, or skipped after "
          "a write error by an atmwatchd older than this tool)",
          segment.path, offset, *previous_lsn_ + 1, lsn - 1));
    }
    previous_lsn_ = lsn;
    if (lsn < from_lsn_) return "";
    ++summary->records;
    if (!summary->first_lsn) summary->first_lsn = lsn;
    summary->last_lsn = lsn;
    if (!summary_->first_lsn) summary_->first_lsn = lsn;
    summary_->last_lsn = lsn;
    if (wal::IsProbeRecord(payload)) {
      ++summary_->probes;
      return "";
    }
    const std::string name = fs::path(segment.path).filename().native();
    return visit_({lsn, name, offset, payload});
  }

  uint64_t from_lsn_;
  const RecordVisitor& visit_;
  WalSummary* summary_;
  std::optional<uint64_t> previous_lsn_;
};

// Lists and scans the WAL in `dir`; a listing failure is an error problem.
WalSummary ScanWal(const std::string& dir, uint64_t from_lsn, const RecordVisitor& visit) {
  WalSummary summary;
  std::vector<wal::Segment> segments;
  if (Status status = ListSegments(dir, &segments); !status.ok()) {
    summary.Error(status.message());
    return summary;
  }
  WalScanner(from_lsn, visit, &summary).Scan(segments);
  return summary;
}

std::string ParseBatch(std::string_view payload, v1::Batch* batch) {
  if (!batch->ParseFromArray(payload.data(), static_cast<int>(payload.size()))) {
    return fmt::format("record of {} bytes is not an atmwatch.v1.Batch", payload.size());
  }
  return "";
}

// What the verify report counts in the batches it reads.
class EventTotals {
 public:
  struct Source {
    std::string id;
    uint64_t batches = 0;
    uint64_t events = 0;
    uint64_t min_seq = std::numeric_limits<uint64_t>::max();
    uint64_t max_seq = 0;
  };

  void Add(const v1::Batch& batch) {
    Source& source = sources_[batch.source_id()];
    source.id = batch.source_id();
    ++source.batches;
    source.events += static_cast<uint64_t>(batch.events_size());
    source.min_seq = std::min(source.min_seq, batch.seq());
    source.max_seq = std::max(source.max_seq, batch.seq());
    for (const v1::Envelope& event : batch.events())
      ++by_kind_[events::Index(events::KindOf(event))];
  }

  // In the order of the Envelope's oneof; "none" only when seen.
  std::vector<std::pair<std::string, uint64_t>> ByKind() const {
    std::vector<std::pair<std::string, uint64_t>> kinds;
    for (events::EventKind kind : events::kEventKinds) {
      const uint64_t count = by_kind_[events::Index(kind)];
      if (kind == events::EventKind::kNone && count == 0) continue;
      kinds.emplace_back(events::KindName(kind), count);
    }
    return kinds;
  }

  // Most batches first.
  std::vector<Source> SourcesByBatches() const {
    std::vector<Source> sources;
    for (const auto& [id, source] : sources_) sources.push_back(source);
    std::stable_sort(sources.begin(), sources.end(),
                     [](const Source& a, const Source& b) { return a.batches > b.batches; });
    return sources;
  }

 private:
  std::array<uint64_t, events::kEventKinds.size()> by_kind_{};
  std::map<std::string, Source> sources_;
};

struct SnapshotCheck {
  wal::SnapshotFileInfo info;
  std::string damage;  // "" when valid
};

struct SnapshotSummary {
  std::vector<SnapshotCheck> snapshots;
  std::vector<std::string> temp_files;
  std::optional<uint64_t> newest_valid_lsn;
  std::vector<Problem> problems;
};

SnapshotSummary CheckSnapshots(const std::string& dir) {
  SnapshotSummary summary;
  std::vector<wal::SnapshotFileInfo> files;
  if (Status status = wal::ListSnapshots(dir, &files, &summary.temp_files); !status.ok()) {
    summary.problems.push_back({true, status.message()});
    return summary;
  }
  for (const wal::SnapshotFileInfo& file : files) {
    SnapshotCheck& check = summary.snapshots.emplace_back(SnapshotCheck{file, ""});
    uint64_t lsn = 0;
    std::string payload;
    const Status status = wal::ReadSnapshotFile(file.path, &lsn, &payload, &check.damage);
    if (!status.ok()) check.damage = status.message();
    if (check.damage.empty()) {
      summary.newest_valid_lsn = lsn;
    } else {
      summary.problems.push_back(
          {true, fmt::format("{}: {} (atmwatchd skips it and falls back to an older snapshot)",
                             file.path, check.damage)});
    }
  }
  return summary;
}

void PrintSegments(const WalSummary& wal, std::ostream& out) {
  out << fmt::format("{:<30} {:>10} {:>12} {:>12} {:>12}\n", "segment", "records", "bytes",
                     "first LSN", "last LSN");
  uint64_t records = 0, bytes = 0;
  for (const SegmentSummary& segment : wal.segments) {
    const std::string first = segment.first_lsn ? fmt::to_string(*segment.first_lsn) : "-";
    const std::string last = segment.first_lsn ? fmt::to_string(segment.last_lsn) : "-";
    out << fmt::format("{:<30} {:>10} {:>12} {:>12} {:>12}\n", segment.name, segment.records,
                       segment.bytes, first, last);
    records += segment.records;
    bytes += segment.bytes;
  }
  const std::string first = wal.first_lsn ? fmt::to_string(*wal.first_lsn) : "-";
  const std::string last = wal.first_lsn ? fmt::to_string(wal.last_lsn) : "-";
  out << fmt::format("{:<30} {:>10} {:>12} {:>12} {:>12}\n",
                     fmt::format("total: {} segments", wal.segments.size()), records, bytes, first,
                     last);
  if (wal.probes > 0) {
    out << fmt::format(
        "{} of them probe records, written after a write error to test the disk (no batch)\n",
        wal.probes);
  }
}

// A source id as one table cell: control characters and backslashes escaped
// (\n, \t, \xNN, \\), so an id cannot break the table or fake a line.
std::string PrintableSourceId(std::string_view id) {
  std::string printable;
  printable.reserve(id.size());
  for (const char c : id) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\\') {
      printable += "\\\\";
    } else if (c == '\n') {
      printable += "\\n";
    } else if (c == '\t') {
      printable += "\\t";
    } else if (byte < 0x20 || byte == 0x7f) {
      printable += fmt::format("\\x{:02x}", byte);
    } else {
      printable += c;
    }
  }
  return printable;
}

void PrintTotals(const EventTotals& totals, std::ostream& out) {
  out << "\nevents by kind\n";
  for (const auto& [kind, count] : totals.ByKind()) {
    out << fmt::format("  {:<14} {:>12}\n", kind, count);
  }
  const auto sources = totals.SourcesByBatches();
  out << fmt::format("\nbatches by source ({} sources)\n", sources.size());
  if (sources.empty()) return;
  out << fmt::format("  {:<32} {:>10} {:>12}  {}\n", "source", "batches", "events", "seq");
  for (size_t i = 0; i < sources.size() && i < kTopSources; ++i) {
    const auto& source = sources[i];
    out << fmt::format("  {:<32} {:>10} {:>12}  {}..{}\n", PrintableSourceId(source.id),
                       source.batches, source.events, source.min_seq, source.max_seq);
  }
  if (sources.size() > kTopSources) {
    uint64_t batches = 0;
    for (size_t i = kTopSources; i < sources.size(); ++i) batches += sources[i].batches;
    out << fmt::format("  ... {} more sources with {} batches\n", sources.size() - kTopSources,
                       batches);
  }
}

void PrintSnapshots(const SnapshotSummary& snapshots, const WalSummary& wal, std::ostream& out) {
  out << fmt::format("\nsnapshots ({})\n", snapshots.snapshots.size());
  for (const SnapshotCheck& check : snapshots.snapshots) {
    out << fmt::format("  {:<36} LSN {:<8} {:>10} bytes  {}\n",
                       fs::path(check.info.path).filename().native(), check.info.lsn,
                       check.info.size, check.damage.empty() ? "ok" : "DAMAGED: " + check.damage);
  }
  for (const std::string& temp : snapshots.temp_files) {
    out << fmt::format("  {:<36} leftover of an interrupted write, ignored\n",
                       fs::path(temp).filename().native());
  }
  const uint64_t covered = snapshots.newest_valid_lsn.value_or(0);
  out << (snapshots.newest_valid_lsn ? fmt::format("recovery: snapshot LSN {}", covered)
                                     : std::string("recovery: empty state (no valid snapshot)"));
  if (wal.first_lsn && wal.last_lsn > covered) {
    out << fmt::format(", then WAL LSN {}..{}", std::max(covered + 1, *wal.first_lsn),
                       wal.last_lsn);
  }
  out << "\n";
}

// The WAL must hold every record after the newest valid snapshot.
void CheckCoverage(const SnapshotSummary& snapshots, WalSummary* wal) {
  const uint64_t covered = snapshots.newest_valid_lsn.value_or(0);
  if (wal->first_lsn && *wal->first_lsn > covered + 1) {
    wal->Warning(fmt::format(
        "LSNs {}..{} are in no valid snapshot and no WAL segment (lost, or skipped after a write "
        "error by an atmwatchd older than this tool)",
        covered + 1, *wal->first_lsn - 1));
  }
}

std::string Count(size_t n, std::string_view noun) {
  return fmt::format("{} {}{}", n, noun, n == 1 ? "" : "s");
}

int PrintProblems(const std::vector<Problem>& problems, std::ostream& out) {
  int errors = 0;
  if (!problems.empty()) out << "\nproblems\n";
  for (const Problem& problem : problems) {
    out << (problem.error ? "  ERROR   " : "  WARNING ") << problem.text << "\n";
    errors += problem.error ? 1 : 0;
  }
  const size_t warnings = problems.size() - static_cast<size_t>(errors);
  if (errors > 0) {
    out << fmt::format("\nresult: CORRUPT, {}, {}\n", Count(errors, "error"),
                       Count(warnings, "warning"));
  } else if (warnings > 0) {
    out << fmt::format("\nresult: OK with {}\n", Count(warnings, "warning"));
  } else {
    out << "\nresult: OK\n";
  }
  return errors;
}

// Also takes a shared lock on the data directory: reading while atmwatchd
// appends to the newest segment and drops old ones would report damage that
// is not there.
bool Resolve(std::string_view command, const WalOptions& options, DataDir* paths,
             durability::DataDirLock* lock, std::ostream& err) {
  std::string problem = ResolveDataDir(options.dir, paths);
  if (problem.empty() && NormalDir(paths->wal).filename() == "wal") {
    const Status status = durability::DataDirLock::Acquire(
        NormalDir(paths->wal).parent_path().native(), durability::DataDirLock::Mode::kShared,
        "atmwatch wal", lock);
    if (!status.ok()) problem = status.message();
  }
  if (problem.empty()) return true;
  err << "atmwatch wal " << command << ": " << problem << "\n";
  return false;
}

}  // namespace

int RunWalVerify(const WalOptions& options, std::ostream& out, std::ostream& err) {
  DataDir paths;
  durability::DataDirLock lock;
  if (!Resolve("verify", options, &paths, &lock, err)) return kWalBadUsage;
  EventTotals totals;
  WalSummary wal = ScanWal(paths.wal, 0, [&](const WalRecord& record) {
    v1::Batch batch;
    std::string problem = ParseBatch(record.payload, &batch);
    if (problem.empty()) totals.Add(batch);
    return problem;
  });
  const SnapshotSummary snapshots = CheckSnapshots(paths.snapshots);
  CheckCoverage(snapshots, &wal);

  out << fmt::format("wal: {}\nsnapshots: {}\n\n", paths.wal, paths.snapshots);
  PrintSegments(wal, out);
  PrintTotals(totals, out);
  PrintSnapshots(snapshots, wal, out);
  std::vector<Problem> problems = wal.problems;
  problems.insert(problems.end(), snapshots.problems.begin(), snapshots.problems.end());
  return PrintProblems(problems, out) > 0 ? kWalCorrupt : kWalOk;
}

int RunWalDump(const WalOptions& options, std::ostream& out, std::ostream& err) {
  DataDir paths;
  durability::DataDirLock lock;
  if (!Resolve("dump", options, &paths, &lock, err)) return kWalBadUsage;
  google::protobuf::util::JsonPrintOptions json_options;
  std::string json;
  const WalSummary wal = ScanWal(paths.wal, options.from_lsn, [&](const WalRecord& record) {
    v1::Batch batch;
    std::string problem = ParseBatch(record.payload, &batch);
    if (!problem.empty()) return problem;
    json.clear();
    const auto status = google::protobuf::util::MessageToJsonString(batch, &json, json_options);
    if (!status.ok()) return "cannot print as JSON: " + std::string(status.message());
    out << fmt::format(R"({{"lsn":{},"segment":"{}","offset":{},"batch":{}}})", record.lsn,
                       record.segment, record.offset, json)
        << "\n";
    return std::string();
  });
  int errors = 0;
  for (const Problem& problem : wal.problems) {
    err << "atmwatch wal dump: " << (problem.error ? "error: " : "warning: ") << problem.text
        << "\n";
    errors += problem.error ? 1 : 0;
  }
  return errors > 0 ? kWalCorrupt : kWalOk;
}

}  // namespace atmwatch::cli
