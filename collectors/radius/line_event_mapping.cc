#include "radius/line_event_mapping.h"

#include <string>

#include "common/utf8.h"

namespace atmwatch::radius {
namespace {

using v1::LineEvent;

std::int64_t UnixMillis(std::chrono::system_clock::time_point time) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(time.time_since_epoch()).count();
}

LineEvent::Kind KindOf(StatusType status_type) {
  switch (status_type) {
    case StatusType::kStart:
      return LineEvent::SESSION_START;
    case StatusType::kInterimUpdate:
      return LineEvent::SESSION_INTERIM;
    case StatusType::kStop:
      return LineEvent::SESSION_STOP;
    case StatusType::kAccountingOn:
    case StatusType::kAccountingOff:
      break;
  }
  return LineEvent::KIND_UNSPECIFIED;
}

}  // namespace

std::string_view ReasonName(MappingError reason) {
  switch (reason) {
    case MappingError::kNotASessionRecord:
      return "not_a_session_record";
    case MappingError::kMissingSessionId:
      return "missing_session_id";
    case MappingError::kMissingCallingStationId:
      return "missing_calling_station_id";
    case MappingError::kStringNotUtf8:
      return "string_not_utf8";
  }
  return "unknown";
}

Result<v1::Envelope, MappingError> SessionEvent(const AccountingRecord& record,
                                                std::string_view carrier,
                                                std::chrono::system_clock::time_point arrival) {
  const LineEvent::Kind kind = KindOf(record.status_type);
  if (kind == LineEvent::KIND_UNSPECIFIED) return MappingError::kNotASessionRecord;
  if (record.session_id.empty()) return MappingError::kMissingSessionId;
  if (record.calling_station_id.empty()) return MappingError::kMissingCallingStationId;
  if (!IsValidUtf8(record.calling_station_id) || !IsValidUtf8(record.session_id)) {
    return MappingError::kStringNotUtf8;
  }

  v1::Envelope envelope;
  envelope.set_time_unix_ms(UnixMillis(EventTime(record, arrival)));
  LineEvent& line = *envelope.mutable_line();
  line.set_line_id(record.calling_station_id);
  line.set_carrier(std::string(carrier));
  line.set_kind(kind);
  line.set_session_id(record.session_id);
  line.set_bytes_in(record.output_octets.value_or(0));
  line.set_bytes_out(record.input_octets.value_or(0));
  line.set_framed_ip(record.framed_ip_address);
  if (record.signal_dbm) line.set_signal_dbm(*record.signal_dbm);
  if (kind == LineEvent::SESSION_STOP) {
    line.set_terminate_cause(std::string(record.terminate_cause));
  }
  return envelope;
}

v1::Envelope DetachEvent(std::string_view line_id, std::string_view carrier,
                         std::chrono::system_clock::time_point time) {
  v1::Envelope envelope;
  envelope.set_time_unix_ms(UnixMillis(time));
  LineEvent& line = *envelope.mutable_line();
  line.set_line_id(std::string(line_id));
  line.set_carrier(std::string(carrier));
  line.set_kind(LineEvent::DETACH);
  return envelope;
}

}  // namespace atmwatch::radius
