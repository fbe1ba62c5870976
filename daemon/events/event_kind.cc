#include "events/event_kind.h"

namespace atmwatch::events {

// Metric label values: renaming one renames a series.
std::string_view KindName(EventKind kind) {
  switch (kind) {
    case EventKind::kTransaction:
      return "transaction";
    case EventKind::kStatus:
      return "status";
    case EventKind::kLine:
      return "line";
    case EventKind::kLedger:
      return "ledger";
    case EventKind::kCash:
      return "cash";
    case EventKind::kCardRetained:
      return "card_retained";
    case EventKind::kNone:
      break;
  }
  return "none";
}

}  // namespace atmwatch::events
