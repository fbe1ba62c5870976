// atmwatch-bench-events: writes the benchmarks' event sets to files and
// reduces what a consumer made of them to one comparable tally.
//
//   transactions  N mixed transactions as delimited Batch frames, the same
//                 events as a CSV log, and the tally they must produce
//   history       a fleet's past (bench/event_sets.h) as delimited Batch frames
//   inventory     the `atms:` config section that binds lines to those ATMs
//   tally         the tally of mtail's --one_shot JSON or of a /metrics page
//
// A tally is plain text, one figure a line, so two of them compare with diff.

#include <fmt/format.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/delimited_message_util.h>
#include <google/protobuf/util/json_util.h>

#include <CLI/CLI.hpp>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "atmwatch/v1/ingest.pb.h"
#include "common/wall_clock.h"
#include "event_sets.h"

namespace {

using atmwatch::v1::Envelope;

// Writes events as delimited Batches of `batch_events`, seq 1, 2, ...
class FrameWriter {
 public:
  FrameWriter(const std::string& path, std::string source, int batch_events)
      : out_(path, std::ios::binary | std::ios::trunc), batch_events_(batch_events) {
    batch_.set_source_id(std::move(source));
  }
  bool ok() const { return static_cast<bool>(out_); }
  void Add(const Envelope& event) {
    *batch_.add_events() = event;
    if (batch_.events_size() == batch_events_) Flush();
  }
  void Flush() {
    if (batch_.events_size() == 0) return;
    batch_.set_seq(++batches_);
    google::protobuf::util::SerializeDelimitedToOstream(batch_, &out_);
    batch_.clear_events();
  }
  std::uint64_t batches() const { return batches_; }

 private:
  std::ofstream out_;
  int batch_events_;
  atmwatch::v1::Batch batch_;
  std::uint64_t batches_ = 0;
};

struct AtmFigures {
  double transactions = 0;
  double commission = 0;
  double reversed = 0;
};

// What every consumer of a transaction set must agree on.
struct Tally {
  std::map<std::pair<std::string, std::string>, double> transactions;  // (type, result)
  double commission = 0;
  double reversed = 0;
  std::map<std::string, AtmFigures> spots;  // only the ATMs asked for

  void Print(std::ostream& out) const {
    double all = 0;
    for (const auto& [kind, count] : transactions) {
      if (count == 0) continue;
      out << fmt::format("transactions {} {} {:.0f}\n", kind.first, kind.second, count);
      all += count;
    }
    out << fmt::format("transactions_all {:.0f}\n", all);
    out << fmt::format("commission_yen {:.0f}\ncommission_reversed_yen {:.0f}\n", commission,
                       reversed);
    for (const auto& [id, f] : spots) {
      out << fmt::format("atm {} transactions {:.0f} commission_yen {:.0f} reversed_yen {:.0f}\n",
                         id, f.transactions, f.commission, f.reversed);
    }
  }
};

std::set<std::string> SpotSet(const std::vector<std::string>& spots) {
  return {spots.begin(), spots.end()};
}

// Adds one sample of the three families compared; `labels` holds the
// family's labels in order (atm_id[, type, result]).
void AddSample(Tally& tally, const std::set<std::string>& spots, const std::string& name,
               const std::vector<std::string>& labels, double value) {
  if (labels.empty()) return;
  const std::string& atm = labels[0];
  AtmFigures* spot = spots.count(atm) ? &tally.spots[atm] : nullptr;
  if (name == "atmwatch_atm_transactions_total" && labels.size() == 3) {
    tally.transactions[{labels[1], labels[2]}] += value;
    if (spot) spot->transactions += value;
  } else if (name == "atmwatch_atm_commission_yen_total") {
    tally.commission += value;
    if (spot) spot->commission += value;
  } else if (name == "atmwatch_atm_commission_reversed_yen_total") {
    tally.reversed += value;
    if (spot) spot->reversed += value;
  }
}

// `name{k="v",...} value` lines of the Prometheus text format; label values
// here never hold quotes or escapes.
bool TallyMetrics(std::istream& in, const std::set<std::string>& spots, Tally* tally) {
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("atmwatch_atm_", 0) != 0) continue;
    const auto brace = line.find('{');
    const auto close = line.rfind('}');
    if (brace == std::string::npos || close == std::string::npos) continue;
    const std::string name = line.substr(0, brace);
    std::map<std::string, std::string> labels;
    std::istringstream pairs(line.substr(brace + 1, close - brace - 1));
    std::string pair;
    while (std::getline(pairs, pair, ',')) {
      const auto eq = pair.find("=\"");
      if (eq == std::string::npos || pair.back() != '"') return false;
      labels[pair.substr(0, eq)] = pair.substr(eq + 2, pair.size() - eq - 3);
    }
    const double value = std::stod(line.substr(close + 2));
    AddSample(*tally, spots, name, {labels["atm_id"], labels["type"], labels["result"]}, value);
  }
  return true;
}

