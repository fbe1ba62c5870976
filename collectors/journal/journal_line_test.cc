#include "journal/journal_line.h"

#include <gtest/gtest.h>

namespace atmwatch::journal {
namespace {

using v1::AtmTransaction;

constexpr char kHeader[] = "time,atm_id,type,result,amount_yen,commission_yen,issuer,host_ref";

Header StandardHeader() {
  Result<Header, std::string> header = ParseHeader(kHeader);
  EXPECT_TRUE(header.ok());
  return *header;
}

std::string_view ReasonOf(std::string_view line) {
  static Header header = StandardHeader();
  Result<v1::Envelope, LineError> parsed = ParseJournalLine(line, header);
  EXPECT_FALSE(parsed.ok()) << line;
  return parsed.ok() ? "" : parsed.error().reason;
}

TEST(JournalLine, GoodWithdrawalBecomesATransaction) {
  Result<v1::Envelope, LineError> parsed = ParseJournalLine(
      "2026-11-25T18:03:11+09:00,ATM0001,WITHDRAWAL,APPROVED,10000,110,0005,H-1", StandardHeader());
  ASSERT_TRUE(parsed.ok()) << parsed.error().detail;
  EXPECT_EQ(parsed->time_unix_ms(), 1795597391000);
  const AtmTransaction& tx = parsed->transaction();
  EXPECT_EQ(tx.atm_id(), "ATM0001");
  EXPECT_EQ(tx.type(), AtmTransaction::WITHDRAWAL);
  EXPECT_EQ(tx.result(), AtmTransaction::APPROVED);
  EXPECT_EQ(tx.amount_yen(), 10000);
  ASSERT_TRUE(tx.has_commission_yen());
  EXPECT_EQ(tx.commission_yen(), 110);
  EXPECT_EQ(tx.issuer(), "0005");
  EXPECT_EQ(tx.host_ref(), "H-1");
}

TEST(JournalLine, EnumsAreCaseInsensitiveAndEmptyCommissionIsAbsent) {
  Result<v1::Envelope, LineError> parsed = ParseJournalLine(
      "2026-11-25T09:03:11Z,ATM0002,balance_inquiry,Declined,0,,,\r", StandardHeader());
  ASSERT_TRUE(parsed.ok()) << parsed.error().detail;
  EXPECT_EQ(parsed->transaction().type(), AtmTransaction::BALANCE_INQUIRY);
  EXPECT_EQ(parsed->transaction().result(), AtmTransaction::DECLINED);
  EXPECT_FALSE(parsed->transaction().has_commission_yen());
}

TEST(JournalLine, QuotedFieldsMayHoldCommas) {
  Result<v1::Envelope, LineError> parsed = ParseJournalLine(
      R"("2026-11-25T09:03:11Z","ATM0003",TRANSFER,APPROVED,"5000",,0009,"ref, ""x""")",
      StandardHeader());
  ASSERT_TRUE(parsed.ok()) << parsed.error().detail;
  EXPECT_EQ(parsed->transaction().host_ref(), "ref, \"x\"");
  EXPECT_EQ(parsed->transaction().amount_yen(), 5000);
}

TEST(JournalLine, HeaderColumnsInAnotherOrderWithExtrasAndMissingOptionals) {
  Result<Header, std::string> header = ParseHeader("ATM_ID,Result,terminal_seq,Type,Time\r");
  ASSERT_TRUE(header.ok()) << header.error();
  Result<v1::Envelope, LineError> parsed =
      ParseJournalLine("ATM0009,reversed,77,withdrawal,2026-11-25T09:03:11Z", *header);
  ASSERT_TRUE(parsed.ok()) << parsed.error().detail;
  EXPECT_EQ(parsed->transaction().atm_id(), "ATM0009");
  EXPECT_EQ(parsed->transaction().result(), AtmTransaction::REVERSED);
  EXPECT_EQ(parsed->transaction().amount_yen(), 0);
  EXPECT_EQ(parsed->time_unix_ms(), 1795597391000);
}

TEST(JournalLine, HeaderWithoutRequiredColumnOrRepeatedColumnIsRefused) {
  EXPECT_FALSE(ParseHeader("time,atm_id,type").ok());
  EXPECT_FALSE(ParseHeader("time,atm_id,type,result,time").ok());
  EXPECT_FALSE(ParseHeader("time,\"atm_id,type,result").ok());
}

TEST(JournalLine, EachMalformedKindHasItsReason) {
  EXPECT_EQ(ReasonOf("2026-11-25T09:03:11Z,\"ATM0001,WITHDRAWAL,APPROVED,1,,,"), "bad_quoting");
  EXPECT_EQ(ReasonOf("2026-11-25T09:03:11Z,ATM0001,WITHDRAWAL,APPROVED"), "wrong_field_count");
  EXPECT_EQ(ReasonOf("2026-11-25 09:03,ATM0001,WITHDRAWAL,APPROVED,1,,,"), "bad_time");
  EXPECT_EQ(ReasonOf("2026-11-25T09:03:11,ATM0001,WITHDRAWAL,APPROVED,1,,,"), "bad_time");
  EXPECT_EQ(ReasonOf("2026-11-25T09:03:11Z,,WITHDRAWAL,APPROVED,1,,,"), "missing_atm_id");
  EXPECT_EQ(ReasonOf("2026-11-25T09:03:11Z,ATM0001,LOAN,APPROVED,1,,,"), "bad_type");
  EXPECT_EQ(ReasonOf("2026-11-25T09:03:11Z,ATM0001,TYPE_UNSPECIFIED,APPROVED,1,,,"), "bad_type");
  EXPECT_EQ(ReasonOf("2026-11-25T09:03:11Z,ATM0001,WITHDRAWAL,MAYBE,1,,,"), "bad_result");
  EXPECT_EQ(ReasonOf("2026-11-25T09:03:11Z,ATM0001,WITHDRAWAL,APPROVED,-5,,,"), "bad_amount");
  EXPECT_EQ(ReasonOf("2026-11-25T09:03:11Z,ATM0001,WITHDRAWAL,APPROVED,1.5,,,"), "bad_amount");
  EXPECT_EQ(ReasonOf("2026-11-25T09:03:11Z,ATM0001,WITHDRAWAL,APPROVED,1,x,,"), "bad_commission");
}

// A Shift_JIS host_ref ("\x83\x65" is katakana te) would become a protobuf
// string the daemon cannot parse: it refuses the whole Batch and the collector
// resends it forever. Such a line is malformed instead; columns the collector
// does not read may hold any bytes.
TEST(JournalLine, StringsThatAreNotUtf8AreMalformed) {
  EXPECT_EQ(ReasonOf("2026-11-25T09:03:11Z,ATM0001,WITHDRAWAL,APPROVED,1,,0005,H-\x83\x65"),
            "bad_encoding");
  EXPECT_EQ(ReasonOf("2026-11-25T09:03:11Z,ATM\xff,WITHDRAWAL,APPROVED,1,,,"), "bad_encoding");
  EXPECT_EQ(ReasonOf("2026-11-25T09:03:11Z,ATM0001,WITHDRAWAL,APPROVED,1,,\xed\xa0\x80,"),
            "bad_encoding");  // a UTF-16 surrogate

  auto header = ParseHeader("time,atm_id,type,result,site,host_ref");
  ASSERT_TRUE(header.ok());
  auto parsed = ParseJournalLine(
      "2026-11-25T09:03:11Z,ATM0001,WITHDRAWAL,APPROVED,\x90\x56\x8f\x68,\xe6\x96\xb0-1", *header);
  ASSERT_TRUE(parsed.ok()) << parsed.error().detail;
  EXPECT_EQ(parsed->transaction().host_ref(), "\xe6\x96\xb0-1");  // UTF-8 is kept as is
  v1::Envelope reparsed;
  EXPECT_TRUE(reparsed.ParseFromString(parsed->SerializeAsString()));
}

TEST(JournalLine, EveryReasonIsAKnownMetricLabel) {
  for (std::string_view reason :
       {"bad_quoting", "wrong_field_count", "bad_time", "missing_atm_id", "bad_type", "bad_result",
        "bad_amount", "bad_commission", "bad_encoding", "line_too_long", "bad_header"}) {
    EXPECT_NE(std::find(MalformedReasons().begin(), MalformedReasons().end(), reason),
              MalformedReasons().end())
        << reason;
  }
}

}  // namespace
}  // namespace atmwatch::journal
