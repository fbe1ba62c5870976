#pragma once

// The servers of the NATS cluster in the `jetstream:` section: `url` (one
// URL, or several separated by commas, as the NATS tools take them) or
// `servers` (a list). Each a URL without spaces, listed once.

#include <string>
#include <string_view>
#include <vector>

#include "common/status.h"
#include "config/config_field.h"

namespace atmwatch::config {

// "a, b,c" -> {"a", "b", "c"}: each item with its spaces trimmed, empty
// ones kept (the config refuses them; `atmwatch send --nats` skips them).
std::vector<std::string> SplitServerList(std::string_view text);

Status ReadJetStreamUrl(const FieldReader& fields, const YAML::Node& node,
                        std::vector<std::string>* out);
Status ReadJetStreamServers(const FieldReader& fields, const YAML::Node& list,
                            std::vector<std::string>* out);

}  // namespace atmwatch::config
