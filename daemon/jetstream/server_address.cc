#include "jetstream/server_address.h"

namespace atmwatch::jetstream {

std::string ServerAddress(std::string_view url) {
  if (const auto scheme = url.find("://"); scheme != std::string_view::npos) {
    url.remove_prefix(scheme + 3);
  }
  if (const auto at = url.rfind('@'); at != std::string_view::npos) url.remove_prefix(at + 1);
  if (const auto slash = url.find('/'); slash != std::string_view::npos) url = url.substr(0, slash);
  return std::string(url);
}

}  // namespace atmwatch::jetstream
