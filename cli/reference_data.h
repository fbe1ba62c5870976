#pragma once

// Where the reference quarter table (data/trust-networks-quarters.csv) is
// found when `sim --scenario trust-networks` is given no --csv.

#include <string>

namespace atmwatch::cli {

// What --help shows: the installed location, never a build-tree path.
inline constexpr const char* kQuarterFiguresHelpPath =
    "<prefix>/share/atmwatch/trust-networks-quarters.csv";

// The installed copy beside the running executable
// (<prefix>/bin/atmwatch -> <prefix>/share/atmwatch/), else the source
// tree's data/ the binary was built from; when neither exists, the
// installed path, so the error names where the file belongs.
std::string DefaultQuarterFiguresPath();

}  // namespace atmwatch::cli
