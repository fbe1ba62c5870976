#include "testing/read_file.h"

#include <fstream>
#include <sstream>

namespace atmwatch::testing {

std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace atmwatch::testing
