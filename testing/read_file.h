#pragma once

#include <filesystem>
#include <string>

namespace atmwatch::testing {

// The whole file as it is now; empty when it cannot be read.
std::string ReadFile(const std::filesystem::path& path);

}  // namespace atmwatch::testing
