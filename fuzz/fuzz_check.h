#pragma once

// Invariant checks for fuzz targets. A failed check prints what broke and
// aborts, which libFuzzer (and the corpus replay in the default build)
// reports as a crash with the input that caused it. Unlike assert, these stay
// on in release builds.

#include <google/protobuf/stubs/logging.h>

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(condition)                                                                \
  do {                                                                                       \
    if (!(condition)) {                                                                      \
      std::fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #condition); \
      std::abort();                                                                          \
    }                                                                                        \
  } while (false)

// Protobuf logs every string field it refuses as invalid UTF-8; fuzzing makes
// thousands. The targets check the outcomes themselves, so silence the log
// once, from the first input on.
inline void QuietProtobufLog() {
  static const bool quiet = [] {
    google::protobuf::SetLogHandler(nullptr);
    return true;
  }();
  (void)quiet;
}
