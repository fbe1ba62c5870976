// The ingest path end to end: the real atmwatchd on loopback, fed by the
// client library, raw sockets, curl and the atmwatch CLI; /metrics checked by
// value and by promtool.

#include <gtest/gtest.h>

#include <atomic>
#include <fstream>
#include <map>
#include <thread>

#include "client/ingest_client.h"
#include "testing/daemon_process.h"
#include "testing/http_fetch.h"
#include "testing/raw_connection.h"
#include "testing/test_events.h"
#include "testing/tool_run.h"

namespace atmwatch::testing {
namespace {

using v1::AtmTransaction;

const char* kInventory = R"(
atms:
  - {id: ATM0001, site: "Parlor Shinjuku 1", region: kanto, line_id: "819000000001", carrier: docomo}
  - {id: ATM0002, site: "Parlor Umeda 1", region: kansai, line_id: "819000000002", carrier: docomo}
  - {id: ATM0003, site: "Shop Sakae 1", region: chubu, line_id: "819000000003", carrier: emobile}
ingest: {max_unknown_atms: 2}
)";

v1::Envelope Transaction(const std::string& atm, AtmTransaction::Type type,
                         AtmTransaction::Result result) {
  v1::Envelope e;
  e.set_time_unix_ms(NowMs());
  auto* tx = e.mutable_transaction();
  tx->set_atm_id(atm);
  tx->set_type(type);
  tx->set_result(result);
  tx->set_amount_yen(type == AtmTransaction::BALANCE_INQUIRY ? 0 : 10000);
  return e;
}

std::string Scrape(const DaemonProcess& daemon) {
  return HttpGet(daemon.http_base() + "/metrics").body;
}

// A raw TCP connection to the ingest port, for bytes no client would send.
std::string Delimited(const google::protobuf::MessageLite& message) {
  std::string payload = message.SerializeAsString();
  std::string out;
  std::size_t n = payload.size();
  do {
    std::uint8_t byte = n & 0x7f;
    n >>= 7;
    if (n) byte |= 0x80;
    out.push_back(static_cast<char>(byte));
  } while (n);
  return out + payload;
}

class IngestE2eTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_TRUE(daemon_.Start()) << daemon_.log(); }

  client::ClientOptions ClientFor(const std::string& source) {
    client::ClientOptions options;
    options.address = daemon_.ingest_address();
    options.source_id = source;
    options.max_batch_events = 100;
    options.give_up_after = std::chrono::seconds(20);
    return options;
  }

  DaemonProcess daemon_{kInventory};
};

TEST_F(IngestE2eTest, ClientStreamIsAcknowledgedAndCountedExactly) {
  std::map<std::string, int> expected;  // series → count
  client::IngestClient client(ClientFor("e2e-client"));
  const std::vector<std::pair<AtmTransaction::Type, AtmTransaction::Result>> shapes = {
      {AtmTransaction::WITHDRAWAL, AtmTransaction::APPROVED},
      {AtmTransaction::WITHDRAWAL, AtmTransaction::DECLINED},
      {AtmTransaction::BALANCE_INQUIRY, AtmTransaction::APPROVED},
      {AtmTransaction::WITHDRAWAL, AtmTransaction::REVERSED},
      {AtmTransaction::DEPOSIT, AtmTransaction::ERROR}};
  const char* type_names[] = {"", "withdrawal", "balance_inquiry", "deposit", "transfer"};
  const char* result_names[] = {"", "approved", "declined", "error", "reversed"};
  for (int i = 0; i < 1000; ++i) {
    const std::string atm = "ATM000" + std::to_string(1 + i % 3);
    const auto [type, result] = shapes[(i * 7) % shapes.size()];
    ++expected[TransactionSeries(atm, type_names[type], result_names[result])];
    ASSERT_TRUE(client.Add(Transaction(atm, type, result)).ok());
  }
  auto bad = Transaction("ATM0001", AtmTransaction::WITHDRAWAL, AtmTransaction::APPROVED);
  bad.set_time_unix_ms(NowMs() + 3600 * 1000);  // an hour in the future
  ASSERT_TRUE(client.Add(bad).ok());
  ASSERT_TRUE(client.Flush().ok());

  EXPECT_EQ(client.totals().accepted, 1000u);
  EXPECT_EQ(client.totals().rejected, 1u);
  EXPECT_EQ(client.totals().batches, 11u);
  const std::string metrics = Scrape(daemon_);
  for (const auto& [series, count] : expected) {
    EXPECT_EQ(SampleValue(metrics, series), count) << series;
  }
  EXPECT_EQ(
      SampleValue(metrics, R"(atmwatch_ingest_events_total{kind="transaction",result="accepted"})"),
      1000);
  EXPECT_EQ(
      SampleValue(metrics, R"(atmwatch_ingest_events_total{kind="transaction",result="rejected"})"),
      1);
  EXPECT_EQ(
      SampleValue(
          metrics,
          R"(atmwatch_ingest_events_rejected_total{kind="transaction",reason="future_event"})"),
      1);
  // Inventory ATMs have all their series from the start, even unused ones.
  EXPECT_EQ(SampleValue(metrics, TransactionSeries("ATM0003", "transfer", "approved")), 0);
  EXPECT_EQ(
      SampleValue(
          metrics,
          R"(atmwatch_atm_info{atm_id="ATM0002",site="Parlor Umeda 1",region="kansai",line_id="819000000002",carrier="docomo"})"),
      1);
}

