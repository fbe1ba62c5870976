#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "common/status.h"
#include "config/config_field.h"  // ParseDurationMs, ParseByteSize
#include "engine/availability.h"
#include "engine/breakeven.h"
#include "engine/calendar.h"
#include "engine/engine.h"
#include "engine/fee_schedule.h"
#include "engine/fleet.h"

namespace atmwatch::config {

// Everything atmwatchd reads from its YAML file. Every field has a default,
// so an empty file (or none) runs a daemon on loopback.
struct DaemonConfig {
  // timezone, fiscal_year_start_month and holidays.
  engine::Calendar calendar;

  // `ingest.tls`, `http.tls`: TLS on that listener when cert_file is set.
  struct Tls {
    std::string cert_file;
    std::string key_file;
    std::string client_ca_file;  // set: client certificates required and verified
    bool enabled() const { return !cert_file.empty(); }
    bool operator==(const Tls&) const = default;
  };

  struct Ingest {
    std::string listen = "127.0.0.1:7420";
    std::size_t max_frame_bytes = 4 * 1024 * 1024;
    std::int64_t max_event_age_ms = 400LL * 24 * 3600 * 1000;  // 0 = no limit
    std::size_t max_batch_events = 100000;
    // Ids and free text in events; longer ones are refused (field_too_long),
    // as each may become a label value or be kept per ATM or line.
    std::size_t max_string_bytes = 256;
    std::size_t max_unknown_atms = 1000;
    // Sources with their own last-batch series; later ones are only counted.
    std::size_t max_sources = 1000;

    Tls tls;
    // `ingest.sources`: the credential each source_id is bound to.
    struct Source {
      std::string source_id;
      std::string cert_subject;  // RFC 2253, e.g. "CN=radius-tokyo-1"
      std::string token_sha256;  // 64 hex digits, lower case
    };
    std::vector<Source> sources;
    bool require_known_sources = false;  // true: batches of unlisted sources refused

    std::size_t max_connections_per_ip = 64;       // 0 = no limit
    std::int64_t idle_timeout_ms = 5 * 60 * 1000;  // no byte between frames for this long
    std::int64_t frame_timeout_ms = 30 * 1000;     // a frame (or TLS handshake) not whole by then
    std::int64_t write_timeout_ms = 30 * 1000;     // acks not taken by the peer by then
    std::size_t max_inflight_batches = 64;         // per connection; reading pauses at it
  } ingest;

  struct Http {
    std::string listen = "127.0.0.1:9742";
    // Set: http.listen speaks HTTPS only (daemon/http/tls_front.h).
    Tls tls;
    // The HTTPS front's limits (http.tls.*); defaults as in TlsFrontOptions.
    struct TlsLimits {
      std::size_t max_connections = 128;              // open at once; more closed at accept
      std::int64_t handshake_timeout_ms = 10 * 1000;  // handshake not done by then: closed
      std::int64_t idle_timeout_ms = 60 * 1000;       // no byte either way this long: closed
      bool operator==(const TlsLimits&) const = default;
    } tls_limits;
    // `http.basic_auth_users`: user → crypt(3) hash ($6$, $5$, $y$ or $2b$).
    // Set: /metrics and /v1/report need one of them. Over plain HTTP the
    // passwords cross the network in clear: set http.tls before listening
    // beyond loopback.
    std::vector<std::pair<std::string, std::string>> basic_auth_users;
  } http;

  std::string data_dir = "./atmwatch-data";

  struct Wal {
    bool fsync = true;  // false: acks before fsync (shown on /metrics)
    // How long a group waits for more batches. 0: a group is what arrived
    // while the previous fsync ran, which batches as well under load and
    // does not make a lone batch wait (bench/README.md).
    std::int64_t commit_delay_us = 0;
    std::size_t group_bytes = 4 << 20;  // a group is written once this big
    std::size_t segment_bytes = 64 << 20;
    // Free space the WAL keeps in reserve; below it batches are refused
    // (UNAVAILABLE) instead of failing mid-write. 0 = no check.
    std::uint64_t min_free_bytes = 64 << 20;
    bool strict = false;  // refuse to start on mid-log damage
    std::int64_t snapshot_interval_ms = 300000;
    std::uint64_t snapshot_every_records = 1000000;
    bool operator==(const Wal&) const = default;
  } wal;
  std::string log_level = "info";

