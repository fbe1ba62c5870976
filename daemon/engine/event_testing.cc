#include "engine/event_testing.h"

namespace atmwatch::engine {

using namespace std::chrono;

int64_t JapanTime(year_month_day date, int hour, int minute) {
  return (sys_days(date).time_since_epoch() + hours(hour) + minutes(minute) - hours(9)) /
         milliseconds(1);
}

v1::Envelope StatusEvent(const std::string& atm, int64_t time_unix_ms, v1::AtmStatus::State state) {
  v1::Envelope event;
  event.set_time_unix_ms(time_unix_ms);
  event.mutable_status()->set_atm_id(atm);
  event.mutable_status()->set_state(state);
  return event;
}

v1::Envelope HeartbeatEvent(const std::string& atm, int64_t time_unix_ms) {
  v1::Envelope event;
  event.set_time_unix_ms(time_unix_ms);
  event.mutable_status()->set_atm_id(atm);
  event.mutable_status()->set_heartbeat(true);
  return event;
}

v1::Envelope LineEventOf(const std::string& line, int64_t time_unix_ms, v1::LineEvent::Kind kind,
                         const std::string& session, uint64_t bytes_in, uint64_t bytes_out,
                         const std::string& carrier) {
  v1::Envelope event;
  event.set_time_unix_ms(time_unix_ms);
  v1::LineEvent* l = event.mutable_line();
  l->set_line_id(line);
  l->set_carrier(carrier);
  l->set_kind(kind);
  l->set_session_id(session);
  l->set_bytes_in(bytes_in);
  l->set_bytes_out(bytes_out);
  return event;
}

}  // namespace atmwatch::engine
