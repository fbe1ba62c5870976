#pragma once

#include <string>

#include "common/status.h"

namespace atmwatch::cli {

struct HttpReply {
  long status = 0;
  std::string body;
};

// A blocking GET with a 30 s timeout. The Status is an error only when no
// HTTP answer came (refused, timed out); any answer, 4xx included, is ok.
Status HttpGet(const std::string& url, HttpReply* reply);

}  // namespace atmwatch::cli
