#include "config/sections/slo.h"

#include <yaml-cpp/yaml.h>

namespace atmwatch::config {

Status ReadSlo(const FieldReader& fields, const YAML::Node& n, DaemonConfig::Slo* out) {
  if (Status s = fields.CheckMapKeys(n, "slo", {"cardholder_availability"}); !s.ok()) return s;
  if (auto v = n["cardholder_availability"]) {
    double objective = 0;
    if (Status s =
            fields.ReadShare(v, "slo.cardholder_availability", 0, 1, "0.995 for 99.5%", &objective);
        !s.ok()) {
      return s;
    }
    // 1 leaves no error budget to burn, 0 promises nothing: either makes
    // every burn rate meaningless.
    if (objective <= 0 || objective >= 1) {
      return fields.Error(v, "slo.cardholder_availability",
                          "an objective needs an error budget: write a share between 0 and 1, "
                          "e.g. 0.995 for 99.5%");
    }
    out->cardholder_availability = objective;
  }
  return Status::Ok();
}

}  // namespace atmwatch::config
