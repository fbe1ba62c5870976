#include "engine/engine.h"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>

#include "engine/event_testing.h"

namespace atmwatch::engine {
namespace {

using namespace std::chrono;
using v1::AtmTransaction;
using v1::LedgerEntry;

v1::Envelope Transaction(const std::string& atm, int64_t time_unix_ms,
                         AtmTransaction::Result result = AtmTransaction::APPROVED,
                         std::optional<int64_t> commission_yen = {}, std::string issuer = "0005",
                         AtmTransaction::Type type = AtmTransaction::WITHDRAWAL) {
  v1::Envelope event;
  event.set_time_unix_ms(time_unix_ms);
  auto* tx = event.mutable_transaction();
  tx->set_atm_id(atm);
  tx->set_type(type);
  tx->set_result(result);
  tx->set_amount_yen(type == AtmTransaction::WITHDRAWAL ? 10000 : 0);
  tx->set_issuer(std::move(issuer));
  if (commission_yen) tx->set_commission_yen(*commission_yen);
  return event;
}

v1::Envelope Ledger(LedgerEntry::Category category, int64_t yen, const std::string& date) {
  v1::Envelope event;
  event.set_time_unix_ms(JapanTime(2010y / April / 1, 12));
  auto* entry = event.mutable_ledger();
  entry->set_category(category);
  entry->set_amount_yen(yen);
  entry->set_booking_date(date);
  return event;
}

std::vector<InventoryEntry> Inventory(std::initializer_list<const char*> ids) {
  std::vector<InventoryEntry> inventory;
  for (const char* id : ids) inventory.push_back({.id = id});
  return inventory;
}

// Reads one ATM's record under the engine's lock.
struct AtmSnapshot {
  AtmCounters counters;
  std::optional<AtmDayUsage> day;
};

AtmSnapshot ReadAtm(const Engine& engine, const std::string& id, year_month_day local_date) {
  AtmSnapshot snapshot;
  engine.Read([&](const EngineView& view) {
    const auto atm = view.fleet.Find(id);
    ASSERT_TRUE(atm.has_value()) << id;
    snapshot.counters = view.atms[*atm];
    snapshot.day = view.usage.Find(*atm, DayNumberOf(local_date));
  });
  return snapshot;
}

void ApplyAll(Engine& engine, const std::vector<v1::Envelope>& events) {
  for (const auto& event : events) ASSERT_EQ(engine.Apply(event), std::nullopt);
}

constexpr year_month_day kMonday = 2010y / April / 5;

TEST(EngineTest, ApprovedWithdrawalEarnsTheScheduledFeeOnItsLocalDay) {
  Engine engine(Inventory({"ATM0001"}), 0);
  // 00:30 on Thursday 1 April in Japan is still 31 March in UTC: the night fee, April's day.
  ApplyAll(engine, {Transaction("ATM0001", JapanTime(2010y / April / 1, 0, 30))});

  const AtmSnapshot atm = ReadAtm(engine, "ATM0001", 2010y / April / 1);
  ASSERT_TRUE(atm.day.has_value());
  EXPECT_EQ(atm.day->commission_yen, 210);
  EXPECT_EQ(atm.day->withdrawal_yen, 10000);
  EXPECT_EQ(atm.day->Transactions(), 1u);
  EXPECT_EQ(atm.counters.commission_earned_yen, 210);
  EXPECT_EQ(atm.counters.transactions[AtmTransaction::WITHDRAWAL][AtmTransaction::APPROVED], 1u);
  EXPECT_FALSE(ReadAtm(engine, "ATM0001", 2010y / March / 31).day.has_value());
}

TEST(EngineTest, CommissionOnTheEventWinsOverTheSchedule) {
  Engine engine(Inventory({"ATM0001"}), 0);
  ApplyAll(engine, {Transaction("ATM0001", JapanTime(kMonday, 12), AtmTransaction::APPROVED, 99)});
  EXPECT_EQ(ReadAtm(engine, "ATM0001", kMonday).day->commission_yen, 99);
}

TEST(EngineTest, ReversalTakesTheCommissionBackAndCountsItApart) {
  Engine engine(Inventory({"ATM0001"}), 0);
  ApplyAll(engine, {Transaction("ATM0001", JapanTime(kMonday, 12)),
                    Transaction("ATM0001", JapanTime(kMonday, 12, 1), AtmTransaction::REVERSED),
                    Transaction("ATM0001", JapanTime(kMonday, 19))});

  const AtmSnapshot atm = ReadAtm(engine, "ATM0001", kMonday);
  EXPECT_EQ(atm.day->commission_yen, 105 - 105 + 210);
  EXPECT_EQ(atm.day->withdrawal_yen, 10000);
  EXPECT_EQ(atm.counters.commission_earned_yen, 105 + 210);
  EXPECT_EQ(atm.counters.commission_reversed_yen, 105);
}

TEST(EngineTest, DeclinesAndErrorsEarnNothingButCountAsTransactionsAndInHealth) {
  Engine engine(Inventory({"ATM0001"}), 0);
  ApplyAll(engine, {Transaction("ATM0001", JapanTime(kMonday, 12), AtmTransaction::DECLINED),
                    Transaction("ATM0001", JapanTime(kMonday, 13), AtmTransaction::ERROR),
                    Transaction("ATM0001", JapanTime(kMonday, 14), AtmTransaction::ERROR)});

  const AtmSnapshot atm = ReadAtm(engine, "ATM0001", kMonday);
  EXPECT_EQ(atm.day->commission_yen, 0);
  EXPECT_EQ(atm.day->Transactions(), 3u);
  AuthorizationOutcomes outcomes;
  engine.Read([&](const EngineView& view) {
    view.authorization.ForEachIssuer(0, [&](std::string_view issuer, const auto& seen) {
      if (issuer == "0005") outcomes = seen;
    });
  });
  EXPECT_EQ(outcomes.declined, 1u);
  EXPECT_EQ(outcomes.errors, 2u);
  EXPECT_EQ(outcomes.approved, 0u);
}

TEST(EngineTest, LateEventLandsInItsOwnDayAndKeepsTheNewestTimes) {
  Engine engine(Inventory({"ATM0001"}), 0);
  const int64_t newest = JapanTime(year_month_day(sys_days(kMonday) + days(10)), 12);
  ApplyAll(engine,
           {Transaction("ATM0001", newest), Transaction("ATM0001", JapanTime(kMonday, 20)),
            HeartbeatEvent("ATM0001", newest + 1000), HeartbeatEvent("ATM0001", newest - 1000)});

  const AtmSnapshot atm = ReadAtm(engine, "ATM0001", kMonday);
  ASSERT_TRUE(atm.day.has_value());
  EXPECT_EQ(atm.day->commission_yen, 210);
  EXPECT_EQ(atm.counters.last_transaction_unix_ms, newest);
  EXPECT_EQ(atm.counters.last_status_unix_ms, newest + 1000);
}

TEST(EngineTest, LedgerEntriesBookToTheirDate) {
  Engine engine(Inventory({}), 0);
  ApplyAll(engine, {Ledger(LedgerEntry::COST, 15'000'000, "2008-06-30"),
                    Ledger(LedgerEntry::EXPENSE, 58'000'000, "2008-06-30"),
                    Ledger(LedgerEntry::OTHER_REVENUE, 1'000, "2008-07-01")});
  engine.Read([](const EngineView& view) {
    const LedgerTotals first = view.ledger.Quarter(view.calendar, {2008, 1});
    EXPECT_EQ(first.cost_yen, 15'000'000);
    EXPECT_EQ(first.expenses_yen, 58'000'000);
    EXPECT_EQ(first.other_revenue_yen, 0);
    EXPECT_EQ(view.ledger.Quarter(view.calendar, {2008, 2}).other_revenue_yen, 1'000);
  });
}

// The visit's cost lands on its local day (23:30 UTC is the next day in
// Tokyo); a count costs nothing.
TEST(EngineTest, ReplenishmentCostsLandOnTheVisitsLocalDay) {
  Engine engine(Inventory({"ATM0001"}), 0);
  const auto visit = [](v1::CashEvent::Kind kind, int64_t time_unix_ms, int64_t cost_yen) {
    v1::Envelope event;
    event.set_time_unix_ms(time_unix_ms);
    auto* cash = event.mutable_cash();
    cash->set_atm_id("ATM0001");
    cash->set_kind(kind);
    auto* cassette = cash->add_cassettes();
    cassette->set_denomination_yen(10000);
    cassette->set_notes(500);
    cash->set_cost_yen(cost_yen);
    return event;
  };
  ApplyAll(engine, {visit(v1::CashEvent::REPLENISHMENT, JapanTime(2010y / May / 10, 9), 15'000),
                    visit(v1::CashEvent::REPLENISHMENT, JapanTime(2010y / May / 11, 8, 30), 12'000),
                    visit(v1::CashEvent::COUNT, JapanTime(2010y / May / 11, 12), 0)});
  engine.Read([](const EngineView& view) {
    const int64_t may_10 = DayNumberOf(2010y / May / 10);
    EXPECT_EQ(view.ledger.Totals({may_10, may_10}).cash_in_transit_yen, 15'000);
    EXPECT_EQ(view.ledger.Totals({may_10 + 1, may_10 + 1}).cash_in_transit_yen, 12'000);
    EXPECT_FALSE(view.ledger.Totals({may_10, may_10 + 1}).has_bookings());
  });
}

TEST(EngineTest, ConfiguredHolidayEarnsTheWeekendFee) {
  EngineConfig config{.inventory = Inventory({"ATM0001"}),
                      .calendar = Calendar(hours(9), 4, {kMonday})};
  Engine engine(std::move(config));
  ApplyAll(engine, {Transaction("ATM0001", JapanTime(kMonday, 12))});
  EXPECT_EQ(ReadAtm(engine, "ATM0001", kMonday).day->commission_yen, 210);
}

TEST(EngineTest, UnknownAtmPastTheCapIsRefusedAndLeavesNoTrace) {
  Engine engine(Inventory({"ATM0001"}), 0);
  const std::string before = engine.SerializeState();
  EXPECT_EQ(engine.Apply(Transaction("ATM9999", JapanTime(kMonday, 12))), "unknown_atm_cap");
  EXPECT_EQ(engine.Apply(HeartbeatEvent("ATM9999", JapanTime(kMonday, 12))), "unknown_atm_cap");
  EXPECT_EQ(engine.SerializeState(), before);
}

TEST(EngineTest, ReconfiguredFeesApplyToLaterEventsOnly) {
  Engine engine(Inventory({"ATM0001"}), 0);
  ApplyAll(engine, {Transaction("ATM0001", JapanTime(kMonday, 12))});
  FeeTariff flat_tariff;
  flat_tariff.bands = {};
  flat_tariff.default_yen = 50;
  const FeeSchedule flat(std::move(flat_tariff));
  engine.Reconfigure(EngineConfig{.inventory = Inventory({"ATM0001"}), .fees = flat});
  ApplyAll(engine, {Transaction("ATM0001", JapanTime(kMonday, 13))});
  EXPECT_EQ(ReadAtm(engine, "ATM0001", kMonday).day->commission_yen, 105 + 50);
}

std::vector<v1::Envelope> MixedEvents(year_month_day first_day, int days_count) {
  std::vector<v1::Envelope> events;
  for (int d = 0; d < days_count; ++d) {
    const year_month_day date{sys_days(first_day) + days(d)};
    for (int hour : {9, 12, 19, 22}) {
      events.push_back(Transaction("ATM0001", JapanTime(date, hour)));
      events.push_back(Transaction("ATM0002", JapanTime(date, hour, 5),
                                   hour == 22 ? AtmTransaction::ERROR : AtmTransaction::APPROVED,
                                   std::nullopt, hour == 9 ? "0001" : "0177"));
    }
    events.push_back(Transaction("ATM0002", JapanTime(date, 12, 6), AtmTransaction::REVERSED));
    events.push_back(Transaction("UNKNOWN1", JapanTime(date, 15), AtmTransaction::DECLINED));
    events.push_back(HeartbeatEvent("ATM0001", JapanTime(date, 23)));
  }
  events.push_back(Ledger(LedgerEntry::COST, 1'000'000, "2010-04-30"));
  return events;
}

TEST(EngineTest, SnapshotRestoresEveryAggregateAndReplayContinuesIdentically) {
  Engine original(Inventory({"ATM0001", "ATM0002"}), 5);
  ApplyAll(original, MixedEvents(2010y / April / 1, 40));

  Engine restored(Inventory({"ATM0001", "ATM0002"}), 5);
  ASSERT_TRUE(restored.RestoreState(original.SerializeState()));
  EXPECT_EQ(restored.SerializeState(), original.SerializeState());

  // The rings and runs came back where they were: more events, same result.
  const auto later = MixedEvents(2010y / May / 11, 30);
  ApplyAll(original, later);
  ApplyAll(restored, later);
  EXPECT_EQ(restored.SerializeState(), original.SerializeState());
  EXPECT_EQ(ReadAtm(restored, "ATM0002", 2010y / May / 20).day->commission_yen,
            ReadAtm(original, "ATM0002", 2010y / May / 20).day->commission_yen);
}

TEST(EngineTest, SnapshotFollowsAtmIdsIntoAReorderedInventory) {
  Engine original(Inventory({"ATM0001", "ATM0002"}), 5);
  ApplyAll(original, MixedEvents(2010y / April / 1, 3));

  Engine restored(Inventory({"ATM0002", "ATM0001"}), 5);
  ASSERT_TRUE(restored.RestoreState(original.SerializeState()));
  for (const char* id : {"ATM0001", "ATM0002", "UNKNOWN1"}) {
    const AtmSnapshot before = ReadAtm(original, id, 2010y / April / 2);
    const AtmSnapshot after = ReadAtm(restored, id, 2010y / April / 2);
    EXPECT_EQ(after.counters.commission_earned_yen, before.counters.commission_earned_yen) << id;
    EXPECT_EQ(after.counters.transactions, before.counters.transactions) << id;
    ASSERT_TRUE(after.day.has_value()) << id;
    EXPECT_EQ(after.day->counts, before.day->counts) << id;
  }
  EXPECT_EQ(restored.unknown_atms(), 1u);
}

TEST(EngineTest, GarbageSnapshotIsRefused) {
  Engine engine(Inventory({"ATM0001"}), 0);
  EXPECT_FALSE(engine.RestoreState("\xff\xff\xff"));
}

}  // namespace
}  // namespace atmwatch::engine
