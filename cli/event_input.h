#pragma once

#include <fstream>
#include <istream>
#include <string>

namespace atmwatch::cli {

// The JSON-lines input of `atmwatch send`: standard input for "-",
// otherwise the named file, opened into `file`. nullptr (after saying so
// on stderr) when the file cannot be read.
std::istream* OpenEventInput(const std::string& path, std::ifstream& file);

}  // namespace atmwatch::cli
