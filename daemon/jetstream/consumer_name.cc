#include "jetstream/consumer_name.h"

namespace atmwatch::jetstream {

std::string ConsumerName(std::string_view durable, std::string_view subject) {
  std::string name(durable);
  name += '_';
  for (const char c : subject) {
    switch (c) {
      case '.':
        name += '_';
        break;
      case '*':
        name += "any";
        break;
      case '>':
        name += "all";
        break;
      default:
        name += c;
    }
  }
  return name;
}

}  // namespace atmwatch::jetstream
