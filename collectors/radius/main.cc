// atmwatch-radius: RADIUS accounting (RFC 2866) in, LineEvents to atmwatchd out.
//
// Shutdown on SIGINT/SIGTERM is an ordered drain: stop reading datagrams →
// the forwarder sends what is queued and waits for the daemon's acks → the
// responses those acks release go out → close the socket and exit 0. If the
// daemon does not answer within the shutdown deadline (client/collector_main.h)
// the collector exits anyway: the requests it could not answer are
// retransmitted by their NASes.

#include <prometheus/registry.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <asio/executor_work_guard.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/udp.hpp>
#include <asio/post.hpp>
#include <future>
#include <memory>
#include <optional>

#include "client/collector_main.h"
#include "net/host_port.h"
#include "radius/accounting_server.h"
#include "radius/collector_config.h"
#include "radius/collector_metrics.h"

namespace {

using atmwatch::Status;
using namespace atmwatch::radius;
using namespace std::chrono_literals;

// "HOST:PORT" with HOST an IP literal ("[::1]:1813" for IPv6).
Status ParseEndpoint(const std::string& text, asio::ip::udp::endpoint* out) {
  const std::string problem = "'" + text + "' is not IP:PORT; write e.g. 127.0.0.1:1813";
  const auto parsed = atmwatch::net::ParseHostPort(text);
  if (!parsed) return Status::Error(problem);
  std::error_code error;
  const asio::ip::address address = asio::ip::make_address(parsed->host, error);
  if (error) return Status::Error(problem);
  *out = asio::ip::udp::endpoint(address, parsed->port);
  return Status::Ok();
}

class RadiusProgram : public atmwatch::client::Collector {
 public:
  void AddFlags(CLI::App& app) override {
    app.add_option("--listen", listen_flag_, "UDP address IP:PORT (default 127.0.0.1:1813)");
    app.add_option("--secret", secret_flag_, "shared secret of client 127.0.0.1");
  }

  Status LoadConfigFile(const std::string& path) override {
    return LoadCollectorConfigFile(path, &config_);
  }
  atmwatch::client::IngestConfig& ingest_config() override { return config_.ingest; }
  std::string& metrics_listen() override { return config_.metrics_listen; }

  Status Configure() override {
    if (!listen_flag_.empty()) config_.listen = listen_flag_;
    if (!secret_flag_.empty()) SetLoopbackSecret(secret_flag_, &config_);
    if (config_.clients.empty()) {
      return Status::Error(
          "no RADIUS client is configured, so every request would be dropped; give --secret S "
          "(for 127.0.0.1) or list clients in --config");
    }
    if (Status status = ParseEndpoint(config_.listen, &listen_); !status.ok()) {
      return Status::Error("listen: " + status.message());
    }
    return Status::Ok();
  }

  std::string log_level() const override { return config_.log_level; }

  void RegisterMetrics(prometheus::Registry& registry) override { metrics_.emplace(registry); }

  int Run() override {
    atmwatch::client::ClientOptions ingest = atmwatch::client::ClientOptionsFor(config_.ingest);
    ingest.ack_timeout = 10s;
    ingest.give_up_after = 30s;
    server_ = std::make_unique<AccountingServer>(io_, config_, ingest, *metrics_);
    if (std::error_code error = server_->Start(listen_)) {
      spdlog::error("radius: cannot listen on {}: {}; pick a free address with --listen or listen",
                    config_.listen, error.message());
      return 2;
    }
    spdlog::info(
        "radius: serving RADIUS accounting on {} for {} clients; events to {} as '{}' over {}; "
        "metrics on {}",
        config_.listen, config_.clients.size(), config_.ingest.address, config_.ingest.source_id,
        atmwatch::client::DescribeIngestSecurity(config_.ingest.security), config_.metrics_listen);
    io_.run();
    spdlog::info("radius: stopped");
    return 0;
  }

  void RequestStop(int signal) override {
    // The server belongs to the io_context's thread.
    asio::post(io_, [this, signal] {
      spdlog::info("radius: signal {}: no new requests; answering the {} waiting for the daemon",
                   signal, server_->pending_requests());
      server_->Shutdown([this] { work_.reset(); });
    });
  }

  std::string DeadlineWarning(std::chrono::milliseconds deadline) override {
    // Asked of the io_context's thread, which is not the one blocked on the
    // daemon (the forwarder's is).
    auto pending = std::make_shared<std::promise<std::size_t>>();
    std::future<std::size_t> answer = pending->get_future();
    asio::post(io_, [this, pending] { pending->set_value(server_->pending_requests()); });
    const std::string requests = answer.wait_for(1s) == std::future_status::ready
                                     ? std::to_string(answer.get()) + " requests"
                                     : "the requests";
    return "the daemon did not acknowledge " + requests + " within " +
           std::to_string(std::chrono::duration_cast<std::chrono::seconds>(deadline).count()) +
           " s; exiting without answering them (their NASes retransmit)";
  }

 private:
  std::string listen_flag_, secret_flag_;
  CollectorConfig config_;
  asio::ip::udp::endpoint listen_;
  std::optional<CollectorMetrics> metrics_;
  asio::io_context io_{1};
  asio::executor_work_guard<asio::io_context::executor_type> work_ = asio::make_work_guard(io_);
  std::unique_ptr<AccountingServer> server_;
};

}  // namespace

int main(int argc, char** argv) {
  const atmwatch::client::CollectorIdentity identity{
      .program = "atmwatch-radius",
      .log_name = "radius",
      .description = "atmwatch-radius: RADIUS accounting (RFC 2866) to atmwatchd LineEvents",
      .version = ATMWATCH_VERSION,
      .default_metrics_listen = "127.0.0.1:9743",
      .default_source_id = "atmwatch-radius",
  };
  RadiusProgram program;
  return atmwatch::client::RunCollectorMain(argc, argv, identity, program);
}
