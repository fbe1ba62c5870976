#include "cli/event_input.h"

#include <iostream>

namespace atmwatch::cli {

std::istream* OpenEventInput(const std::string& path, std::ifstream& file) {
  if (path == "-") return &std::cin;
  file.open(path);
  if (!file) {
    std::cerr << "atmwatch send: cannot read " << path << "\n";
    return nullptr;
  }
  return &file;
}

}  // namespace atmwatch::cli
