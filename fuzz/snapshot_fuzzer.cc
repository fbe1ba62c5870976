// Fuzz target: snapshot files (wal/snapshot_file.h) and what recovery does
// with the payload of one that verifies: parse it as a DaemonSnapshot and
// restore the engine from it (DurableState::Recover).
//
// The input is used twice: as a whole snapshot file found on disk
// (DecodeSnapshot), and as a payload wrapped in a valid header, so the
// fuzzer reaches the DaemonSnapshot and engine parsing behind the checksums.
//
// Invariants besides "no crash, no leak, no undefined behaviour":
//  - a file that verifies is exactly EncodeSnapshot(lsn, payload);
//  - EncodeSnapshot's output always verifies, and any single flipped bit
//    makes it fail;
//  - an engine restored from any bytes serializes to a state that restores
//    to itself byte for byte (a snapshot of a restored daemon is stable).

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "daemon_snapshot.pb.h"
#include "engine/engine.h"
#include "fuzz_check.h"
#include "wal/snapshot_file.h"

namespace {

using atmwatch::wal::DecodeSnapshot;
using atmwatch::wal::EncodeSnapshot;

atmwatch::engine::Engine NewEngine() {
  return atmwatch::engine::Engine(
      {{"ATM0001", "Parlor Shinjuku 1", "kanto", "2008-05-01", "819012345678", "docomo"}}, 16);
}

void CheckRestore(std::string_view payload) {
  atmwatch::durability::DaemonSnapshot snapshot;
  if (!snapshot.ParseFromArray(payload.data(), static_cast<int>(payload.size()))) return;
  atmwatch::engine::Engine engine = NewEngine();
  if (!engine.RestoreState(snapshot.engine())) return;
  const std::string state = engine.SerializeState();
  atmwatch::engine::Engine again = NewEngine();
  FUZZ_CHECK(again.RestoreState(state));
  FUZZ_CHECK(again.SerializeState() == state);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  QuietProtobufLog();
  const std::string_view input(reinterpret_cast<const char*>(data), size);

  std::uint64_t lsn = 0;
  std::string_view payload;
  const std::string damage = DecodeSnapshot(input, &lsn, &payload);
  if (damage.empty()) {
    FUZZ_CHECK(EncodeSnapshot(lsn, payload) == input);
    CheckRestore(payload);
  }

  const std::uint64_t wrapped_lsn = size * 7919;
  const std::string file = EncodeSnapshot(wrapped_lsn, input);
  FUZZ_CHECK(file.size() == atmwatch::wal::kSnapshotHeaderSize + size);
  std::uint64_t decoded_lsn = 0;
  std::string_view decoded;
  FUZZ_CHECK(DecodeSnapshot(file, &decoded_lsn, &decoded).empty());
  FUZZ_CHECK(decoded_lsn == wrapped_lsn && decoded == input);
  if (size > 0) {
    std::string flipped = file;
    const std::size_t bit = (data[0] * 131 + size) % (flipped.size() * 8);
    flipped[bit / 8] = static_cast<char>(flipped[bit / 8] ^ (1 << (bit % 8)));
    FUZZ_CHECK(!DecodeSnapshot(flipped, &decoded_lsn, &decoded).empty());
  }
  CheckRestore(input);
  return 0;
}