  std::vector<engine::InventoryEntry> atms;
  engine::FeeSchedule fees;  // `fees:`, see config/sections/fees.h
  engine::CostModel costs;   // `costs:`, see config/sections/costs.h
  engine::CashVisits cash;   // `cash:`, see config/sections/cash.h

  // `lines:` the MVNO line table (engine/line_table.h).
  struct Lines {
    std::int64_t interim_interval_ms = 5 * 60 * 1000;  // stale after twice this
    std::int64_t flap_window_ms = 10 * 60 * 1000;      // a state change within it is a flap
    std::size_t max_lines = 500000;                    // events of further new lines refused
  } lines;
  // `business_hours: {start: "10:00", end: "23:00"}`: local, every day; the
  // hours of ATMs whose site has none and that have none of their own.
  engine::BusinessHours business_hours;
  // `sites: {NAME: {hours: ..., site_share: ...}}` (config/sections/sites.h).
  std::map<std::string, engine::BusinessHours> site_hours;
  std::map<std::string, double> site_shares;
  // `atm_silence:` no heartbeat, status or transaction for longer = not up.
  std::int64_t atm_silence_ms = 5 * 60 * 1000;

  struct Targets {
    std::int64_t mvno_lines = 0;  // 0 = no target
  } targets;

  // `slo:` the objectives the burn-rate alerts measure against, exported as
  // atmwatch_slo_objective_ratio so the rules need no copy of them.
  struct Slo {
    // Share of business seconds in which a customer could withdraw, over
    // the burn-rate alerts' 30 days.
    double cardholder_availability = 0.995;
  } slo;

  // `plan:` what management plans (config/sections/plan.h).
  engine::Plan plan;

  // `jetstream:` batches from a NATS JetStream stream, one durable pull
  // consumer per subject (daemon/jetstream). Off unless the section is there.
  struct JetStream {
    bool enabled = false;
    // The servers of one cluster (jetstream.url, comma-separated, or
    // jetstream.servers); the client reconnects to any of them.
    std::vector<std::string> servers = {"nats://127.0.0.1:4222"};
    std::string stream = "ATMWATCH";
    std::string durable;                    // required; unique per daemon
    std::vector<std::string> subjects;      // required; the share of the fleet this daemon owns
    std::size_t fetch_batch = 64;           // messages asked for per pull request
    std::size_t max_in_flight = 256;        // batches submitted and not yet settled
    std::int64_t ack_wait_ms = 30000;       // unacked this long: JetStream redelivers
    std::int64_t nak_delay_ms = 1000;       // redelivery delay after UNAVAILABLE or a seq gap
    std::int64_t reconnect_wait_ms = 1000;  // between attempts on the same server
    // Acks buffered while reconnecting; beyond it they fail and JetStream
    // redelivers after ack_wait.
    std::size_t reconnect_buffer_bytes = 8 * 1024 * 1024;
    // Compared whole on reload (config/reload_plan.h): a new field is never missed.
    bool operator==(const JetStream&) const = default;
  } jetstream;
};

// Parses YAML text. Errors name the file, line, key path and the fix, e.g.
// "atmwatch.yaml:7: ingest.max_event_age: '40x' is not a duration; write e.g. 400d, 12h or 0".
// Unknown keys are errors (a typo must never be silently ignored). Every
// problem of the file is reported, one a line, in the order of the file.
Status ParseConfig(const std::string& yaml_text, const std::string& file_name, DaemonConfig* out);

// Reads and parses a file; a missing, unreadable or empty file (nothing but
// blanks and comments) is an error: `{}` asks for every default.
Status LoadConfigFile(const std::string& path, DaemonConfig* out);

// The engine's share of the config, for the daemon and for offline readers
// of a data directory alike.
engine::EngineConfig EngineConfigOf(const DaemonConfig& config);

}  // namespace atmwatch::config
