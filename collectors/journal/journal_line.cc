#include "journal/journal_line.h"

#include <algorithm>
#include <charconv>
#include <vector>

#include "common/utf8.h"
#include "journal/csv_fields.h"
#include "journal/iso_time.h"

namespace atmwatch::journal {
namespace {

using v1::AtmTransaction;

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string Upper(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

bool ParseYen(std::string_view text, std::int64_t* out) {
  if (text.empty()) return false;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size() && *out >= 0;
}

const std::string& Field(const std::vector<std::string>& fields, std::size_t index) {
  static const std::string kEmpty;
  return index == Header::kAbsent ? kEmpty : fields[index];
}

std::string Quote(std::string_view text) {
  constexpr std::size_t kMax = 40;  // enough to recognise the value in a log line
  return "'" + std::string(text.substr(0, kMax)) + (text.size() > kMax ? "...'" : "'");
}

}  // namespace

const std::array<std::string_view, 11>& MalformedReasons() {
  static const std::array<std::string_view, 11> kReasons = {
      "bad_quoting",  "wrong_field_count", "bad_time",   "missing_atm_id",
      "bad_type",     "bad_result",        "bad_amount", "bad_commission",
      "bad_encoding", "line_too_long",     "bad_header"};
  return kReasons;
}

Result<Header, std::string> ParseHeader(std::string_view line) {
  std::vector<std::string> names;
  if (!SplitCsvRecord(line, &names)) return std::string("the header line has broken quoting");
  Header header;
  header.columns = names.size();
  struct Column {
    std::string_view name;
    std::size_t Header::*slot;
  };
  static constexpr Column kColumns[] = {
      {"time", &Header::time},
      {"atm_id", &Header::atm_id},
      {"type", &Header::type},
      {"result", &Header::result},
      {"amount_yen", &Header::amount_yen},
      {"commission_yen", &Header::commission_yen},
      {"issuer", &Header::issuer},
      {"host_ref", &Header::host_ref},
  };
  for (std::size_t i = 0; i < names.size(); ++i) {
    const std::string name = Lower(names[i]);
    for (const Column& column : kColumns) {
      if (name != column.name) continue;
      if (header.*column.slot != Header::kAbsent) {
        return "column '" + name + "' appears twice in the header";
      }
      header.*column.slot = i;
    }
  }
  for (const Column& column : kColumns) {
    const bool required = column.name == "time" || column.name == "atm_id" ||
                          column.name == "type" || column.name == "result";
    if (required && header.*column.slot == Header::kAbsent) {
      return "the header has no '" + std::string(column.name) +
             "' column; the first line must name the columns, e.g. "
             "time,atm_id,type,result,amount_yen,commission_yen,issuer,host_ref";
    }
  }
  return header;
}

Result<v1::Envelope, LineError> ParseJournalLine(std::string_view line, const Header& header) {
  thread_local std::vector<std::string> fields;
  if (!SplitCsvRecord(line, &fields)) return LineError{"bad_quoting", "unbalanced or stray quote"};
  if (fields.size() != header.columns) {
    return LineError{"wrong_field_count", std::to_string(fields.size()) + " fields, header has " +
                                              std::to_string(header.columns)};
  }
  v1::Envelope envelope;
  const std::string& time = Field(fields, header.time);
  const std::optional<std::int64_t> ms = ParseIsoTimeMs(time);
  if (!ms || *ms <= 0) {
    return LineError{"bad_time", "time " + Quote(time) + " is not ISO 8601 with a zone"};
  }
  envelope.set_time_unix_ms(*ms);

  AtmTransaction* tx = envelope.mutable_transaction();
  if (Field(fields, header.atm_id).empty()) return LineError{"missing_atm_id", "atm_id is empty"};
  tx->set_atm_id(Field(fields, header.atm_id));

  AtmTransaction::Type type;
  const std::string& type_text = Field(fields, header.type);
  if (!AtmTransaction::Type_Parse(Upper(type_text), &type) ||
      type == AtmTransaction::TYPE_UNSPECIFIED) {
    return LineError{"bad_type", "type " + Quote(type_text) + " is not a transaction type"};
  }
  tx->set_type(type);

  AtmTransaction::Result result;
  const std::string& result_text = Field(fields, header.result);
  if (!AtmTransaction::Result_Parse(Upper(result_text), &result) ||
      result == AtmTransaction::RESULT_UNSPECIFIED) {
    return LineError{"bad_result", "result " + Quote(result_text) + " is not a result"};
  }
  tx->set_result(result);

  std::int64_t yen = 0;
  const std::string& amount = Field(fields, header.amount_yen);
  if (!amount.empty() && !ParseYen(amount, &yen)) {
    return LineError{"bad_amount", "amount_yen " + Quote(amount) + " is not a whole yen amount"};
  }
  tx->set_amount_yen(yen);

  const std::string& commission = Field(fields, header.commission_yen);
  if (!commission.empty()) {
    if (!ParseYen(commission, &yen)) {
      return LineError{"bad_commission",
                       "commission_yen " + Quote(commission) + " is not a whole yen amount"};
    }
    tx->set_commission_yen(yen);
  }
  // A string that is not UTF-8 would make the daemon refuse the whole Batch
  // (protobuf does not parse it), and the collector would resend it forever.
  for (const std::size_t column : {header.atm_id, header.issuer, header.host_ref}) {
    if (!IsValidUtf8(Field(fields, column))) {
      return LineError{"bad_encoding", "column " + std::to_string(column + 1) +
                                           " is not UTF-8; write the journal in UTF-8"};
    }
  }
  tx->set_issuer(Field(fields, header.issuer));
  tx->set_host_ref(Field(fields, header.host_ref));
  return envelope;
}

}  // namespace atmwatch::journal
