#include "cli/reference_data.h"

#include <filesystem>
#include <system_error>

namespace atmwatch::cli {
namespace {

constexpr const char* kFileName = "trust-networks-quarters.csv";

}  // namespace

std::string DefaultQuarterFiguresPath() {
  namespace fs = std::filesystem;
  std::error_code error;
  const fs::path exe = fs::read_symlink("/proc/self/exe", error);
  const fs::path installed =
      error ? fs::path(ATMWATCH_INSTALL_DATA_DIR) / kFileName
            : exe.parent_path().parent_path() / ATMWATCH_INSTALL_DATA_DIR / kFileName;
  if (fs::is_regular_file(installed, error)) return installed.string();
  const fs::path source_tree = fs::path(ATMWATCH_SOURCE_DATA_DIR) / kFileName;
  if (fs::is_regular_file(source_tree, error)) return source_tree.string();
  return installed.string();
}

}  // namespace atmwatch::cli