TEST_F(IngestE2eTest, RetriedBatchIsAcknowledgedAsDuplicateAndCountedOnce) {
  v1::Batch batch;
  batch.set_source_id("retrying-source");
  batch.set_seq(1);
  for (int i = 0; i < 5; ++i) {
    *batch.add_events() =
        Transaction("ATM0002", AtmTransaction::WITHDRAWAL, AtmTransaction::APPROVED);
  }
  for (int attempt = 0; attempt < 3; ++attempt) {
    const HttpResult posted = HttpPost(daemon_.http_base() + "/v1/events", "application/x-protobuf",
                                       batch.SerializeAsString());
    ASSERT_EQ(posted.status, 200);
    v1::Ack ack;
    ASSERT_TRUE(ack.ParseFromString(posted.body));
    EXPECT_EQ(ack.accepted(), attempt == 0 ? 5u : 0u);
    EXPECT_EQ(ack.duplicates(), attempt == 0 ? 0u : 5u);
    EXPECT_EQ(ack.next_seq(), 2u);
  }
  EXPECT_EQ(SampleValue(Scrape(daemon_), TransactionSeries("ATM0002", "withdrawal", "approved")),
            5);
}

TEST_F(IngestE2eTest, CurlPostsCanonicalJson) {
  const std::string body = R"({"sourceId": "curl", "seq": "1", "events": [
    {"timeUnixMs": ")" + std::to_string(NowMs()) +
                           R"(", "transaction": {"atmId": "ATM0003",
     "type": "WITHDRAWAL", "result": "APPROVED", "amountYen": "20000"}},
    {"timeUnixMs": ")" + std::to_string(NowMs()) +
                           R"(", "transaction": {"atmId": "ATM0003",
     "type": "WITHDRAWAL", "result": "APPROVED", "amountYen": "-1"}}]})";
  const ToolResult curl =
      RunTool({"curl", "-sS", "-X", "POST", "-H", "Content-Type: application/json", "--data-binary",
               "@-", daemon_.http_base() + "/v1/events"},
              body);
  ASSERT_EQ(curl.exit_code, 0) << curl.output;
  EXPECT_NE(curl.output.find(R"("accepted":1)"), std::string::npos) << curl.output;
  EXPECT_NE(curl.output.find(R"("reason":"bad_amount")"), std::string::npos) << curl.output;
  EXPECT_EQ(SampleValue(Scrape(daemon_), TransactionSeries("ATM0003", "withdrawal", "approved")),
            1);

  const ToolResult garbage = RunTool({"curl", "-sS", "-o", "/dev/null", "-w", "%{http_code}", "-X",
                                      "POST", "-H", "Content-Type: application/json", "--data",
                                      "{not json", daemon_.http_base() + "/v1/events"});
  EXPECT_EQ(garbage.output, "400");
  EXPECT_EQ(
      SampleValue(
          Scrape(daemon_),
          R"(atmwatch_ingest_frames_rejected_total{reason="unparsable_batch",transport="http"})"),
      1);
}

