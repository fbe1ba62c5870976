#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "common/status.h"

namespace atmwatch::journal {

// Asks atmwatchd (ingest port, HOST:PORT) which seq it expects next from
// `source_id` by sending the empty seq-0 Batch. A collector without a state
// file needs this before it writes down its first round: numbering from 1
// would turn a reused source id's new lines into "duplicates". Blocking,
// bounded by `timeout` per connect/send/receive.
Status QueryNextSeq(const std::string& address, const std::string& source_id,
                    std::chrono::milliseconds timeout, std::uint64_t* next_seq);

}  // namespace atmwatch::journal
