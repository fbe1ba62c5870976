#include "operator_kit_fleet.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace atmwatch::testing {
namespace {

using v1::AtmStatus;
using v1::AtmTransaction;
using v1::LineEvent;

// History: this many whole days before today, 12 transactions an hour.
constexpr int kHistoryDays = 15;
constexpr int kSlotsPerHour = 12;
constexpr int64_t kSlotMs = kHourMs / kSlotsPerHour;
// The silent ATM's last transaction is this long ago (AtmSilent: over 2 h).
constexpr int64_t kSilenceMs = 3 * kHourMs;
const std::string kJetStreamRegion = "kanto";
constexpr char kJetStreamSource[] = "fleet-live-kanto";

std::string OffsetText(int minutes) {
  char text[16];  // "+12:00"; room for any int the compiler cannot rule out
  std::snprintf(text, sizeof text, "%c%02d:%02d", minutes < 0 ? '-' : '+', std::abs(minutes) / 60,
                std::abs(minutes) % 60);
  return text;
}

v1::Envelope Withdrawal(const std::string& atm, int64_t time_ms, bool approved,
                        const std::string& issuer) {
  v1::Envelope event;
  event.set_time_unix_ms(time_ms);
  AtmTransaction* tx = event.mutable_transaction();
  tx->set_atm_id(atm);
  tx->set_type(AtmTransaction::WITHDRAWAL);
  tx->set_result(approved ? AtmTransaction::APPROVED : AtmTransaction::DECLINED);
  tx->set_amount_yen(approved ? 20'000 : 0);
  tx->set_issuer(issuer);
  return event;
}

// A visit that loads enough for every ATM's withdrawals of a few days, and
// for the cash-short ATM a third of a day's.
v1::Envelope Replenishment(const std::string& atm, int64_t time_ms) {
  v1::Envelope event;
  event.set_time_unix_ms(time_ms);
  v1::CashEvent* cash = event.mutable_cash();
  cash->set_atm_id(atm);
  cash->set_kind(v1::CashEvent::REPLENISHMENT);
  for (int cassette = 0; cassette < 2; ++cassette) {
    v1::CashEvent::Cassette* loaded = cash->add_cassettes();
    loaded->set_denomination_yen(10'000);
    loaded->set_notes(atm == kCashShortAtm ? 100 : 2'000);
  }
  cash->set_cost_yen(18'000);
  return event;
}

v1::Envelope StatusEvent(const std::string& atm, int64_t time_ms, bool heartbeat) {
  v1::Envelope event;
  event.set_time_unix_ms(time_ms);
  AtmStatus* status = event.mutable_status();
  status->set_atm_id(atm);
  if (heartbeat) {
    status->set_heartbeat(true);
  } else {
    status->set_state(AtmStatus::IN_SERVICE);
    // Every device working: the per-ATM row's components table.
    for (auto kind : {AtmStatus::Component::DISPENSER, AtmStatus::Component::CARD_READER,
                      AtmStatus::Component::RECEIPT_PRINTER, AtmStatus::Component::EPP}) {
      AtmStatus::Component* component = status->add_components();
      component->set_kind(kind);
      component->set_severity(AtmStatus::Component::OK);
    }
  }
  return event;
}

// One card kept: the per-ATM row's cards retained (AtmCardsRetained needs 3).
v1::Envelope CardKept(const std::string& atm, int64_t time_ms) {
  v1::Envelope event;
  event.set_time_unix_ms(time_ms);
  event.mutable_card_retained()->set_atm_id(atm);
  event.mutable_card_retained()->set_reason(v1::CardRetained::CUSTOMER_TIMEOUT);
  return event;
}

v1::Envelope Line(const FleetAtm& atm, int64_t time_ms, LineEvent::Kind kind, uint64_t bytes) {
  v1::Envelope event;
  event.set_time_unix_ms(time_ms);
  LineEvent* line = event.mutable_line();
  line->set_line_id(atm.line_id);
  line->set_carrier(atm.carrier);
  line->set_kind(kind);
  if (kind != LineEvent::ATTACH) {
    line->set_session_id(std::string("S-") + atm.line_id);
    line->set_bytes_in(bytes);
    line->set_bytes_out(3 * bytes);
    line->set_signal_dbm(-71);  // a good signal: AtmLineSignalWeak stays quiet
  }
  return event;
}

const char* IssuerOf(int slot) {
  static constexpr const char* kIssuers[] = {"0005", "0009", "0033"};
  return kIssuers[slot % 3];
}

}  // namespace

int64_t NowMs() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

int NoonOffsetMinutes(int64_t now_ms) {
  const int utc_minute_of_day = static_cast<int>((now_ms / kMinuteMs) % (24 * 60));
  return 12 * 60 - utc_minute_of_day;
}

// A plan for the fiscal year the plan's figures are of (yesterday's, local
// time), so that every figure of the dashboard's Plan row is there, and one
// the fleet is on: a loss it beats (the months before the history cost the
// fixed expenses with no revenue), breakeven in the second half (the fleet
// earns its costs already) and the lines it has.
std::string PlanFor(int offset_minutes) {
  using namespace std::chrono;
  const int64_t local_day = (NowMs() + offset_minutes * kMinuteMs) / kDayMs - 1;
  const year_month_day yesterday{sys_days(days(local_day))};
  const int fiscal_year = static_cast<int>(yesterday.year()) - (yesterday.month() < April ? 1 : 0);
  const std::string fy = std::to_string(fiscal_year);
  return "plan:\n"
         "  fiscal_years:\n"
         "    FY" +
         fy +
         ": {revenue_yen: 100000000, operating_income_yen: -10000000000}\n"
         "  breakeven: {from: " +
         fy + "-10-01, to: " + std::to_string(fiscal_year + 1) +
         "-03-31}\n"
         "  mvno_lines: {target: " +
         std::to_string(std::size(kFleet)) + ", deadline: " + std::to_string(fiscal_year + 3) +
         "-03-31}\n";
}

// Cash visits three local days from today: after the full ATMs' cash-out
// forecast (some six days of withdrawals) is not, after the short one's is.
std::string CashVisitsIn3Days(int offset_minutes) {
  static constexpr const char* kDays[] = {"thu", "fri", "sat", "sun", "mon", "tue", "wed"};
  const int64_t local_day = (NowMs() + offset_minutes * kMinuteMs) / kDayMs;
  return std::string("cash: {default: {visit_days: [") + kDays[(local_day + 3) % 7] +
         "], visit_time: \"09:00\", cost_per_visit_yen: 18000}}\n";
}

std::string DaemonConfig(int offset_minutes, const std::string& nats_url) {
  std::string yaml = CashVisitsIn3Days(offset_minutes) + "timezone: \"" +
                     OffsetText(offset_minutes) +
                     "\"\n"
                     // Open all day, so the business-hours alerts apply whenever the test runs.
                     "business_hours: {start: \"00:00\", end: \"24:00\"}\n"
                     "atm_silence: " +
                     std::to_string(kAtmSilenceSeconds) +
                     "s\n"
                     "fees: {bands: [], default_yen: 150}\n"
                     // Breakeven near 200 transactions a day: every ATM is above it.
                     "costs: {per_atm_monthly_yen: 300000, fixed_monthly_yen: 3000000, "
                     "per_transaction_yen: 10}\n"
                     "targets: {mvno_lines: 10}\n" +
                     PlanFor(offset_minutes) + "jetstream: {url: \"" + nats_url +
                     "\", stream: ATMWATCH, durable: atmwatchd, subjects: [" + kJetStreamSubject +
                     "]}\n"
                     "atms:\n";
  for (const FleetAtm& atm : kFleet) {
    yaml += std::string("  - {id: ") + atm.id + ", site: \"" + atm.site +
            "\", region: " + atm.region + ", line_id: \"" + atm.line_id +
            "\", carrier: " + atm.carrier + "}\n";
  }
  return yaml;
}

std::vector<v1::Envelope> FleetHistory(int64_t today_midnight_ms, int64_t now_ms) {
  std::vector<v1::Envelope> events;
  bool replenished = false;
  for (int64_t slot_start = today_midnight_ms - kHistoryDays * kDayMs; slot_start < now_ms;
       slot_start += kSlotMs) {
    const int slot = static_cast<int>((slot_start / kSlotMs) % kSlotsPerHour);
    const bool today = slot_start >= today_midnight_ms;
    // Cassettes loaded just before today: the per-ATM row's cash panel.
    if (today && !replenished) {
      for (const FleetAtm& atm : kFleet) {
        events.push_back(Replenishment(atm.id, today_midnight_ms - 60'000));
      }
      replenished = true;
    }
    for (std::size_t i = 0; i < std::size(kFleet); ++i) {
      const std::string id = kFleet[i].id;
      const int64_t time_ms = slot_start + static_cast<int64_t>(i) * 7'000;
      if (time_ms >= now_ms) continue;
      if (id == kSilentAtm && time_ms >= now_ms - kSilenceMs) continue;
      if (id == kLowAtm && today && slot % 6 != 0) continue;  // 2 an hour instead of 12
      events.push_back(Withdrawal(id, time_ms, slot != kSlotsPerHour - 1, IssuerOf(slot)));
    }
  }
  for (const FleetAtm& atm : kFleet) {
    events.push_back(Line(atm, now_ms - 120'000, LineEvent::ATTACH, 0));
    events.push_back(Line(atm, now_ms - 110'000, LineEvent::SESSION_START, 0));
    events.push_back(StatusEvent(atm.id, now_ms - 100'000, /*heartbeat=*/false));
    events.push_back(CardKept(atm.id, now_ms - 90'000));
  }
  return events;
}

client::ClientOptions ClientFor(const DaemonProcess& daemon, const std::string& source_id) {
  client::ClientOptions options;
  options.address = daemon.ingest_address();
  options.source_id = source_id;
  options.ack_timeout = std::chrono::seconds(10);
  options.give_up_after = std::chrono::seconds(15);
  return options;
}

void LiveFleet::Stop() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

std::string LiveFleet::error() const {
  std::lock_guard lock(mutex_);
  return error_;
}

void LiveFleet::Run(const client::ClientOptions& options) {
  client::IngestClient client(options);
  for (uint64_t tick = 1;; ++tick) {
    const int64_t now = NowMs();
    v1::Batch jetstream_batch;
    jetstream_batch.set_source_id(kJetStreamSource);
    jetstream_batch.set_seq(tick);
    for (std::size_t i = 0; i < std::size(kFleet); ++i) {
      const FleetAtm& atm = kFleet[i];
      std::vector<v1::Envelope> events = {StatusEvent(atm.id, now, /*heartbeat=*/true),
                                          Line(atm, now, LineEvent::SESSION_INTERIM, tick * 1500)};
      const bool transacts = atm.id != kSilentAtm && (atm.id != kLowAtm || tick % 30 == 0);
      if (transacts) {
        events.push_back(
            Withdrawal(atm.id, now, /*approved=*/true, IssuerOf(static_cast<int>(tick + i))));
      }
      for (v1::Envelope& event : events) {
        if (atm.region == kJetStreamRegion) {
          *jetstream_batch.add_events() = std::move(event);
        } else if (Status status = client.Add(std::move(event)); !status.ok()) {
          return Fail(status.message());
        }
      }
    }
    if (Status status = client.Flush(); !status.ok()) return Fail(status.message());
    rejected_ = client.totals().rejected;
    if (!publisher_.Publish(kJetStreamSubject, jetstream_batch)) return Fail(publisher_.error());
    published_ = tick;
    std::unique_lock lock(mutex_);
    if (wake_.wait_for(lock, std::chrono::seconds(1), [this] { return stop_; })) return;
  }
}

void LiveFleet::Fail(const std::string& why) {
  std::lock_guard lock(mutex_);
  error_ = why;
}

}  // namespace atmwatch::testing
