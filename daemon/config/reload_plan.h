#pragma once

#include <string>
#include <vector>

#include "config/daemon_config.h"

namespace atmwatch::config {

// A key whose new value a SIGHUP cannot apply: the running one is kept until
// a restart. `warning` says so, for the log.
struct KeptUntilRestart {
  std::string key;  // as in the file: "ingest.listen", "jetstream", "timezone", ...
  std::string warning;
};

// What a SIGHUP applies, decided from the running and the fresh config alone.
struct ReloadPlan {
  // The config the daemon runs from now on: the fresh one, except that each
  // key in `kept` keeps its running value. The inventory, fees, costs,
  // holidays, fiscal year, lines, business hours, targets and plan (the
  // engine's share), the ingest limits, ingest.sources and http.basic_auth_users are
  // taken from it on every reload, changed or not.
  DaemonConfig config;
  // Read that listener's TLS files again: it has TLS and keeps it. Done even
  // when the paths are unchanged, since rotating a certificate is replacing
  // its file and sending SIGHUP.
  bool reread_ingest_tls = false;
  bool reread_http_tls = false;
  // Changed keys that need a restart, in the order they are warned about.
  std::vector<KeptUntilRestart> kept;
};

// Sections are compared whole, so that a key added to one is not missed.
ReloadPlan PlanReload(const DaemonConfig& running, const DaemonConfig& fresh);

}  // namespace atmwatch::config
