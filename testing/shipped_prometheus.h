#pragma once

// The shipped Prometheus config and rules (deploy/prometheus), as the tests
// that run a real Prometheus against atmwatchd use them.

#include <filesystem>
#include <string>

namespace atmwatch::testing {

// Every `for:` of the shipped alerts becomes this many seconds, so that an
// alert whose condition holds fires within seconds instead of after its 5
// minutes to a day (AtmSilent's is an hour, the plan's alerts a day). Only
// the `for:` lines change; every expression is used as shipped.
inline constexpr int kShortForSeconds = 5;

// PrometheusConfig for the files under `prometheus_dir` (deploy/prometheus),
// with the copies of the rule files it names written to `dir`: every `for:`
// set to kShortForSeconds, everything else byte for byte as shipped; the
// atmwatchd job scraping `target`. Empty with *error set when the shipped
// files are not as this expects.
std::string ShippedConfigFor(const std::filesystem::path& prometheus_dir, const std::string& target,
                             const std::string& dir, std::string* error);

}  // namespace atmwatch::testing
