#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

#include "atmwatch/v1/events.pb.h"
#include "common/result.h"

// One ATM host journal line → one AtmTransaction. The columns (named by the
// file's header line, any order, names case-insensitive, unknown ones
// ignored) are documented in collectors/journal/README.md. Pure: no I/O, no
// clock, so a line always parses the same way — the exactly-once resend
// depends on that.
namespace atmwatch::journal {

// Where each known column sits in a record; npos when the header lacks it.
struct Header {
  static constexpr std::size_t kAbsent = static_cast<std::size_t>(-1);
  std::size_t time = kAbsent;
  std::size_t atm_id = kAbsent;
  std::size_t type = kAbsent;
  std::size_t result = kAbsent;
  std::size_t amount_yen = kAbsent;
  std::size_t commission_yen = kAbsent;
  std::size_t issuer = kAbsent;
  std::size_t host_ref = kAbsent;
  std::size_t columns = 0;
};

// Why a line was not turned into an event: `reason` is one of
// MalformedReasons() (a bounded metric label), `detail` names the value.
struct LineError {
  std::string_view reason;
  std::string detail;
};

// The header line; an error names the missing or repeated column.
Result<Header, std::string> ParseHeader(std::string_view line);

Result<v1::Envelope, LineError> ParseJournalLine(std::string_view line, const Header& header);

// Every reason ParseJournalLine and the reader report, for metrics set up
// front: the parser's own, plus "line_too_long" and "bad_header" (a data
// line of a file whose header did not parse).
const std::array<std::string_view, 11>& MalformedReasons();

}  // namespace atmwatch::journal
