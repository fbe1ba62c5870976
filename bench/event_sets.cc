#include "event_sets.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <random>

namespace atmwatch::bench {
namespace {

using v1::AtmTransaction;
using v1::LineEvent;

constexpr std::int64_t kMinute = 60 * 1000;
constexpr std::int64_t kHour = 60 * kMinute;
constexpr std::int64_t kDay = 24 * kHour;
constexpr std::int64_t kJapanOffset = 9 * kHour;

constexpr std::array<const char*, 6> kIssuers = {"0001", "0005", "0009", "0010", "0017", "0033"};

// Roughly a parlor ATM's traffic: mostly withdrawals, mostly approved.
struct Draw {
  AtmTransaction::Type type;
  AtmTransaction::Result result;
};
Draw DrawKind(std::mt19937_64& rng) {
  std::uniform_int_distribution<int> percent(0, 99);
  const int t = percent(rng);
  const int r = percent(rng);
  Draw draw{AtmTransaction::WITHDRAWAL, AtmTransaction::APPROVED};
  if (t >= 95) {
    draw.type = AtmTransaction::TRANSFER;
  } else if (t >= 85) {
    draw.type = AtmTransaction::DEPOSIT;
  } else if (t >= 70) {
    draw.type = AtmTransaction::BALANCE_INQUIRY;
  }
  if (r >= 99 && draw.type == AtmTransaction::WITHDRAWAL) {
    draw.result = AtmTransaction::REVERSED;
  } else if (r >= 96) {
    draw.result = AtmTransaction::ERROR;
  } else if (r >= 90) {
    draw.result = AtmTransaction::DECLINED;
  }
  return draw;
}

void FillTransaction(std::mt19937_64& rng, int atm, Draw draw, AtmTransaction* tx) {
  tx->set_atm_id(AtmId(atm));
  tx->set_type(draw.type);
  tx->set_result(draw.result);
  if (draw.type != AtmTransaction::BALANCE_INQUIRY) {
    tx->set_amount_yen(1000 * std::uniform_int_distribution<int>(1, 100)(rng));
  }
  if (draw.type == AtmTransaction::WITHDRAWAL) {
    tx->set_issuer(kIssuers[rng() % kIssuers.size()]);
  }
}

}  // namespace

std::string AtmId(int number) { return fmt::format("ATM{:05d}", number); }

std::string LineId(int number) { return fmt::format("8190{:08d}", number); }

const char* CarrierOf(int number) {
  static constexpr std::array<const char*, 3> kCarriers = {"docomo", "au", "softbank"};
  return kCarriers[static_cast<std::size_t>(number) % kCarriers.size()];
}

const char* TypeName(int type) {
  static constexpr std::array<const char*, 5> kNames = {"", "withdrawal", "balance_inquiry",
                                                        "deposit", "transfer"};
  return kNames.at(static_cast<std::size_t>(type));
}

const char* ResultName(int result) {
  static constexpr std::array<const char*, 5> kNames = {"", "approved", "declined", "error",
                                                        "reversed"};
  return kNames.at(static_cast<std::size_t>(result));
}

void GenerateTransactions(const TransactionMix& mix, const EventSink& sink) {
  std::mt19937_64 rng(mix.seed);
  std::uniform_int_distribution<int> atm(1, mix.atms);
  v1::Envelope event;
  for (std::int64_t i = 0; i < mix.events; ++i) {
    event.Clear();
    event.set_time_unix_ms(mix.first_unix_ms + i);
    const Draw draw = DrawKind(rng);
    auto* tx = event.mutable_transaction();
    FillTransaction(rng, atm(rng), draw, tx);
    const bool earns =
        draw.type == AtmTransaction::WITHDRAWAL &&
        (draw.result == AtmTransaction::APPROVED || draw.result == AtmTransaction::REVERSED);
    tx->set_commission_yen(earns ? 110 * static_cast<std::int64_t>(1 + rng() % 2) : 0);
    sink(event);
  }
}

void GenerateHistory(const FleetHistory& history, const EventSink& sink) {
  std::mt19937_64 rng(history.seed);
  const std::int64_t now = history.now_unix_ms;
  const std::int64_t today = (now + kJapanOffset) / kDay * kDay - kJapanOffset;
  v1::Envelope event;
  for (int age = history.days - 1; age >= 0; --age) {
    const std::int64_t midnight = today - age * kDay;
    const int per_day = age < history.recent_days ? history.recent_per_day : history.per_day;
    for (int slot = 0; slot < per_day; ++slot) {
      // Spread the day's transactions over 10:00..22:00 local, each ATM a
      // little apart so they do not all share one millisecond.
      const std::int64_t slot_time = midnight + 10 * kHour + slot * (12 * kHour / per_day);
      for (int atm = 1; atm <= history.atms; ++atm) {
        const std::int64_t t = slot_time + (atm * 7919LL) % (30 * kMinute);
        if (t > now - kMinute) continue;
        event.Clear();
        event.set_time_unix_ms(t);
        FillTransaction(rng, atm, DrawKind(rng), event.mutable_transaction());
        sink(event);
      }
    }
  }
  // Every line attached, then in a session that is still fresh at scrape time.
  for (const auto& [kind, ago] : {std::pair{LineEvent::ATTACH, 4 * kMinute},
                                  std::pair{LineEvent::SESSION_START, 2 * kMinute}}) {
    for (int line = 1; line <= history.lines; ++line) {
      event.Clear();
      event.set_time_unix_ms(now - ago + line % 1000);
      auto* e = event.mutable_line();
      e->set_line_id(LineId(line));
      e->set_carrier(CarrierOf(line));
      e->set_kind(kind);
      if (kind == LineEvent::SESSION_START) e->set_session_id(fmt::format("s{}", line));
      sink(event);
    }
  }
}

}  // namespace atmwatch::bench
