#include "cli/live_fleet.h"

#include <fmt/format.h>

#include <array>

namespace atmwatch::cli {
namespace {

struct Area {
  const char* town;
  const char* region;
};
constexpr std::array<Area, 8> kAreas = {{{"Shinjuku", "kanto"},
                                         {"Ikebukuro", "kanto"},
                                         {"Kawasaki", "kanto"},
                                         {"Umeda", "kansai"},
                                         {"Namba", "kansai"},
                                         {"Sakae", "chubu"},
                                         {"Tenjin", "kyushu"},
                                         {"Susukino", "hokkaido"}}};
constexpr std::array<const char*, 6> kIssuers = {"0001", "0005", "0009", "0010", "0017", "9900"};
constexpr std::array<v1::AtmStatus::Component::Kind, 5> kDevices = {
    v1::AtmStatus::Component::DISPENSER, v1::AtmStatus::Component::CARD_READER,
    v1::AtmStatus::Component::RECEIPT_PRINTER, v1::AtmStatus::Component::DEPOSITORY,
    v1::AtmStatus::Component::EPP};
constexpr std::uint32_t kCassettes = 4;

}  // namespace

LiveFleet::LiveFleet(int atms, std::uint64_t seed) : rng_(seed) {
  // Usage per ATM is skewed: a few sites do several times the median.
  std::lognormal_distribution<double> spread(0.0, 0.6);
  std::vector<double> weights;
  for (int i = 1; i <= atms; ++i) {
    const Area& area = kAreas[static_cast<std::size_t>(i - 1) % kAreas.size()];
    SimulatedAtm atm;
    atm.id = fmt::format("ATM{:04d}", i);
    atm.site = fmt::format("{} {} {}", i % 4 == 0 ? "Shop" : "Parlor", area.town, (i - 1) / 8 + 1);
    atm.region = area.region;
    atm.line_id = fmt::format("8190{:08d}", 10000000 + i);
    atm.carrier = i % 5 == 0 ? "emobile" : "docomo";
    atm.popularity = spread(rng_);
    weights.push_back(atm.popularity);
    atms_.push_back(std::move(atm));
  }
  pick_atm_ = std::discrete_distribution<int>(weights.begin(), weights.end());
  session_bytes_.assign(atms_.size(), 0);
  session_tag_ = fmt::format("{:x}", rng_() & 0xffffff);
}

double LiveFleet::HourShape(int weekday, int hour) {
  // Parlors are closed overnight; the host still sees a trickle from shops.
  static constexpr std::array<double, 24> kWeekday = {0.1, 0.05, 0.02, 0.02, 0.02, 0.05, 0.1, 0.2,
                                                      0.4, 0.6,  1.0,  1.2,  1.4,  1.3,  1.2, 1.2,
                                                      1.3, 1.5,  1.8,  2.0,  1.9,  1.5,  1.0, 0.4};
  const bool weekend = weekday == 0 || weekday == 6;
  return kWeekday[static_cast<std::size_t>(hour % 24)] * (weekend ? 1.4 : 1.0);
}

v1::Envelope LiveFleet::NextTransaction(std::int64_t time_unix_ms) {
  return TransactionAt(static_cast<std::size_t>(pick_atm_(rng_)), time_unix_ms);
}

v1::Envelope LiveFleet::TransactionAt(std::size_t atm_index, std::int64_t time_unix_ms) {
  const SimulatedAtm& atm = atms_[atm_index];
  std::uniform_real_distribution<double> u(0.0, 1.0);
  v1::Envelope event;
  event.set_time_unix_ms(time_unix_ms);
  auto* tx = event.mutable_transaction();
  tx->set_atm_id(atm.id);
  tx->set_issuer(kIssuers[static_cast<std::size_t>(u(rng_) * kIssuers.size()) % kIssuers.size()]);

  const double kind = u(rng_);
  if (kind < kWithdrawalShare) {
    tx->set_type(v1::AtmTransaction::WITHDRAWAL);
    // Parlor withdrawals are round 10,000-yen notes, mostly one to three.
    tx->set_amount_yen(10000 * (1 + static_cast<int>(u(rng_) * u(rng_) * 5)));
  } else if (kind < 0.95) {
    tx->set_type(v1::AtmTransaction::BALANCE_INQUIRY);
  } else if (kind < 0.98) {
    tx->set_type(v1::AtmTransaction::DEPOSIT);
    tx->set_amount_yen(10000 * (1 + static_cast<int>(u(rng_) * 3)));
  } else {
    tx->set_type(v1::AtmTransaction::TRANSFER);
    tx->set_amount_yen(1000 * (1 + static_cast<int>(u(rng_) * 50)));
  }

  const double outcome = u(rng_);
  if (outcome < kApprovedShare) {
    tx->set_result(v1::AtmTransaction::APPROVED);
  } else if (outcome < 0.985) {
    tx->set_result(v1::AtmTransaction::DECLINED);
  } else if (outcome < 1 - kReversedShare) {
    tx->set_result(v1::AtmTransaction::ERROR);
  } else {
    tx->set_result(tx->type() == v1::AtmTransaction::WITHDRAWAL ? v1::AtmTransaction::REVERSED
                                                                : v1::AtmTransaction::ERROR);
  }
  if (tx->result() != v1::AtmTransaction::APPROVED &&
      tx->result() != v1::AtmTransaction::REVERSED) {
    tx->set_amount_yen(0);
  }
  return event;
}

v1::Envelope LiveFleet::Heartbeat(const SimulatedAtm& atm, std::int64_t time_unix_ms) const {
  v1::Envelope event;
  event.set_time_unix_ms(time_unix_ms);
  event.mutable_status()->set_atm_id(atm.id);
  event.mutable_status()->set_heartbeat(true);
  for (auto kind : kDevices) {
    auto* component = event.mutable_status()->add_components();
    component->set_kind(kind);
    component->set_severity(v1::AtmStatus::Component::OK);
  }
  for (std::uint32_t cassette = 1; cassette <= kCassettes; ++cassette) {
    auto* component = event.mutable_status()->add_components();
    component->set_kind(v1::AtmStatus::Component::CASSETTE);
    component->set_cassette(cassette);
    component->set_severity(v1::AtmStatus::Component::OK);
  }
  return event;
}

v1::Envelope LiveFleet::LineSession(std::size_t atm, std::int64_t time_unix_ms) {
  const SimulatedAtm& simulated = atms_[atm];
  auto& bytes = session_bytes_[atm];
  v1::Envelope event;
  event.set_time_unix_ms(time_unix_ms);
  auto* line = event.mutable_line();
  line->set_line_id(simulated.line_id);
  line->set_carrier(simulated.carrier);
  line->set_session_id(fmt::format("{}-{}", simulated.line_id, session_tag_));
  line->set_kind(bytes == 0 ? v1::LineEvent::SESSION_START : v1::LineEvent::SESSION_INTERIM);
  // An ATM's host traffic is small: a few kilobytes a minute, more when busy.
  bytes += 2000 + static_cast<std::uint64_t>(simulated.popularity * 3000);
  line->set_bytes_in(bytes / 3);
  line->set_bytes_out(bytes - bytes / 3);
  return event;
}

std::string LiveFleet::InventoryYaml() const {
  std::string yaml = "atms:\n";
  for (const auto& atm : atms_) {
    yaml += fmt::format(
        "  - {{id: {}, site: \"{}\", region: {}, installed: 2008-05-01, line_id: \"{}\", "
        "carrier: {}}}\n",
        atm.id, atm.site, atm.region, atm.line_id, atm.carrier);
  }
  return yaml;
}

}  // namespace atmwatch::cli
