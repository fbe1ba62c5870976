#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace atmwatch::journal {

// Splits one CSV record (RFC 4180 quoting: a field in double quotes may hold
// commas and "" for a quote) into `fields`. A trailing "\r" (CRLF files) is
// dropped; spaces around unquoted fields are trimmed. A record never spans
// lines: a quote left open at the end of the line is an error. Returns false
// on broken quoting; `fields` is then unspecified. Pure; no allocation when
// `fields` already has the capacity.
bool SplitCsvRecord(std::string_view line, std::vector<std::string>* fields);

}  // namespace atmwatch::journal
