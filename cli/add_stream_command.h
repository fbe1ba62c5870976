#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace atmwatch::cli {

struct AddStreamOptions {
  std::string servers;  // one URL, or several separated by commas
  std::string stream = "ATMWATCH";
  std::vector<std::string> subjects = {"atmwatch.events.>"};
  int replicas = 1;             // copies on as many servers of a cluster, 1 to 5
  std::string max_age = "0";    // a duration ("30d"); 0 keeps messages however old
  std::string max_bytes = "0";  // a byte size ("64GiB"); 0 is no limit
};

// `atmwatch add-stream`: creates a file-backed JetStream stream for the
// daemons to consume (exit 0 also when it exists with the same settings).
int RunAddStream(const AddStreamOptions& options);

}  // namespace atmwatch::cli
