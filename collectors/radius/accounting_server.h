#pragma once

#include <asio/awaitable.hpp>
#include <asio/io_context.hpp>
#include <asio/ip/udp.hpp>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <set>
#include <span>
#include <string>
#include <system_error>
#include <unordered_map>
#include <vector>

#include "client/ingest_client.h"
#include "common/result.h"
#include "radius/accounting_record.h"
#include "radius/collector_config.h"
#include "radius/collector_metrics.h"
#include "radius/event_forwarder.h"
#include "radius/open_session_index.h"
#include "radius/recent_requests.h"

// The RADIUS accounting server (RFC 2866) of atmwatch-radius: one UDP socket,
// served by a coroutine on a single-threaded io_context. Each authenticated
// request becomes LineEvents handed to an EventForwarder; its
// Accounting-Response goes out only once the daemon acknowledged all of them,
// so a NAS keeps retransmitting until the event is durable. Retransmits of a
// pending request are ignored, of an answered one get the same response.
// Unknown clients, bad authenticators and malformed packets are dropped
// without an answer (RFC 2866 §2) and counted by reason.
//
// Every method runs on the io_context's thread. `config` and `metrics` must
// outlive the server; the server must outlive the io_context's run().
namespace atmwatch::radius {

class AccountingServer {
 public:
  AccountingServer(asio::io_context& io, const CollectorConfig& config,
                   client::ClientOptions ingest, CollectorMetrics& metrics);

  // Binds the socket and starts serving.
  std::error_code Start(const asio::ip::udp::endpoint& listen);
  asio::ip::udp::endpoint local_endpoint() const { return socket_.local_endpoint(); }

  // Stops reading datagrams, lets the forwarder send what it holds, answers
  // what the daemon acknowledges and then calls `done` (on this thread).
  void Shutdown(std::function<void()> done);

  // Whether the forwarder's thread has finished; if not, the process must
  // not destroy this server (the thread may be blocked on the daemon).
  bool forwarder_stopped(std::chrono::steady_clock::time_point deadline) {
    return forwarder_.WaitStopped(deadline);
  }
  std::size_t pending_requests() const { return pending_.size(); }

 private:
  using Clock = std::chrono::steady_clock;
  struct PendingRequest {
    RequestKey key;
    asio::ip::udp::endpoint reply_to;
    std::vector<std::uint8_t> response;
    std::size_t events_left = 0;
    Clock::time_point arrival;
  };

  asio::awaitable<void> ReceiveLoop();
  void Handle(std::span<const std::uint8_t> datagram, const asio::ip::udp::endpoint& from,
              std::chrono::system_clock::time_point arrival);
  // The events a request stands for, or the reason to drop it.
  Result<std::vector<v1::Envelope>, std::string_view> EventsFor(
      const AccountingRecord& record, const RadiusClient& client,
      const asio::ip::udp::endpoint& from, std::chrono::system_clock::time_point arrival);
  std::vector<v1::Envelope> DetachLinesOfNas(const AccountingRecord& record,
                                             const RadiusClient& client,
                                             const asio::ip::udp::endpoint& from,
                                             std::chrono::system_clock::time_point arrival);
  void TrackSession(const AccountingRecord& record, const asio::ip::udp::endpoint& from);
  void Drop(std::string_view reason, const asio::ip::udp::endpoint& from);
  void Admit(PendingRequest request, std::vector<v1::Envelope> events);
  void Answer(std::uint64_t request_id);
  void Send(const std::vector<std::uint8_t>& datagram, const asio::ip::udp::endpoint& to);
  void OnAcknowledged(EventForwarder::Acknowledged acknowledged);
  void OnLost(const std::vector<std::uint64_t>& request_ids);

  asio::io_context& io_;
  const CollectorConfig& config_;
  CollectorMetrics& metrics_;
  asio::ip::udp::socket socket_;
  std::map<asio::ip::address, std::uint32_t> client_index_;
  RecentRequests recent_;
  OpenSessionIndex open_sessions_;
  std::unordered_map<std::uint64_t, PendingRequest> pending_;
  std::uint64_t next_request_id_ = 1;
  // Rate limits the log: drops are counted always, logged once a minute
  // per reason, so a flood never floods the log.
  std::map<std::string_view, Clock::time_point, std::less<>> last_drop_log_;
  std::set<std::string> logged_rejections_;
  bool queue_full_logged_ = false;
  bool index_full_logged_ = false;
  std::function<void()> on_shutdown_done_;
  // Last member: its thread calls back into the members above.
  EventForwarder forwarder_;
};

}  // namespace atmwatch::radius
