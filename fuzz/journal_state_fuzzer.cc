// Fuzz target: atmwatch-journal's state file (ParseState), read at start-up
// and written after every acknowledged round.
//
// Invariants besides "no crash, no leak, no undefined behaviour": a state
// that parses serializes to text that parses back to the same state (the
// collector rewrites the file from what it read), and an error names what is
// wrong.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_check.h"
#include "journal/journal_state.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  QuietProtobufLog();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto state = atmwatch::journal::ParseState(text);
  if (!state.ok()) {
    FUZZ_CHECK(!state.error().empty());
    return 0;
  }
  const std::string written = atmwatch::journal::SerializeState(*state);
  const auto again = atmwatch::journal::ParseState(written);
  FUZZ_CHECK(again.ok());
  FUZZ_CHECK(atmwatch::journal::SerializeState(*again) == written);
  FUZZ_CHECK(again->source_id == state->source_id);
  FUZZ_CHECK(again->next_seq == state->next_seq);
  FUZZ_CHECK(again->files.size() == state->files.size());
  return 0;
}
