#pragma once

// The servers of the NATS cluster in the `jetstream:` section: `url` (one
// URL, or several separated by commas, as the NATS tools take them) or
// `servers` (a list). Each a URL without spaces, listed once.

#include <string>
#include <vector>

#include "common/status.h"
#include "config/config_field.h"

namespace atmwatch::config {

Status ReadJetStreamUrl(const FieldReader& fields, const YAML::Node& node,
                        std::vector<std::string>* out);
Status ReadJetStreamServers(const FieldReader& fields, const YAML::Node& list,
                            std::vector<std::string>* out);

}  // namespace atmwatch::config