// mtail --one_shot prints {name: [{Keys, LabelValues: [{Labels, Value: {Value}}]}]}.
bool TallyMtail(const std::string& json, const std::set<std::string>& spots, Tally* tally) {
  google::protobuf::Struct root;
  if (!google::protobuf::util::JsonStringToMessage(json, &root).ok()) return false;
  for (const auto& [name, programs] : root.fields()) {
    for (const auto& metric : programs.list_value().values()) {
      const auto& fields = metric.struct_value().fields();
      if (!fields.count("LabelValues")) continue;
      for (const auto& sample : fields.at("LabelValues").list_value().values()) {
        const auto& sample_fields = sample.struct_value().fields();
        std::vector<std::string> labels;
        for (const auto& label : sample_fields.at("Labels").list_value().values()) {
          labels.push_back(label.string_value());
        }
        const double value =
            sample_fields.at("Value").struct_value().fields().at("Value").number_value();
        if (labels.size() == 3 || name != "atmwatch_atm_transactions_total") {
          AddSample(*tally, spots, name, labels, value);
        }
      }
    }
  }
  return true;
}

int WriteTransactions(const atmwatch::bench::TransactionMix& mix, int batch_events,
                      const std::string& frames_path, const std::string& csv_path,
                      const std::string& expected_path, const std::vector<std::string>& spot_ids) {
  FrameWriter frames(frames_path, "replay", batch_events);
  std::ofstream csv(csv_path, std::ios::trunc);
  if (!frames.ok() || !csv) {
    std::cerr << "atmwatch-bench-events: cannot write " << frames_path << " or " << csv_path
              << "\n";
    return 1;
  }
  const auto spots = SpotSet(spot_ids);
  Tally expected;
  std::string buffer;
  atmwatch::bench::GenerateTransactions(mix, [&](const Envelope& event) {
    frames.Add(event);
    const auto& tx = event.transaction();
    const char* type = atmwatch::bench::TypeName(tx.type());
    const char* result = atmwatch::bench::ResultName(tx.result());
    fmt::format_to(std::back_inserter(buffer), "{},{},{},{},{},{}\n", event.time_unix_ms(),
                   tx.atm_id(), type, result, tx.amount_yen(), tx.commission_yen());
    if (buffer.size() > (1 << 20)) {
      csv << buffer;
      buffer.clear();
    }
    const bool reversal = tx.result() == atmwatch::v1::AtmTransaction::REVERSED;
    AddSample(expected, spots, "atmwatch_atm_transactions_total", {tx.atm_id(), type, result}, 1);
    AddSample(expected, spots,
              reversal ? "atmwatch_atm_commission_reversed_yen_total"
                       : "atmwatch_atm_commission_yen_total",
              {tx.atm_id()}, static_cast<double>(tx.commission_yen()));
  });
  frames.Flush();
  csv << buffer;
  std::ofstream tally(expected_path, std::ios::trunc);
  expected.Print(tally);
  std::cout << fmt::format("events={} batches={}\n", mix.events, frames.batches());
  return csv && tally ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"atmwatch-bench-events: event sets for the benchmarks, and tallies to compare"};
  app.require_subcommand(1);

  atmwatch::bench::TransactionMix mix;
  int batch_events = 1000;
  std::string frames_path, csv_path, expected_path;
  std::vector<std::string> spots;
  auto* transactions = app.add_subcommand("transactions", "mixed transactions: frames, CSV, tally");
  transactions->add_option("--events", mix.events)->required();
  transactions->add_option("--atms", mix.atms)->check(CLI::Range(1, 99999));
  transactions->add_option("--seed", mix.seed);
  transactions->add_option("--batch", batch_events)->check(CLI::Range(1, 100000));
  transactions->add_option("--frames", frames_path)->required();
  transactions->add_option("--csv", csv_path)->required();
  transactions->add_option("--expected", expected_path, "where to write the tally")->required();
  transactions->add_option("--spot", spots, "ATM ids whose own figures go in the tally")
      ->delimiter(',');

  atmwatch::bench::FleetHistory history;
  auto* past = app.add_subcommand("history", "a fleet's past as frames");
  past->add_option("--atms", history.atms)->check(CLI::Range(1, 99999));
  past->add_option("--days", history.days)->check(CLI::Range(1, 4000));
  past->add_option("--per-day", history.per_day)->check(CLI::Range(1, 1000));
  past->add_option("--recent-days", history.recent_days)->check(CLI::Range(0, 4000));
  past->add_option("--recent-per-day", history.recent_per_day)->check(CLI::Range(1, 1000));
  past->add_option("--lines", history.lines)->check(CLI::Range(0, 99999999));
  past->add_option("--batch", batch_events)->check(CLI::Range(1, 100000));
  past->add_option("--frames", frames_path)->required();

  int inventory_atms = 15000;
  int bound_lines = 15000;
  auto* inventory = app.add_subcommand("inventory", "the atms: section for `history`, on stdout");
  inventory->add_option("--atms", inventory_atms)->check(CLI::Range(1, 99999));
  inventory->add_option("--bound-lines", bound_lines, "ATMs 1..N get line N");

  std::string mtail_json, metrics_text;
  auto* tally = app.add_subcommand("tally", "the tally of mtail's one-shot JSON or of /metrics");
  auto* from_mtail = tally->add_option("--mtail-json", mtail_json);
  tally->add_option("--metrics", metrics_text)->excludes(from_mtail);
  tally->add_option("--spot", spots)->delimiter(',');

  CLI11_PARSE(app, argc, argv);

  if (*transactions) {
    // One millisecond apart, ending a minute ago: no event is in the future
    // and none is near the daemon's maximum age.
    mix.first_unix_ms = atmwatch::NowUnixMs() - mix.events - 60 * 1000;
    return WriteTransactions(mix, batch_events, frames_path, csv_path, expected_path, spots);
  }
  if (*past) {
    history.now_unix_ms = atmwatch::NowUnixMs();
    FrameWriter frames(frames_path, "history", batch_events);
    std::uint64_t events = 0;
    atmwatch::bench::GenerateHistory(history, [&](const Envelope& event) {
      frames.Add(event);
      ++events;
    });
    frames.Flush();
    std::cout << fmt::format("events={} batches={}\n", events, frames.batches());
    return frames.ok() ? 0 : 1;
  }
  if (*inventory) {
    std::string out = "atms:\n";
    for (int atm = 1; atm <= inventory_atms; ++atm) {
      fmt::format_to(std::back_inserter(out), "  - {{id: {}, site: \"Parlor {}\", region: {}",
                     atmwatch::bench::AtmId(atm), atm, atm % 2 ? "kanto" : "kansai");
      if (atm <= bound_lines) {
        fmt::format_to(std::back_inserter(out), ", line_id: \"{}\", carrier: {}",
                       atmwatch::bench::LineId(atm), atmwatch::bench::CarrierOf(atm));
      }
      out += "}\n";
    }
    std::cout << out;
    return 0;
  }
  Tally result;
  const auto spot_set = SpotSet(spots);
  const std::string& path = mtail_json.empty() ? metrics_text : mtail_json;
  std::ifstream in(path);
  if (!in) {
    std::cerr << "atmwatch-bench-events: cannot read " << path << "\n";
    return 1;
  }
  bool parsed = false;
  if (!mtail_json.empty()) {
    std::stringstream text;
    text << in.rdbuf();
    parsed = TallyMtail(text.str(), spot_set, &result);
  } else {
    parsed = TallyMetrics(in, spot_set, &result);
  }
  if (!parsed) {
    std::cerr << "atmwatch-bench-events: " << path << " does not parse\n";
    return 1;
  }
  result.Print(std::cout);
  return 0;
}
