// Fuzz target: an ATM host journal file as atmwatch-journal reads it.
// ReadCompleteLines cuts the file into lines, the first line is the header
// (ParseHeader) and every other non-blank line goes through
// ParseJournalLine, as JournalCollector does.
//
// Invariants besides "no crash, no leak, no undefined behaviour":
//  - the lines visited, each with its '\n', are exactly the file's bytes up
//    to *end, and *end is just past a '\n' (a line still being written is
//    left for later);
//  - parsing is pure: a line parses the same way twice (the exactly-once
//    resend after a crash depends on it);
//  - a malformed line's reason is one of MalformedReasons();
//  - an accepted line gives a transaction with a positive time, an ATM id,
//    a known type and result and amounts >= 0, which the daemon can parse;
//  - any CSV record split into fields, written back with every field quoted,
//    splits into the same fields.

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_check.h"
#include "journal/csv_fields.h"
#include "journal/journal_line.h"
#include "journal/line_reader.h"

namespace {

using atmwatch::journal::Header;
using atmwatch::v1::AtmTransaction;

constexpr std::size_t kMaxLineBytes = 512;

bool IsBlank(std::string_view line) {
  return line.find_first_not_of(" \t\r") == std::string_view::npos;
}

std::string QuoteAll(const std::vector<std::string>& fields) {
  std::string out;
  for (std::size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) out += ',';
    out += '"';
    for (char c : fields[i]) {
      if (c == '"') out += '"';
      out += c;
    }
    out += '"';
  }
  return out;
}

void CheckCsvRoundTrip(std::string_view line) {
  std::vector<std::string> fields;
  if (!atmwatch::journal::SplitCsvRecord(line, &fields)) return;
  FUZZ_CHECK(!fields.empty());
  std::vector<std::string> again;
  FUZZ_CHECK(atmwatch::journal::SplitCsvRecord(QuoteAll(fields), &again));
  FUZZ_CHECK(again == fields);
}

void CheckLine(std::string_view line, const Header& header) {
  const auto event = atmwatch::journal::ParseJournalLine(line, header);
  const auto again = atmwatch::journal::ParseJournalLine(line, header);
  FUZZ_CHECK(event.ok() == again.ok());
  if (!event.ok()) {
    const auto& reasons = atmwatch::journal::MalformedReasons();
    FUZZ_CHECK(std::find(reasons.begin(), reasons.end(), event.error().reason) != reasons.end());
    FUZZ_CHECK(event.error().reason == again.error().reason);
    FUZZ_CHECK(event.error().detail == again.error().detail);
    return;
  }
  FUZZ_CHECK(event->SerializeAsString() == again->SerializeAsString());
  // The daemon must be able to parse what the collector sends.
  atmwatch::v1::Envelope received;
  FUZZ_CHECK(received.ParseFromString(event->SerializeAsString()));
  FUZZ_CHECK(event->time_unix_ms() > 0);
  const AtmTransaction& tx = event->transaction();
  FUZZ_CHECK(!tx.atm_id().empty());
  FUZZ_CHECK(tx.type() != AtmTransaction::TYPE_UNSPECIFIED &&
             AtmTransaction::Type_IsValid(tx.type()));
  FUZZ_CHECK(tx.result() != AtmTransaction::RESULT_UNSPECIFIED &&
             AtmTransaction::Result_IsValid(tx.result()));
  FUZZ_CHECK(tx.amount_yen() >= 0);
  FUZZ_CHECK(!tx.has_commission_yen() || tx.commission_yen() >= 0);
}

// The file's bytes behind a descriptor, as the collector has them.
int MemoryFile(const std::uint8_t* data, std::size_t size) {
  const int fd = memfd_create("journal", MFD_CLOEXEC);
  FUZZ_CHECK(fd >= 0);
  for (std::size_t written = 0; written < size;) {
    const ssize_t n = write(fd, data + written, size - written);
    FUZZ_CHECK(n > 0);
    written += static_cast<std::size_t>(n);
  }
  return fd;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  QuietProtobufLog();
  const std::string_view file(reinterpret_cast<const char*>(data), size);
  const int fd = MemoryFile(data, size);
  atmwatch::journal::LineLimits limits;
  limits.max_line_bytes = kMaxLineBytes;

  std::size_t position = 0;
  std::size_t line_number = 0;
  std::optional<Header> header;
  std::uint64_t end = 0;
  const atmwatch::Status status = atmwatch::journal::ReadCompleteLines(
      fd, 0, limits,
      [&](std::string_view line, bool too_long) {
        const std::size_t newline = file.find('\n', position);
        FUZZ_CHECK(newline != std::string_view::npos);
        const std::string_view expected = file.substr(position, newline - position);
        position = newline + 1;
        const bool first = ++line_number == 1;
        if (too_long) {
          FUZZ_CHECK(line.empty() && expected.size() > kMaxLineBytes);
          return;
        }
        FUZZ_CHECK(line == expected);
        CheckCsvRoundTrip(line);
        if (first) {
          const auto parsed = atmwatch::journal::ParseHeader(line);
          if (parsed.ok()) {
            header = *parsed;
            FUZZ_CHECK(header->time < header->columns && header->atm_id < header->columns);
          } else {
            FUZZ_CHECK(!parsed.error().empty());
          }
          return;
        }
        if (header && !IsBlank(line)) CheckLine(line, *header);
      },
      &end);
  close(fd);
  FUZZ_CHECK(status.ok());
  FUZZ_CHECK(end == position);
  FUZZ_CHECK(end <= size && (end == 0 || file[end - 1] == '\n'));
  FUZZ_CHECK(file.find('\n', end) == std::string_view::npos);
  return 0;
}
