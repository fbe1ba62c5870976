#pragma once

#include <cstdint>
#include <functional>

#include "http/http_server.h"

namespace atmwatch::engine {
class Engine;
}

namespace atmwatch::http {

// GET /v1/report?from=FY2008&to=FY2010&format=json|csv|table&by=quarter|year
// or ?by=plan&fiscal_year=FY2010&as_of=2010-03-31: the fiscal report
// (engine/report_request.h) as of the wall clock's local day. Every
// parameter is optional (default: every fiscal year with data, JSON, by
// quarter; the plan of the fiscal year after yesterday, as of yesterday).
// 200 with the report; 400 naming the bad parameter and the fix; 405 for
// another method.
Response HandleReport(const Request& request, const engine::Engine& engine,
                      const std::function<std::int64_t()>& now_unix_ms);

}  // namespace atmwatch::http