// One rule for enums: a misspelled name and an out-of-range number are both
// refused per event (200 with the rejections, the rest applied), each
// naming the values to write.
TEST_F(IngestE2eTest, MisspelledEnumNameAndUnknownNumberAreRefusedPerEvent) {
  const std::string now = std::to_string(NowMs());
  const std::string body = R"({"sourceId": "curl-enums", "seq": "1", "events": [
    {"timeUnixMs": ")" + now +
                           R"(", "transaction": {"atmId": "ATM0004",
     "type": "WITHDRAWAL", "result": "APPROVED", "amountYen": "10000"}},
    {"timeUnixMs": ")" + now +
                           R"(", "transaction": {"atmId": "ATM0004",
     "type": "WITHDRAWL", "result": "APPROVED", "amountYen": "10000"}},
    {"timeUnixMs": ")" + now +
                           R"(", "transaction": {"atmId": "ATM0004",
     "type": 42, "result": "APPROVED", "amountYen": "10000"}}]})";
  const ToolResult curl = RunTool(
      {"curl", "-sS", "-w", "\n%{http_code}", "-X", "POST", "-H", "Content-Type: application/json",
       "--data-binary", "@-", daemon_.http_base() + "/v1/events"},
      body);
  ASSERT_EQ(curl.exit_code, 0) << curl.output;
  EXPECT_TRUE(curl.output.ends_with("\n200")) << curl.output;
  EXPECT_NE(curl.output.find(R"("accepted":1)"), std::string::npos) << curl.output;
  EXPECT_NE(curl.output.find(R"(transaction.type \"WITHDRAWL\" is not a known type; valid: )"
                             R"(WITHDRAWAL, )"),
            std::string::npos)
      << curl.output;
  EXPECT_NE(curl.output.find("transaction.type 42 is not a known type; valid: WITHDRAWAL, "),
            std::string::npos)
      << curl.output;
  EXPECT_EQ(
      SampleValue(Scrape(daemon_),
                  R"(atmwatch_ingest_events_rejected_total{kind="transaction",reason="bad_enum"})"),
      2);
}

