#pragma once

#include <string>

namespace atmwatch::testing {

struct HttpResult {
  long status = 0;  // 0 when the request failed (connection refused, ...)
  std::string body;
  std::string content_type;
};

// Blocking requests with libcurl and a 10 s timeout.
HttpResult HttpGet(const std::string& url);
HttpResult HttpPost(const std::string& url, const std::string& content_type,
                    const std::string& body);

// The value of the first sample of `series` (exact name and labels as
// exposed, e.g. `atmwatch_ingest_events_total{kind="line",result="accepted"}`)
// in a text exposition; -1 when absent.
double SampleValue(const std::string& exposition, const std::string& series);

}  // namespace atmwatch::testing
