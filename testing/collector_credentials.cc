#include "testing/collector_credentials.h"

#include <signal.h>

#include <chrono>
#include <fstream>

#include "testing/eventually.h"
#include "testing/http_fetch.h"
#include "testing/tool_run.h"

namespace atmwatch::testing {

CollectorCredentials::CollectorCredentials(std::string source_id)
    : source_id_(std::move(source_id)) {
  ok_ = pki_.MakeCa("ingest-ca") && pki_.MakeServer("daemon", "ingest-ca") &&
        pki_.MakeClient("collector", "ingest-ca", source_id_);
}

std::string CollectorCredentials::DaemonIngest(const std::string& binding,
                                               const std::string& more) const {
  return "ingest:\n  tls:\n    cert_file: " + pki_.Path("daemon.crt") +
         "\n    key_file: " + pki_.Path("daemon.key") +
         "\n    client_ca_file: " + pki_.Path("ingest-ca.crt") +
         "\n  sources:\n    - {source_id: " + source_id_ + ", " + binding + "}\n" + more;
}

std::string CollectorCredentials::CertBinding() const {
  return "cert_subject: \"CN=" + source_id_ + "\"";
}

std::string CollectorCredentials::TokenBinding(const std::string& token) {
  const std::string digest = RunTool({"sha256sum"}, token).output.substr(0, 64);
  return "token_sha256: \"" + digest + "\"";
}

std::string CollectorCredentials::CollectorIngest(const std::string& token) {
  std::string section = "ingest:\n  source_id: " + source_id_ +
                        "\n  tls:\n    ca_file: " + pki_.Path("ingest-ca.crt") +
                        "\n    cert_file: " + pki_.Path("collector.crt") +
                        "\n    key_file: " + pki_.Path("collector.key") + "\n";
  if (!token.empty()) {
    token_file_ = pki_.Path("collector-" + std::to_string(++token_files_) + ".token");
    std::ofstream(token_file_) << token << "\n";
    section += "  token_file: " + token_file_ + "\n";
  }
  return section;
}

bool ReloadDaemon(const DaemonProcess& daemon, const std::string& config_yaml) {
  const auto reloads = [&] {
    return SampleValue(HttpGet(daemon.http_base() + "/metrics").body,
                       R"(atmwatch_ingest_tls_reloads_total{result="ok"})");
  };
  const double before = reloads();
  daemon.WriteConfig(config_yaml);
  daemon.Signal(SIGHUP);
  return Eventually([&] { return reloads() > before; }, std::chrono::seconds(10),
                    std::chrono::milliseconds(50));
}

}  // namespace atmwatch::testing
