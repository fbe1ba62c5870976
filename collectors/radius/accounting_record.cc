#include "radius/accounting_record.h"

#include <array>
#include <utility>

#include "events/terminate_cause.h"
#include "radius/dictionary.h"

namespace atmwatch::radius {
namespace {

bool IsSupported(std::uint32_t status_type) {
  switch (static_cast<StatusType>(status_type)) {
    case StatusType::kStart:
    case StatusType::kStop:
    case StatusType::kInterimUpdate:
    case StatusType::kAccountingOn:
    case StatusType::kAccountingOff:
      return true;
  }
  return false;
}

// The record's text and address fields are filled directly; integers wait
// here until all attributes are read, because the octet counters need their
// gigawords partners.
struct Fields {
  AccountingRecord record;
  std::optional<std::uint32_t> status_type;
  std::optional<std::uint32_t> input_octets;
  std::optional<std::uint32_t> input_gigawords;
  std::optional<std::uint32_t> output_octets;
  std::optional<std::uint32_t> output_gigawords;
  std::optional<std::uint32_t> session_time;
  std::optional<std::uint32_t> delay_time;
  std::optional<std::uint32_t> event_timestamp;
  std::optional<std::uint32_t> terminate_cause;
};

// Each reader refuses a second occurrence: every attribute read here may
// appear at most once in an Accounting-Request (RFC 2866 §5.13).
std::optional<RecordError> ReadInteger(const Attribute& attr, std::optional<std::uint32_t>* out) {
  if (out->has_value()) return RecordError::kDuplicateAttribute;
  const std::vector<std::uint8_t>& v = attr.value;
  if (v.size() != 4) return RecordError::kIntegerNotFourOctets;
  *out = std::uint32_t{v[0]} << 24 | std::uint32_t{v[1]} << 16 | std::uint32_t{v[2]} << 8 | v[3];
  return std::nullopt;
}

std::optional<RecordError> ReadString(const Attribute& attr, std::string* out) {
  if (!out->empty()) return RecordError::kDuplicateAttribute;
  if (attr.value.empty()) return RecordError::kEmptyString;
  out->assign(attr.value.begin(), attr.value.end());
  return std::nullopt;
}

std::optional<RecordError> ReadAddress(const Attribute& attr, std::string* out) {
  if (!out->empty()) return RecordError::kDuplicateAttribute;
  const std::vector<std::uint8_t>& v = attr.value;
  if (v.size() != 4) return RecordError::kAddressNotFourOctets;
  *out = std::to_string(v[0]) + '.' + std::to_string(v[1]) + '.' + std::to_string(v[2]) + '.' +
         std::to_string(v[3]);
  return std::nullopt;
}

std::optional<RecordError> Read(const Attribute& attr, Fields* fields) {
  AccountingRecord& record = fields->record;
  switch (attr.type) {
    case attribute::kUserName:
      return ReadString(attr, &record.user_name);
    case attribute::kNasIpAddress:
      return ReadAddress(attr, &record.nas_ip_address);
    case attribute::kFramedIpAddress:
      return ReadAddress(attr, &record.framed_ip_address);
    case attribute::kCallingStationId:
      return ReadString(attr, &record.calling_station_id);
    case attribute::kNasIdentifier:
      return ReadString(attr, &record.nas_identifier);
    case attribute::kAcctStatusType:
      return ReadInteger(attr, &fields->status_type);
    case attribute::kAcctDelayTime:
      return ReadInteger(attr, &fields->delay_time);
    case attribute::kAcctInputOctets:
      return ReadInteger(attr, &fields->input_octets);
    case attribute::kAcctOutputOctets:
      return ReadInteger(attr, &fields->output_octets);
    case attribute::kAcctSessionId:
      return ReadString(attr, &record.session_id);
    case attribute::kAcctSessionTime:
      return ReadInteger(attr, &fields->session_time);
    case attribute::kAcctTerminateCause:
      return ReadInteger(attr, &fields->terminate_cause);
    case attribute::kAcctInputGigawords:
      return ReadInteger(attr, &fields->input_gigawords);
    case attribute::kAcctOutputGigawords:
      return ReadInteger(attr, &fields->output_gigawords);
    case attribute::kEventTimestamp:
      return ReadInteger(attr, &fields->event_timestamp);
    default:
      // Vendor-Specific, Class, NAS-Port and the rest say nothing we map.
      return std::nullopt;
  }
}

// The first sub-attribute `wanted` of a Vendor-Specific value, if it holds
// four octets.
std::optional<std::int32_t> VendorInteger(const Attribute& attr, const VendorAttribute& wanted) {
  const std::vector<std::uint8_t>& v = attr.value;
  if (v.size() < 4) return std::nullopt;
  const std::uint32_t vendor =
      std::uint32_t{v[0]} << 24 | std::uint32_t{v[1]} << 16 | std::uint32_t{v[2]} << 8 | v[3];
  if (vendor != wanted.vendor) return std::nullopt;
  for (std::size_t offset = 4; offset + 2 <= v.size();) {
    const std::size_t length = v[offset + 1];
    if (length < 2 || offset + length > v.size()) return std::nullopt;
    if (v[offset] == wanted.type) {
      if (length != 6) return std::nullopt;
      const std::uint8_t* value = &v[offset + 2];
      return static_cast<std::int32_t>(std::uint32_t{value[0]} << 24 |
                                       std::uint32_t{value[1]} << 16 |
                                       std::uint32_t{value[2]} << 8 | value[3]);
    }
    offset += length;
  }
  return std::nullopt;
}

std::optional<std::uint64_t> Octets(std::optional<std::uint32_t> octets,
                                    std::optional<std::uint32_t> gigawords) {
  if (!octets.has_value() && !gigawords.has_value()) return std::nullopt;
  return std::uint64_t{gigawords.value_or(0)} << 32 | octets.value_or(0);
}

std::optional<std::chrono::seconds> Seconds(std::optional<std::uint32_t> value) {
  if (!value.has_value()) return std::nullopt;
  return std::chrono::seconds(*value);
}

}  // namespace

Result<AccountingRecord, RecordFailure> ParseAccountingRecord(const Packet& request,
                                                              const RecordOptions& options) {
  if (request.code != Code::kAccountingRequest) {
    return RecordFailure{RecordError::kNotAccountingRequest, 0};
  }
  Fields fields;
  for (const Attribute& attr : request.attributes) {
    if (auto error = Read(attr, &fields)) return RecordFailure{*error, attr.type};
    if (attr.type == attribute::kVendorSpecific && options.signal_attribute &&
        !fields.record.signal_dbm) {
      fields.record.signal_dbm = VendorInteger(attr, *options.signal_attribute);
    }
  }
  if (!fields.status_type.has_value()) {
    return RecordFailure{RecordError::kMissingStatusType, attribute::kAcctStatusType};
  }
  if (!IsSupported(*fields.status_type)) {
    return RecordFailure{RecordError::kUnsupportedStatusType, attribute::kAcctStatusType};
  }

  AccountingRecord& record = fields.record;
  record.status_type = static_cast<StatusType>(*fields.status_type);
  record.input_octets = Octets(fields.input_octets, fields.input_gigawords);
  record.output_octets = Octets(fields.output_octets, fields.output_gigawords);
  record.session_time = Seconds(fields.session_time);
  record.delay_time = Seconds(fields.delay_time);
  if (fields.event_timestamp.has_value()) {
    record.event_timestamp =
        std::chrono::sys_seconds(std::chrono::seconds(*fields.event_timestamp));
  }
  if (fields.terminate_cause.has_value()) {
    record.terminate_cause =
        events::TerminateCauseRfcName(events::TerminateCauseOfRfcValue(*fields.terminate_cause));
  }
  return std::move(record);
}

std::string NasName(const AccountingRecord& record) {
  if (record.nas_identifier.empty()) return record.nas_ip_address;
  if (record.nas_ip_address.empty()) return record.nas_identifier;
  return record.nas_identifier + " (" + record.nas_ip_address + ")";
}

std::chrono::system_clock::time_point EventTime(const AccountingRecord& record,
                                                std::chrono::system_clock::time_point arrival) {
  if (record.event_timestamp.has_value()) return *record.event_timestamp;
  return arrival - record.delay_time.value_or(std::chrono::seconds(0));
}

std::string_view ReasonName(RecordError reason) {
  switch (reason) {
    case RecordError::kNotAccountingRequest:
      return "not_accounting_request";
    case RecordError::kMissingStatusType:
      return "missing_status_type";
    case RecordError::kUnsupportedStatusType:
      return "unsupported_status_type";
    case RecordError::kDuplicateAttribute:
      return "duplicate_attribute";
    case RecordError::kIntegerNotFourOctets:
      return "integer_not_four_octets";
    case RecordError::kAddressNotFourOctets:
      return "address_not_four_octets";
    case RecordError::kEmptyString:
      return "empty_string";
  }
  return "unknown";
}

}  // namespace atmwatch::radius
