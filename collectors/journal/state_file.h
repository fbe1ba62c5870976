#pragma once

#include <string>

#include "common/status.h"
#include "journal/journal_state.h"

namespace atmwatch::journal {

// Replaces `path` with `state` atomically: written to "<path>.tmp", fsynced,
// renamed over `path`, and the directory fsynced, so after a crash the file
// holds either the old or the new state, never a mix. Not thread-safe for
// one path.
Status WriteStateFile(const std::string& path, const JournalState& state);

// Reads `path`; *exists is false (and OK returned) when there is none yet.
// A file that does not parse is an error naming the path and the line.
Status ReadStateFile(const std::string& path, JournalState* state, bool* exists);

}  // namespace atmwatch::journal
