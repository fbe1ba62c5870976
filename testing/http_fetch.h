#pragma once

#include <string>

namespace atmwatch::testing {

struct HttpResult {
  long status = 0;  // 0 when the request failed (connection refused, ...)
  std::string body;
  std::string content_type;
  std::string error;  // why it failed, as libcurl says it; empty otherwise
};

// How a request meets an HTTPS listener, and whom it presents.
struct HttpClientOptions {
  std::string ca_file;    // https:// URLs: the CA the server's certificate must chain to
  std::string cert_file;  // with key_file: the client certificate to present
  std::string key_file;
  std::string user;           // "name:password" for HTTP basic auth
  std::string authorization;  // an Authorization header as sent, e.g. "Bearer ..."
};

// Blocking requests with libcurl and a 10 s timeout.
HttpResult HttpGet(const std::string& url, const HttpClientOptions& client = {});
HttpResult HttpPost(const std::string& url, const std::string& content_type,
                    const std::string& body, const HttpClientOptions& client = {});

// The value of the first sample of `series` (exact name and labels as
// exposed, e.g. `atmwatch_ingest_events_total{kind="line",result="accepted"}`)
// in a text exposition; -1 when absent.
double SampleValue(const std::string& exposition, const std::string& series);

}  // namespace atmwatch::testing
