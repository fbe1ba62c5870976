// The monthly site report over a hand-made March 2010: two sites, three
// inventory ATMs and one outside the inventory, their transactions and the
// statuses, heartbeats and line events that fill the availability rings,
// every cell checked against figures worked out here.

#include "engine/site_report.h"

#include <gtest/gtest.h>

#include <chrono>
#include <optional>
#include <string>

#include "engine/engine.h"
#include "engine/event_testing.h"
#include "engine/site_report_format.h"

namespace atmwatch::engine {
namespace {

using namespace std::chrono;
using v1::AtmStatus;
using v1::AtmTransaction;
using v1::LineEvent;

constexpr year_month kMarch = 2010y / March;
constexpr int64_t kMinute = 60'000;
constexpr int64_t kMarchDays = 31;
constexpr int64_t kParlorDay = 12 * 3600;   // 10:00-22:00
constexpr int64_t kShopDay = 9 * 3600;      // 09:00-18:00
constexpr int64_t kDefaultDay = 13 * 3600;  // 10:00-23:00, the default hours

v1::Envelope Withdrawal(const std::string& atm, int64_t time, AtmTransaction::Result result,
                        int64_t commission_yen) {
  v1::Envelope event;
  event.set_time_unix_ms(time);
  auto* tx = event.mutable_transaction();
  tx->set_atm_id(atm);
  tx->set_type(AtmTransaction::WITHDRAWAL);
  tx->set_result(result);
  tx->set_amount_yen(10000);
  tx->set_issuer("0005");
  tx->set_commission_yen(commission_yen);
  return event;
}

// PARLOR1 (talks over line L1) and PARLOR2 at the parlor, which is paid 30%
// of the commission; SHOP1 at the shop, which is paid none.
EngineConfig Config() {
  EngineConfig config;
  config.inventory = {{.id = "PARLOR1", .site = "parlor", .line_id = "L1", .carrier = "docomo"},
                      {.id = "PARLOR2", .site = "parlor"},
                      {.id = "SHOP1", .site = "shop"}};
  config.calendar = Calendar(Calendar::kDefaultUtcOffset, 4, {});
  config.site_hours = {{"parlor", BusinessHours::Daily(10 * 60, 22 * 60)},
                       {"shop", BusinessHours::Daily(9 * 60, 18 * 60)}};
  config.site_shares = {{"parlor", 0.3}};
  return config;
}

void HeardFrom(Engine& engine, const std::string& atm, int64_t from, int64_t to,
               const char* session = nullptr) {
  for (int64_t t = from; t <= to; t += 2 * kMinute) {
    if (session != nullptr) engine.Apply(LineEventOf("L1", t, LineEvent::SESSION_INTERIM, session));
    engine.Apply(HeartbeatEvent(atm, t));
  }
}

void ApplyMarch(Engine& engine) {
  // SHOP1, 1 March: in service 09:00-12:00, out of service 12:00-13:00, heard
  // from throughout; two approved withdrawals, an error and a decline.
  const int64_t nine = JapanTime(2010y / March / 1, 9);
  engine.Apply(StatusEvent("SHOP1", nine, AtmStatus::IN_SERVICE));
  HeardFrom(engine, "SHOP1", nine + 2 * kMinute, nine + 178 * kMinute);
  engine.Apply(Withdrawal("SHOP1", nine + 31 * kMinute, AtmTransaction::APPROVED, 110));
  engine.Apply(Withdrawal("SHOP1", nine + 41 * kMinute, AtmTransaction::APPROVED, 110));
  engine.Apply(Withdrawal("SHOP1", nine + 61 * kMinute, AtmTransaction::ERROR, 0));
  engine.Apply(Withdrawal("SHOP1", nine + 71 * kMinute, AtmTransaction::DECLINED, 0));
  engine.Apply(StatusEvent("SHOP1", nine + 180 * kMinute, AtmStatus::OUT_OF_SERVICE));
  HeardFrom(engine, "SHOP1", nine + 182 * kMinute, nine + 238 * kMinute);
  engine.Apply(StatusEvent("SHOP1", nine + 240 * kMinute, AtmStatus::IN_SERVICE));

  // PARLOR1, 2 March 10:00-11:00: its line's session stops 10:20-10:40; two
  // approved withdrawals, one of them reversed.
  const int64_t ten = JapanTime(2010y / March / 2, 10);
  engine.Apply(LineEventOf("L1", ten, LineEvent::SESSION_START, "s1"));
  HeardFrom(engine, "PARLOR1", ten, ten + 18 * kMinute, "s1");
  engine.Apply(Withdrawal("PARLOR1", ten + 11 * kMinute, AtmTransaction::APPROVED, 220));
  engine.Apply(LineEventOf("L1", ten + 20 * kMinute, LineEvent::SESSION_STOP, "s1"));
  HeardFrom(engine, "PARLOR1", ten + 20 * kMinute, ten + 38 * kMinute);
  engine.Apply(LineEventOf("L1", ten + 40 * kMinute, LineEvent::SESSION_START, "s2"));
  HeardFrom(engine, "PARLOR1", ten + 40 * kMinute, ten + 60 * kMinute, "s2");
  engine.Apply(Withdrawal("PARLOR1", ten + 51 * kMinute, AtmTransaction::APPROVED, 220));
  engine.Apply(Withdrawal("PARLOR1", ten + 51 * kMinute, AtmTransaction::REVERSED, 220));

  // PARLOR2: three withdrawals at 12:00 on 5 March, the next on 1 April
  // (after the month): in between its hardware serves all along, while
  // comms and cardholder end 5 minutes (the silence window) after 12:00.
  const int64_t noon = JapanTime(2010y / March / 5, 12);
  engine.Apply(Withdrawal("PARLOR2", noon, AtmTransaction::APPROVED, 110));
  engine.Apply(Withdrawal("PARLOR2", noon, AtmTransaction::APPROVED, 110));
  engine.Apply(Withdrawal("PARLOR2", noon, AtmTransaction::ERROR, 0));
  engine.Apply(
      Withdrawal("PARLOR2", JapanTime(2010y / April / 1, 12), AtmTransaction::APPROVED, 110));

  // STRAY1 is in no inventory.
  engine.Apply(
      Withdrawal("STRAY1", JapanTime(2010y / March / 10, 12), AtmTransaction::APPROVED, 330));
}

SiteReport ReportAsOf(const Engine& engine, int64_t now) {
  SiteReport report;
  engine.Read([&](const EngineView& view) { report = BuildSiteReport(view, kMarch, now); });
  return report;
}

SiteFigures Figures(uint64_t withdrawals, int64_t commission, uint64_t attempts, uint64_t errors,
                    int64_t business, int64_t hardware, int64_t comms, int64_t cardholder) {
  return {withdrawals, commission, attempts, errors, business, {hardware, comms, cardholder}};
}

void ExpectFigures(const SiteFigures& actual, const SiteFigures& expected,
                   const std::string& where) {
  SCOPED_TRACE(where);
  EXPECT_EQ(actual.withdrawals, expected.withdrawals);
  EXPECT_EQ(actual.commission_yen, expected.commission_yen);
  EXPECT_EQ(actual.withdrawal_attempts, expected.withdrawal_attempts);
  EXPECT_EQ(actual.withdrawal_errors, expected.withdrawal_errors);
  EXPECT_EQ(actual.business_seconds, expected.business_seconds);
  EXPECT_EQ(actual.good_seconds, expected.good_seconds);
}

// PARLOR2's hardware: 12:00-22:00 on 5 March and every parlor day after.
constexpr int64_t kParlor2Hardware = 10 * 3600 + (kMarchDays - 5) * kParlorDay;

const SiteFigures kShop1 =
    Figures(2, 220, 4, 1, kMarchDays* kShopDay, 3 * 3600, 4 * 3600, 3 * 3600);
const SiteFigures kParlor1 = Figures(2, 220, 2, 0, kMarchDays* kParlorDay, 3600, 2400, 2400);
const SiteFigures kParlor2 =
    Figures(2, 220, 3, 1, kMarchDays* kParlorDay, kParlor2Hardware, 300, 300);
const SiteFigures kStray1 = Figures(1, 330, 1, 0, kMarchDays* kDefaultDay, 0, 0, 0);

TEST(SiteReportTest, EveryCellOfAHandMadeMonth) {
  Engine engine(Config());
  ApplyMarch(engine);
  const SiteReport report = ReportAsOf(engine, JapanTime(2010y / April / 3, 12));

  EXPECT_EQ(report.days.days(), kMarchDays);
  EXPECT_EQ(report.covered, report.days);
  ASSERT_EQ(report.sites.size(), 3u);

  const SiteRow& unknown = report.sites[0];
  EXPECT_EQ(unknown.site, "(unknown)");
  ASSERT_EQ(unknown.atms.size(), 1u);
  EXPECT_EQ(unknown.atms[0].atm, "STRAY1");
  ExpectFigures(unknown.atms[0].figures, kStray1, "STRAY1");
  ExpectFigures(unknown.figures, kStray1, "(unknown)");
  EXPECT_EQ(unknown.share, std::nullopt);
  EXPECT_EQ(unknown.share_yen, std::nullopt);

  const SiteRow& parlor = report.sites[1];
  EXPECT_EQ(parlor.site, "parlor");
  ASSERT_EQ(parlor.atms.size(), 2u);
  EXPECT_EQ(parlor.atms[0].atm, "PARLOR1");
  ExpectFigures(parlor.atms[0].figures, kParlor1, "PARLOR1");
  EXPECT_EQ(parlor.atms[1].atm, "PARLOR2");
  ExpectFigures(parlor.atms[1].figures, kParlor2, "PARLOR2");
  ExpectFigures(parlor.figures,
                Figures(4, 440, 5, 1, 2 * kMarchDays * kParlorDay, 3600 + kParlor2Hardware,
                        2400 + 300, 2400 + 300),
                "parlor");
  EXPECT_EQ(parlor.share, 0.3);
  EXPECT_EQ(parlor.share_yen, 132);  // 30% of 440

  const SiteRow& shop = report.sites[2];
  EXPECT_EQ(shop.site, "shop");
  ASSERT_EQ(shop.atms.size(), 1u);
  EXPECT_EQ(shop.atms[0].atm, "SHOP1");
  ExpectFigures(shop.atms[0].figures, kShop1, "SHOP1");
  ExpectFigures(shop.figures, kShop1, "shop");
  EXPECT_EQ(shop.share_yen, std::nullopt);

  EXPECT_DOUBLE_EQ(*kShop1.Authorization(), 0.75);
  EXPECT_DOUBLE_EQ(*kParlor1.Authorization(), 1.0);
  EXPECT_DOUBLE_EQ(*shop.figures.AvailabilityOf(Availability::kComms),
                   4.0 * 3600 / (kMarchDays * kShopDay));
}

TEST(SiteReportTest, DaysBeforeTheKeptOnesHaveNoAvailability) {
  Engine engine(Config());
  ApplyMarch(engine);
  // 35 kept days back from 20 April reach 17 March: 15 days of March.
  const SiteReport partly = ReportAsOf(engine, JapanTime(2010y / April / 20, 12));
  EXPECT_EQ(partly.covered.days(), 15);
  ExpectFigures(partly.sites[2].atms[0].figures, Figures(2, 220, 4, 1, 15 * kShopDay, 0, 0, 0),
                "SHOP1 from 17 March");
  ExpectFigures(partly.sites[1].atms[1].figures,
                Figures(2, 220, 3, 1, 15 * kParlorDay, 15 * kParlorDay, 0, 0),
                "PARLOR2 from 17 March");

  // By 20 May none of March is kept: money and counts, no availability.
  const SiteReport none = ReportAsOf(engine, JapanTime(2010y / May / 20, 12));
  EXPECT_EQ(none.covered.days(), 0);
  EXPECT_EQ(none.sites[2].atms[0].figures.withdrawals, 2u);
  EXPECT_EQ(none.sites[2].atms[0].figures.AvailabilityOf(Availability::kHardware), std::nullopt);
  const std::string json = FormatSiteJson(none);
  EXPECT_NE(json.find("\"days_covered\":0"), std::string::npos);
  EXPECT_NE(json.find("\"business_seconds\":null,\"hardware_seconds\":null,\"hardware\":null"),
            std::string::npos);
  EXPECT_NE(FormatSiteCsv(none).find("shop,SHOP1,2,220,4,1,,,,,\n"), std::string::npos);
  EXPECT_NE(FormatSiteTable(none).find("availability over 0 of 31 days"), std::string::npos);
}

TEST(SiteReportTest, FormatsShowEachCell) {
  Engine engine(Config());
  ApplyMarch(engine);
  const SiteReport report = ReportAsOf(engine, JapanTime(2010y / April / 3, 12));

  const std::string csv = FormatSiteCsv(report);
  EXPECT_EQ(csv.substr(0, csv.find('\n') + 1),
            "site,atm,withdrawals,commission_yen,withdrawal_attempts,withdrawal_errors,"
            "business_seconds,hardware_seconds,comms_seconds,cardholder_seconds,"
            "site_share_yen\n");
  EXPECT_NE(csv.find("\nshop,,2,220,4,1,1004400,10800,14400,10800,\n"), std::string::npos);
  EXPECT_NE(csv.find("\nparlor,,4,440,5,1,2678400,1162800,2700,2700,132\n"), std::string::npos);

  const std::string json = FormatSiteJson(report);
  EXPECT_TRUE(json.starts_with("{\"month\":\"2010-03\",\"days\":31,\"days_covered\":31,"));
  EXPECT_NE(json.find("\"site\":\"shop\",\"withdrawals\":2,\"commission_yen\":220,"
                      "\"withdrawal_attempts\":4,\"withdrawal_errors\":1,"
                      "\"authorization\":0.750000,\"business_seconds\":1004400,"
                      "\"hardware_seconds\":10800,\"hardware\":0.010753,"
                      "\"comms_seconds\":14400,\"comms\":0.014337,"
                      "\"cardholder_seconds\":10800,\"cardholder\":0.010753,"
                      "\"site_share\":null,\"site_share_yen\":null"),
            std::string::npos);
  EXPECT_NE(json.find("\"site_share\":0.3,\"site_share_yen\":132"), std::string::npos);

  const std::string table = FormatSiteTable(report);
  EXPECT_NE(table.find("availability over 31 of 31 days"), std::string::npos);
  EXPECT_NE(table.find("downtime incidents: not yet"), std::string::npos);
  // SHOP1: 75% authorized; hardware 10800 of 1004400 s.
  EXPECT_NE(table.find("SHOP1"), std::string::npos);
  EXPECT_NE(table.find("1.08%"), std::string::npos);
  EXPECT_NE(table.find("75.00%"), std::string::npos);
  // Columns as wide as the longest name; no trailing blanks.
  EXPECT_NE(table.find("\nSite       ATM       Withdrawals"), std::string::npos) << table;
  EXPECT_NE(table.find("\nshop       (all)               2           220       1.08%       "
                       "1.43%       1.08%        75.00%             -\n"),
            std::string::npos)
      << table;
  EXPECT_NE(table.find("\n           SHOP1               2           220       1.08%       "
                       "1.43%       1.08%        75.00%\n"),
            std::string::npos)
      << table;
}

TEST(SiteReportTest, MonthsAreYearDashMonth) {
  year_month month;
  ASSERT_TRUE(ParseMonth("2010-03", &month).ok());
  EXPECT_EQ(month, kMarch);
  EXPECT_EQ(MonthLabel(month), "2010-03");
  for (const char* bad : {"2010-13", "2010-3", "201003", "2010/03", "-010-03", "2010--3", ""}) {
    const Status status = ParseMonth(bad, &month);
    EXPECT_FALSE(status.ok()) << bad;
    EXPECT_NE(status.message().find("YYYY-MM"), std::string::npos) << bad;
  }
}

}  // namespace
}  // namespace atmwatch::engine
