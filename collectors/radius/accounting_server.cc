#include "radius/accounting_server.h"

#include <spdlog/spdlog.h>

#include <array>
#include <asio/co_spawn.hpp>
#include <asio/detached.hpp>
#include <asio/experimental/as_tuple.hpp>
#include <asio/post.hpp>
#include <asio/use_awaitable.hpp>

#include "radius/accounting_record.h"
#include "radius/authenticator.h"
#include "radius/line_event_mapping.h"

namespace atmwatch::radius {
namespace {

using asio::ip::udp;
constexpr auto kUseTuple = asio::experimental::as_tuple(asio::use_awaitable);
constexpr auto kDropLogInterval = std::chrono::minutes(1);

// Acct-Session-Ids are unique per NAS only, so a NAS is its client address
// plus the name it gives itself.
std::string NasKey(const udp::endpoint& from, const AccountingRecord& record) {
  const std::string& name =
      record.nas_identifier.empty() ? record.nas_ip_address : record.nas_identifier;
  return from.address().to_string() + "/" + name;
}

}  // namespace

AccountingServer::AccountingServer(asio::io_context& io, const CollectorConfig& config,
                                   client::ClientOptions ingest, CollectorMetrics& metrics)
    : io_(io),
      config_(config),
      metrics_(metrics),
      socket_(io),
      recent_(config.duplicate_window, config.queue_capacity * 4),
      open_sessions_(config.max_tracked_lines),
      forwarder_(std::move(ingest), config.queue_capacity,
                 EventForwarder::Callbacks{
                     .on_acknowledged =
                         [this](EventForwarder::Acknowledged acknowledged) {
                           asio::post(io_,
                                      [this, acknowledged = std::move(acknowledged)]() mutable {
                                        OnAcknowledged(std::move(acknowledged));
                                      });
                         },
                     .on_lost =
                         [this](std::vector<std::uint64_t> ids) {
                           asio::post(io_, [this, ids = std::move(ids)] { OnLost(ids); });
                         },
                     .on_refused = [this] { asio::post(io_, [this] { metrics_.CountRefusal(); }); },
                     .on_stopped =
                         [this] {
                           asio::post(io_, [this] {
                             if (on_shutdown_done_) on_shutdown_done_();
                           });
                         },
                 }) {
  for (std::uint32_t i = 0; i < config_.clients.size(); ++i) {
    client_index_.emplace(asio::ip::make_address(config_.clients[i].address), i);
  }
}

std::error_code AccountingServer::Start(const udp::endpoint& listen) {
  std::error_code error;
  socket_.open(listen.protocol(), error);
  if (!error) socket_.bind(listen, error);
  if (error) return error;
  asio::co_spawn(io_, ReceiveLoop(), asio::detached);
  return {};
}

void AccountingServer::Shutdown(std::function<void()> done) {
  on_shutdown_done_ = [this, done = std::move(done)] {
    std::error_code ignored;
    socket_.close(ignored);
    done();
  };
  // Cancel only the read: the socket still carries the responses that the
  // daemon's last acks release.
  std::error_code ignored;
  socket_.cancel(ignored);
  forwarder_.RequestStop();
}

asio::awaitable<void> AccountingServer::ReceiveLoop() {
  // kMaxPacketSize is the most RFC 2865 allows; a longer datagram is cut
  // here and DecodePacket judges it by its Length field.
  std::array<std::uint8_t, kMaxPacketSize> buffer;
  udp::endpoint from;
  for (;;) {
    auto [error, n] = co_await socket_.async_receive_from(asio::buffer(buffer), from, kUseTuple);
    if (error == asio::error::operation_aborted || !socket_.is_open()) co_return;
    if (error) {
      // On Linux a UDP read fails only for transient reasons (e.g. an ICMP
      // error of an earlier send); the socket stays usable.
      spdlog::debug("radius: receive failed: {}", error.message());
      continue;
    }
    Handle(std::span(buffer.data(), n), from, std::chrono::system_clock::now());
  }
}

void AccountingServer::Handle(std::span<const std::uint8_t> datagram, const udp::endpoint& from,
                              std::chrono::system_clock::time_point arrival) {
  const Clock::time_point received = Clock::now();
  recent_.Expire(received);

  auto client_it = client_index_.find(from.address());
  if (client_it == client_index_.end()) return Drop("unknown_client", from);
  const std::uint32_t client_id = client_it->second;
  const RadiusClient& client = config_.clients[client_id];

  auto packet = DecodePacket(datagram);
  if (!packet.ok()) return Drop(ReasonName(packet.error().reason), from);
  if (packet->code != Code::kAccountingRequest) return Drop("not_accounting_request", from);
  if (!VerifyAccountingRequest(*packet, client.secret)) return Drop("bad_authenticator", from);

  const RequestKey key{client_id, packet->identifier, packet->authenticator};
  const std::vector<std::uint8_t>* kept_response = nullptr;
  switch (recent_.Find(key, &kept_response)) {
    case RecentRequests::Seen::kPending:
      metrics_.CountDuplicate(false);
      return;
    case RecentRequests::Seen::kAnswered:
      metrics_.CountDuplicate(true);
      Send(*kept_response, from);
      return;
    case RecentRequests::Seen::kNew:
      break;
  }

  auto record = ParseAccountingRecord(*packet, {.signal_attribute = config_.signal_attribute});
  if (!record.ok()) return Drop(ReasonName(record.error().reason), from);
  auto response = EncodeAccountingResponse(*packet, client.secret);
  if (!response.has_value()) return Drop("cannot_sign_response", from);
  if (!forwarder_.HasRoom()) {
    if (!queue_full_logged_) {
      spdlog::warn(
          "radius: {} events wait for the daemon; dropping new requests until it "
          "catches up (NASes retransmit them)",
          forwarder_.outstanding());
      queue_full_logged_ = true;
    }
    return Drop("queue_full", from);
  }
  queue_full_logged_ = false;

  auto events = EventsFor(*record, client, from, arrival);
  if (!events.ok()) return Drop(events.error(), from);
  metrics_.CountRequest(record->status_type);
  Admit(PendingRequest{key, from, std::move(*response), 0, received}, std::move(events).value());
}

Result<std::vector<v1::Envelope>, std::string_view> AccountingServer::EventsFor(
    const AccountingRecord& record, const RadiusClient& client, const udp::endpoint& from,
    std::chrono::system_clock::time_point arrival) {
  if (record.status_type == StatusType::kAccountingOn ||
      record.status_type == StatusType::kAccountingOff) {
    return DetachLinesOfNas(record, client, from, arrival);
  }
  auto event = SessionEvent(record, CarrierFor(config_, client, record.nas_identifier), arrival);
  if (event.ok()) {
    TrackSession(record, from);
    return std::vector<v1::Envelope>{std::move(event).value()};
  }
  if (event.error() != MappingError::kMissingCallingStationId) return ReasonName(event.error());
  // Well-formed but naming no line: answered, so the NAS stops sending it.
  metrics_.CountIgnoredWithoutLineId();
  return std::vector<v1::Envelope>{};
}

std::vector<v1::Envelope> AccountingServer::DetachLinesOfNas(
    const AccountingRecord& record, const RadiusClient& client, const udp::endpoint& from,
    std::chrono::system_clock::time_point arrival) {
  const std::vector<std::string> lines = open_sessions_.TakeLines(NasKey(from, record));
  metrics_.SetTrackedLines(static_cast<double>(open_sessions_.size()));
  const std::string_view carrier = CarrierFor(config_, client, record.nas_identifier);
  const auto time = EventTime(record, arrival);
  std::vector<v1::Envelope> events;
  for (const std::string& line : lines) events.push_back(DetachEvent(line, carrier, time));
  // Named as the NAS names itself: behind a proxy the source is the proxy.
  const std::string nas = NasName(record);
  spdlog::info("radius: NAS {} sent {} (via {}); detaching the {} lines with open sessions on it",
               nas.empty() ? "without NAS-Identifier or NAS-IP-Address" : nas,
               record.status_type == StatusType::kAccountingOn ? "Accounting-On" : "Accounting-Off",
               from.address().to_string(), lines.size());
  return events;
}

void AccountingServer::TrackSession(const AccountingRecord& record, const udp::endpoint& from) {
  if (record.status_type == StatusType::kStop) {
    open_sessions_.Close(record.calling_station_id, record.session_id);
  } else if (!open_sessions_.Open(NasKey(from, record), record.calling_station_id,
                                  record.session_id) &&
             !index_full_logged_) {
    spdlog::warn(
        "radius: {} open sessions remembered, the max_tracked_lines; further lines "
        "will not be detached by their NAS's Accounting-On/Off",
        open_sessions_.size());
    index_full_logged_ = true;
  }
  metrics_.SetTrackedLines(static_cast<double>(open_sessions_.size()));
}

void AccountingServer::Drop(std::string_view reason, const udp::endpoint& from) {
  metrics_.CountDrop(reason);
  const Clock::time_point now = Clock::now();
  auto it = last_drop_log_.find(reason);
  if (it != last_drop_log_.end() && now - it->second < kDropLogInterval) return;
  last_drop_log_[reason] = now;  // reasons are string literals
  spdlog::warn(
      "radius: dropped a datagram from {}: {} (counted in "
      "atmwatch_radius_dropped_requests_total; logged at most once a minute)",
      from.address().to_string(), reason);
}

void AccountingServer::Admit(PendingRequest request, std::vector<v1::Envelope> events) {
  const std::uint64_t id = next_request_id_++;
  recent_.AddPending(request.key);
  request.events_left = events.size();
  pending_.emplace(id, std::move(request));
  if (events.empty()) return Answer(id);
  std::vector<EventForwarder::Item> items;
  items.reserve(events.size());
  for (v1::Envelope& event : events) items.push_back({id, std::move(event)});
  forwarder_.Enqueue(std::move(items));
  metrics_.SetQueueDepth(static_cast<double>(forwarder_.outstanding()));
}

void AccountingServer::Answer(std::uint64_t request_id) {
  auto it = pending_.find(request_id);
  PendingRequest& request = it->second;
  const Clock::time_point now = Clock::now();
  if (socket_.is_open()) Send(request.response, request.reply_to);
  metrics_.ObserveForwardLatency(std::chrono::duration<double>(now - request.arrival).count());
  recent_.Answer(request.key, std::move(request.response), now);
  pending_.erase(it);
}

void AccountingServer::Send(const std::vector<std::uint8_t>& datagram, const udp::endpoint& to) {
  std::error_code error;
  socket_.send_to(asio::buffer(datagram), to, 0, error);
  if (error) {
    spdlog::debug("radius: sending a response to {} failed: {}", to.address().to_string(),
                  error.message());
    return;
  }
  metrics_.CountResponse();
}

void AccountingServer::OnAcknowledged(EventForwarder::Acknowledged acknowledged) {
  metrics_.CountDaemonAck(acknowledged.accepted, acknowledged.duplicates);
  for (const EventForwarder::Outcome& outcome : acknowledged.events) {
    if (outcome.rejected) {
      // Refused for good (too old, malformed): a retransmit would be refused
      // again, so the request is answered all the same.
      metrics_.CountDaemonRejection(outcome.reason);
      if (logged_rejections_.insert(outcome.reason).second) {
        spdlog::warn(
            "radius: the daemon refuses events: {} (answered anyway; counted in "
            "atmwatch_collector_daemon_rejections_total{{collector=\"radius\"}}, logged once per "
            "reason)",
            outcome.reason);
      }
    }
    auto it = pending_.find(outcome.request_id);
    if (it != pending_.end() && --it->second.events_left == 0) Answer(outcome.request_id);
  }
  metrics_.SetQueueDepth(static_cast<double>(forwarder_.outstanding()));
}

void AccountingServer::OnLost(const std::vector<std::uint64_t>& request_ids) {
  metrics_.CountLost(static_cast<double>(request_ids.size()));
  for (std::uint64_t id : request_ids) {
    auto it = pending_.find(id);
    if (it == pending_.end()) continue;
    // Unanswered and forgotten: the NAS's retransmit is forwarded anew.
    recent_.Forget(it->second.key);
    pending_.erase(it);
  }
  metrics_.SetQueueDepth(static_cast<double>(forwarder_.outstanding()));
}

}  // namespace atmwatch::radius
