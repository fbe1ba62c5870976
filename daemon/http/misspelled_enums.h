#pragma once

// JSON events that name an enum value the enum does not have ("WITHDRAWL").
// The strict JSON parser refuses the whole body for one of them, while an
// out-of-range number is refused per event by the validator; so that both
// follow the per-event rule, such events are found here and refused one by
// one, naming the value written and the values to write instead.

#include <map>
#include <string>

#include "atmwatch/v1/ingest.pb.h"

namespace atmwatch::http {

// For a JSON body the strict parser refused: when every problem is an enum
// name that does not exist inside events[], parses the body with those
// fields left out, sets each to a number outside its enum (so the validator
// refuses the event as bad_enum) and returns true with, per event index, the
// detail for its refusal, e.g.
//   transaction.type "WITHDRAWL" is not a known type; valid: WITHDRAWAL, ...
// False when the body has any other problem (not JSON, an unknown key, a
// wrong type): the strict parser's error stands.
bool ParseWithMisspelledEnums(const std::string& body, v1::Batch* batch,
                              std::map<int, std::string>* details);

}  // namespace atmwatch::http
