#include "events/terminate_cause.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

namespace atmwatch::events {
namespace {

TEST(TerminateCauseTest, RfcNamesMapToTheirOwnNumber) {
  // RFC 2866 §5.10, value 1 to 18.
  const char* rfc[] = {"User-Request",    "Lost-Carrier",   "Lost-Service",        "Idle-Timeout",
                       "Session-Timeout", "Admin-Reset",    "Admin-Reboot",        "Port-Error",
                       "NAS-Error",       "NAS-Request",    "NAS-Reboot",          "Port-Unneeded",
                       "Port-Preempted",  "Port-Suspended", "Service-Unavailable", "Callback",
                       "User-Error",      "Host-Request"};
  for (int value = 1; value <= 18; ++value) {
    EXPECT_EQ(static_cast<int>(TerminateCauseOf(rfc[value - 1])), value) << rfc[value - 1];
  }
  EXPECT_EQ(TerminateCauseLabel(TerminateCause::kNasReboot), "nas_reboot");
  EXPECT_EQ(TerminateCauseLabel(TerminateCause::kServiceUnavailable), "service_unavailable");
}

TEST(TerminateCauseTest, LabelsAndAnyCaseAreAcceptedTheRestIsOther) {
  EXPECT_EQ(TerminateCauseOf("lost_carrier"), TerminateCause::kLostCarrier);
  EXPECT_EQ(TerminateCauseOf("LOST-CARRIER"), TerminateCause::kLostCarrier);
  EXPECT_EQ(TerminateCauseOf(""), TerminateCause::kUnknown);
  EXPECT_EQ(TerminateCauseOf("Other"), TerminateCause::kOther);
  EXPECT_EQ(TerminateCauseOf("unknown"), TerminateCause::kOther);
  EXPECT_EQ(TerminateCauseOf("Lost-Carrier "), TerminateCause::kOther);
  EXPECT_EQ(TerminateCauseLabel(TerminateCause::kUnknown), "unknown");
  EXPECT_EQ(TerminateCauseLabel(TerminateCause::kOther), "other");
}

// What the RADIUS collector names a packet's cause is what the daemon
// counts it as.
TEST(TerminateCauseTest, AttributeValuesRoundTripThroughTheirRfcName) {
  for (std::uint32_t value = 1; value <= 18; ++value) {
    const TerminateCause cause = TerminateCauseOfRfcValue(value);
    EXPECT_EQ(static_cast<std::uint32_t>(cause), value);
    EXPECT_EQ(TerminateCauseOf(TerminateCauseRfcName(cause)), cause) << value;
  }
  for (std::uint32_t value : {0u, 19u, 4711u, 0xffffffffu}) {
    EXPECT_EQ(TerminateCauseOfRfcValue(value), TerminateCause::kOther) << value;
  }
  EXPECT_EQ(TerminateCauseRfcName(TerminateCause::kOther), "Other");
  EXPECT_EQ(TerminateCauseRfcName(TerminateCause::kUnknown), "");
}

TEST(TerminateCauseTest, LabelsAreDistinctSnakeCase) {
  std::set<std::string> labels;
  for (std::size_t i = 0; i < kTerminateCauseCount; ++i) {
    const std::string label(TerminateCauseLabel(static_cast<TerminateCause>(i)));
    EXPECT_EQ(label.find_first_not_of("abcdefghijklmnopqrstuvwxyz_"), std::string::npos);
    labels.insert(label);
  }
  EXPECT_EQ(labels.size(), kTerminateCauseCount);
}

}  // namespace
}  // namespace atmwatch::events
