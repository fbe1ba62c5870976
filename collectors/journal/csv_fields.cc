#include "journal/csv_fields.h"

namespace atmwatch::journal {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

std::string_view Trim(std::string_view text) {
  while (!text.empty() && IsBlank(text.front())) text.remove_prefix(1);
  while (!text.empty() && IsBlank(text.back())) text.remove_suffix(1);
  return text;
}

}  // namespace

bool SplitCsvRecord(std::string_view line, std::vector<std::string>* fields) {
  if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
  fields->clear();
  std::size_t pos = 0;
  for (;;) {
    std::size_t start = pos;
    while (start < line.size() && IsBlank(line[start])) ++start;
    std::string& field = fields->emplace_back();
    if (start < line.size() && line[start] == '"') {
      std::size_t i = start + 1;
      for (;;) {
        if (i >= line.size()) return false;  // the quote never closes on this line
        if (line[i] == '"') {
          if (i + 1 < line.size() && line[i + 1] == '"') {
            field.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        field.push_back(line[i++]);
      }
      while (i < line.size() && IsBlank(line[i])) ++i;
      if (i == line.size()) return true;
      if (line[i] != ',') return false;  // text after the closing quote
      pos = i + 1;
      continue;
    }
    const std::size_t comma = line.find(',', pos);
    const std::string_view raw =
        line.substr(pos, comma == std::string_view::npos ? std::string_view::npos : comma - pos);
    if (raw.find('"') != std::string_view::npos) return false;  // a quote inside a bare field
    field.assign(Trim(raw));
    if (comma == std::string_view::npos) return true;
    pos = comma + 1;
  }
}

}  // namespace atmwatch::journal
