// atmwatch-radius: RADIUS accounting (RFC 2866) in, LineEvents to atmwatchd out.
//
// Shutdown on SIGINT/SIGTERM is an ordered drain: stop reading datagrams →
// the forwarder sends what is queued and waits for the daemon's acks → the
// responses those acks release go out → close the socket and exit 0. If the
// daemon does not answer within kShutdownDeadline the collector exits anyway:
// the requests it could not answer are retransmitted by their NASes.

#include <prometheus/exposer.h>
#include <prometheus/registry.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/udp.hpp>
#include <asio/signal_set.hpp>
#include <asio/steady_timer.hpp>
#include <charconv>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <memory>

#include "client/metrics_endpoint.h"
#include "radius/accounting_server.h"
#include "radius/collector_config.h"
#include "radius/collector_metrics.h"

namespace {

using atmwatch::Status;
using namespace atmwatch::radius;

constexpr auto kShutdownDeadline = std::chrono::seconds(4);

// "HOST:PORT" with HOST an IP literal ("[::1]:1813" for IPv6).
Status ParseEndpoint(const std::string& text, asio::ip::udp::endpoint* out) {
  const auto colon = text.rfind(':');
  const std::string problem = "'" + text + "' is not IP:PORT; write e.g. 127.0.0.1:1813";
  if (colon == std::string::npos) return Status::Error(problem);
  std::string host = text.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    host = host.substr(1, host.size() - 2);
  }
  std::uint16_t port = 0;
  const char* first = text.data() + colon + 1;
  const char* last = text.data() + text.size();
  const auto [end, ec] = std::from_chars(first, last, port);
  std::error_code error;
  const asio::ip::address address = asio::ip::make_address(host, error);
  if (ec != std::errc() || end != last || first == last || error) return Status::Error(problem);
  *out = asio::ip::udp::endpoint(address, port);
  return Status::Ok();
}

struct Flags {
  std::string config_file;
  std::string listen, secret, ingest, metrics_listen, source_id;
};

// Config file first, flags over it. Exits 2 on any mistake.
bool LoadConfig(const Flags& flags, CollectorConfig* config) {
  if (!flags.config_file.empty()) {
    if (Status status = LoadCollectorConfigFile(flags.config_file, config); !status.ok()) {
      std::cerr << "atmwatch-radius: " << status.message() << "\n";
      return false;
    }
  }
  if (!flags.listen.empty()) config->listen = flags.listen;
  if (!flags.ingest.empty()) config->ingest_address = flags.ingest;
  if (!flags.metrics_listen.empty()) config->metrics_listen = flags.metrics_listen;
  if (!flags.source_id.empty()) config->source_id = flags.source_id;
  if (!flags.secret.empty()) SetLoopbackSecret(flags.secret, config);
  if (config->clients.empty()) {
    std::cerr << "atmwatch-radius: no RADIUS client is configured, so every request would be "
                 "dropped; give --secret S (for 127.0.0.1) or list clients in --config\n";
    return false;
  }
  return true;
}

int Run(const CollectorConfig& config, const asio::ip::udp::endpoint& listen) {
  auto registry = std::make_shared<prometheus::Registry>();
  CollectorMetrics metrics(*registry);
  std::unique_ptr<prometheus::Exposer> exposer;
  if (Status status = atmwatch::client::ServeMetrics(config.metrics_listen, registry, &exposer);
      !status.ok()) {
    spdlog::error("radius: {}; pick a free address with --metrics-listen or metrics_listen",
                  status.message());
    return 2;
  }

  asio::io_context io(1);
  atmwatch::client::ClientOptions ingest;
  ingest.address = config.ingest_address;
  ingest.source_id = config.source_id;
  ingest.tls = config.ingest_security.tls;
  ingest.auth_token = config.ingest_security.auth_token;
  ingest.auth_token_file = config.ingest_security.token_file;
  ingest.ack_timeout = std::chrono::seconds(10);
  ingest.give_up_after = std::chrono::seconds(30);
  auto server = std::make_unique<AccountingServer>(io, config, ingest, metrics);
  if (std::error_code error = server->Start(listen)) {
    spdlog::error("radius: cannot listen on {}: {}; pick a free address with --listen or listen",
                  config.listen, error.message());
    return 2;
  }
  spdlog::info(
      "radius: serving RADIUS accounting on {} for {} clients; events to {} as '{}' over {}; "
      "metrics on {}",
      config.listen, config.clients.size(), config.ingest_address, config.source_id,
      atmwatch::client::DescribeIngestSecurity(config.ingest_security), config.metrics_listen);

  auto work = asio::make_work_guard(io);
  asio::steady_timer deadline(io);
  asio::signal_set signals(io, SIGINT, SIGTERM);
  signals.async_wait([&](std::error_code error, int signal) {
    if (error) return;
    spdlog::info("radius: signal {}: no new requests; answering the {} waiting for the daemon",
                 signal, server->pending_requests());
    server->Shutdown([&] {
      work.reset();
      deadline.cancel();
    });
    deadline.expires_after(kShutdownDeadline);
    deadline.async_wait([&](std::error_code cancelled) {
      if (!cancelled) io.stop();
    });
  });
  io.run();

  if (!server->forwarder_stopped(std::chrono::steady_clock::now())) {
    spdlog::warn(
        "radius: the daemon did not acknowledge {} requests within {} s; exiting "
        "without answering them (their NASes retransmit)",
        server->pending_requests(), kShutdownDeadline.count());
    spdlog::shutdown();
    // The forwarder's thread is blocked on the daemon and cannot be joined.
    std::_Exit(0);
  }
  spdlog::info("radius: stopped");
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  // No reload: a restart is how atmwatch-radius takes a changed config, so a
  // SIGHUP (a closed terminal, a stray `kill -HUP`) must not stop it.
  std::signal(SIGHUP, SIG_IGN);
  CLI::App app{"atmwatch-radius: RADIUS accounting (RFC 2866) to atmwatchd LineEvents"};
  Flags flags;
  app.add_option("--config", flags.config_file, "YAML config file")->check(CLI::ExistingFile);
  app.add_option("--listen", flags.listen, "UDP address IP:PORT (default 127.0.0.1:1813)");
  app.add_option("--secret", flags.secret, "shared secret of client 127.0.0.1");
  app.add_option("--ingest", flags.ingest,
                 "daemon ingest address HOST:PORT (default 127.0.0.1:7420)");
  app.add_option("--metrics-listen", flags.metrics_listen,
                 "Prometheus metrics address (default 127.0.0.1:9743)");
  app.add_option("--source-id", flags.source_id, "source id towards the daemon");
  app.add_flag_callback(
      "--version",
      [] {
        std::cout << "atmwatch-radius " << ATMWATCH_VERSION << "\n";
        std::exit(0);
      },
      "print the version");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e) == 0 ? 0 : 2;
  }

  CollectorConfig config;
  if (!LoadConfig(flags, &config)) return 2;
  asio::ip::udp::endpoint listen;
  if (Status status = ParseEndpoint(config.listen, &listen); !status.ok()) {
    std::cerr << "atmwatch-radius: listen: " << status.message() << "\n";
    return 2;
  }
  spdlog::set_level(spdlog::level::from_str(config.log_level));
  return Run(config, listen);
}
