#pragma once

#include <string>

#include "testing/daemon_process.h"
#include "testing/test_pki.h"

namespace atmwatch::testing {

// What a collector needs to reach an atmwatchd that requires mutual TLS,
// made per test with the openssl CLI: a CA that signs the daemon's
// certificate (127.0.0.1) and the collector's (CN=<source_id>), token files,
// and the config sections that bind the collector's source on both sides.
class CollectorCredentials {
 public:
  explicit CollectorCredentials(std::string source_id);

  // False when the certificates could not be made; error() says why.
  bool ok() const { return ok_; }
  const std::string& error() const { return pki_.error(); }

  // The daemon's `ingest:` section: TLS, client certificates required, and
  // the source bound by `binding` (CertBinding() or TokenBinding(token));
  // `more` is further lines of the section, indented by two spaces.
  std::string DaemonIngest(const std::string& binding, const std::string& more = "") const;
  std::string CertBinding() const;
  static std::string TokenBinding(const std::string& token);

  // The collector's `ingest:` section: its source_id, TLS with its
  // certificate, and a token_file holding `token` when one is given.
  std::string CollectorIngest(const std::string& token = "");
  // The token file of the last CollectorIngest with a token.
  const std::string& token_file() const { return token_file_; }

 private:
  std::string source_id_;
  TestPki pki_;
  bool ok_ = false;
  int token_files_ = 0;
  std::string token_file_;
};

// Replaces the daemon's config and sends SIGHUP; true once the reload is
// done (atmwatch_ingest_tls_reloads_total{result="ok"} went up), within 10 s.
bool ReloadDaemon(const DaemonProcess& daemon, const std::string& config_yaml);

}  // namespace atmwatch::testing