TEST_F(IngestE2eTest, NonUtf8JsonBodyIsDescribedNotEchoed) {
  const std::string body = std::string(R"({"sourceId": "x)") + "\xff\xfe" + R"("})";
  const ToolResult curl = RunTool(
      {"curl", "-sS", "-w", "\n%{http_code}", "-X", "POST", "-H", "Content-Type: application/json",
       "--data-binary", "@-", daemon_.http_base() + "/v1/events"},
      body);
  ASSERT_EQ(curl.exit_code, 0) << curl.output;
  EXPECT_TRUE(curl.output.ends_with("\n400")) << curl.output;
  EXPECT_NE(curl.output.find("the body is not valid UTF-8 at byte 15"), std::string::npos)
      << curl.output;
  EXPECT_EQ(curl.output.find('\xff'), std::string::npos) << curl.output;
}

// Protobuf's own complaint about a body (a string field that is not UTF-8)
// goes through the daemon's logger at debug level, not as a raw
// "[libprotobuf ERROR ...]" line; the 400 and the counter say what happened.
TEST_F(IngestE2eTest, BadProtobufBodyWritesNoRawProtobufLine) {
  const std::string body("\x0a\x02\xff\xfe", 4);  // source_id: two bytes, not UTF-8
  const HttpResult posted =
      HttpPost(daemon_.http_base() + "/v1/events", "application/x-protobuf", body);
  EXPECT_EQ(posted.status, 400);
  EXPECT_EQ(
      SampleValue(
          Scrape(daemon_),
          R"(atmwatch_ingest_frames_rejected_total{reason="unparsable_batch",transport="http"})"),
      1);
  EXPECT_EQ(daemon_.log().find("[libprotobuf"), std::string::npos) << daemon_.log();
}

TEST_F(IngestE2eTest, PromtoolFindsNothingWrongWithMetrics) {
  ASSERT_TRUE(HaveTool("promtool")) << "promtool (Debian package prometheus) is required";
  client::IngestClient client(ClientFor("promtool-check"));
  ASSERT_TRUE(
      client.Add(Transaction("ATM0001", AtmTransaction::WITHDRAWAL, AtmTransaction::APPROVED))
          .ok());
  ASSERT_TRUE(
      client.Add(Transaction("UNKNOWN9", AtmTransaction::WITHDRAWAL, AtmTransaction::APPROVED))
          .ok());
  ASSERT_TRUE(client.Flush().ok());
  const HttpResult scraped = HttpGet(daemon_.http_base() + "/metrics");
  ASSERT_EQ(scraped.status, 200);
  EXPECT_EQ(scraped.content_type, "text/plain; version=0.0.4; charset=utf-8");
  const ToolResult check = RunTool({"promtool", "check", "metrics"}, scraped.body);
  EXPECT_EQ(check.exit_code, 0) << check.output;
  EXPECT_EQ(check.output, "") << check.output;
}

TEST_F(IngestE2eTest, UnknownAtmsBeyondTheCapAreRejectedNotTurnedIntoSeries) {
  client::IngestClient client(ClientFor("unknown-atms"));
  for (const char* atm : {"NEW1", "NEW2", "NEW3", "NEW4"}) {
    ASSERT_TRUE(
        client.Add(Transaction(atm, AtmTransaction::WITHDRAWAL, AtmTransaction::APPROVED)).ok());
  }
  ASSERT_TRUE(client.Flush().ok());
  EXPECT_EQ(client.totals().accepted, 2u);
  EXPECT_EQ(client.totals().rejected, 2u);
  const std::string metrics = Scrape(daemon_);
  EXPECT_EQ(SampleValue(metrics, TransactionSeries("NEW2", "withdrawal", "approved")), 1);
  EXPECT_EQ(SampleValue(metrics, TransactionSeries("NEW3", "withdrawal", "approved")), -1);
  EXPECT_EQ(
      SampleValue(
          metrics,
          R"(atmwatch_ingest_events_rejected_total{kind="transaction",reason="unknown_atm_cap"})"),
      2);
}

// Garbage on one connection closes that connection only; a good client on
// another connection gets every ack, and each rejection is counted.
TEST_F(IngestE2eTest, GarbageOnOneConnectionLeavesTheOthersAlone) {
  std::atomic<bool> good_done{false};
  client::ClientTotals good_totals;
  Status good_status;
  std::thread good([&] {
    client::ClientOptions options = ClientFor("good-neighbour");
    options.max_batch_events = 10;
    client::IngestClient client(options);
    for (int i = 0; i < 500 && good_status.ok(); ++i) {
      good_status =
          client.Add(Transaction("ATM0001", AtmTransaction::DEPOSIT, AtmTransaction::APPROVED));
      // Pacing, not waiting: the good client's batches interleave with the
      // garbage of the other connection instead of finishing first.
      if (i % 50 == 0) std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (good_status.ok()) good_status = client.Flush();
    good_totals = client.totals();
    good_done = true;
  });

  RawConnection unparsable(daemon_.ingest_address());
  ASSERT_TRUE(unparsable.connected());
  ASSERT_TRUE(unparsable.Write(std::string("\x05\xff\xff\xff\xff\xff", 6)));
  EXPECT_TRUE(unparsable.ClosedByPeer());

  RawConnection oversized(daemon_.ingest_address());
  ASSERT_TRUE(oversized.Write(std::string("\xff\xff\xff\x7f", 4)));  // ~268 MB announced
  EXPECT_TRUE(oversized.ClosedByPeer());

  RawConnection bad_prefix(daemon_.ingest_address());
  ASSERT_TRUE(bad_prefix.Write(std::string(6, '\x80')));
  EXPECT_TRUE(bad_prefix.ClosedByPeer());

  good.join();
  ASSERT_TRUE(good_status.ok()) << good_status.message();
  EXPECT_EQ(good_totals.accepted, 500u);
  EXPECT_EQ(good_totals.reconnects, 0u);

  const std::string metrics = Scrape(daemon_);
  EXPECT_EQ(
      SampleValue(
          metrics,
          R"(atmwatch_ingest_frames_rejected_total{reason="unparsable_batch",transport="tcp"})"),
      1);
  EXPECT_EQ(
      SampleValue(
          metrics,
          R"(atmwatch_ingest_frames_rejected_total{reason="frame_too_large",transport="tcp"})"),
      1);
  EXPECT_EQ(
      SampleValue(
          metrics,
          R"(atmwatch_ingest_frames_rejected_total{reason="bad_length_prefix",transport="tcp"})"),
      1);
  EXPECT_EQ(SampleValue(metrics, TransactionSeries("ATM0001", "deposit", "approved")), 500);
  EXPECT_EQ(HttpGet(daemon_.http_base() + "/healthz").status, 200);
}

// A peer that streams batches and never reads its acks is held back by TCP:
// the daemon stops reading from it instead of buffering without bound, and
// other sources carry on.
TEST_F(IngestE2eTest, PeerThatNeverReadsAcksIsHeldBackNotBuffered) {
  // A small receive buffer: unread acks fill it after thousands of batches,
  // not millions.
  RawConnection hog(daemon_.ingest_address(),
                    {.receive_buffer_bytes = 4096, .timeout = std::chrono::milliseconds(200)});
  ASSERT_TRUE(hog.connected());
  // Batches that skip ahead are answered at once, without waiting for the
  // log, so the unread acks pile up quickly. Keep writing until a write
  // waits longer than the timeout: the daemon takes no more.
  constexpr std::uint64_t kMaxFrames = 1000000;
  std::uint64_t sent = 0;
  for (; sent < kMaxFrames; ++sent) {
    v1::Batch batch;
    batch.set_source_id("hog");
    batch.set_seq(1000000 + sent);
    *batch.add_events() =
        Transaction("ATM0002", AtmTransaction::BALANCE_INQUIRY, AtmTransaction::APPROVED);
    if (!hog.Write(Delimited(batch))) break;
  }
  EXPECT_LT(sent, kMaxFrames) << "the daemon kept reading from a peer that reads no acks";

  client::IngestClient client(ClientFor("bystander"));
  ASSERT_TRUE(
      client.Add(Transaction("ATM0003", AtmTransaction::WITHDRAWAL, AtmTransaction::APPROVED))
          .ok());
  ASSERT_TRUE(client.Flush().ok());
  EXPECT_EQ(client.totals().accepted, 1u);
  // Held back, not dropped: well within the write timeout it is still open.
  EXPECT_FALSE(hog.ClosedByPeer());
}

TEST_F(IngestE2eTest, SendCommandReportsRejectedLinesAndExitsNonZero) {
  const std::string now = std::to_string(NowMs());
  const std::string input =
      R"({"timeUnixMs": ")" + now +
      R"(", "transaction": {"atmId": "ATM0001", "type": "WITHDRAWAL", "result": "APPROVED", "amountYen": "10000"}})"
      "\n"
      "\n"
      R"({"timeUnixMs": ")" +
      now +
      R"(", "transaction": {"atmId": "ATM0001", "type": "WITHDRAWAL"}})"
      "\n"
      "this is not json\n"
      R"({"timeUnixMs": ")" +
      now +
      R"(", "status": {"atmId": "ATM0001", "heartbeat": true}})"
      "\n";
  const ToolResult sent = RunTool(
      {ATMWATCH_CLI_PATH, "send", "--ingest", daemon_.ingest_address(), "--source-id", "cli-test"},
      input);
  EXPECT_EQ(sent.exit_code, 1) << sent.output;
  EXPECT_NE(sent.output.find("2 accepted, 0 duplicate, 2 rejected"), std::string::npos)
      << sent.output;
  EXPECT_NE(sent.output.find("line 3: bad_enum"), std::string::npos) << sent.output;
  EXPECT_NE(sent.output.find("line 4: not an Envelope in JSON"), std::string::npos) << sent.output;

  const std::string good = R"({"timeUnixMs": ")" + now +
                           R"(", "status": {"atmId": "ATM0002", "state": "IN_SERVICE"}})"
                           "\n"
                           R"({"timeUnixMs": ")" +
                           now +
                           R"(", "cash": {"atmId": "ATM0002", "kind": "REPLENISHMENT", )"
                           R"("cassettes": [{"denominationYen": 10000, "notes": 500}, )"
                           R"({"denominationYen": 1000, "notes": 800}], "costYen": "18000"}})"
                           "\n";
  const ToolResult clean =
      RunTool({ATMWATCH_CLI_PATH, "send", "--ingest", daemon_.ingest_address()}, good);
  EXPECT_EQ(clean.exit_code, 0) << clean.output;
  EXPECT_NE(clean.output.find("2 accepted, 0 duplicate, 0 rejected"), std::string::npos)
      << clean.output;
  EXPECT_EQ(SampleValue(HttpGet(daemon_.http_base() + "/metrics").body,
                        "atmwatch_atm_cash_remaining_yen{atm_id=\"ATM0002\"}"),
            500 * 10000 + 800 * 1000);
}

}  // namespace
}  // namespace atmwatch::testing
