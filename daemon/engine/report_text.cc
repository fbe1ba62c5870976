#include "engine/report_text.h"

#include <cstdio>
#include <cstdlib>

namespace atmwatch::engine {

constexpr int64_t kYenPerTenthMillion = 100'000;

std::string FormatYenMillions(int64_t yen) {
  const int64_t magnitude = std::llabs(yen);
  const int64_t tenths = (magnitude + kYenPerTenthMillion / 2) / kYenPerTenthMillion;
  const bool negative = yen < 0 && tenths > 0;
  return (negative ? "-" : "") + std::to_string(tenths / 10) + "." + std::to_string(tenths % 10);
}

std::string FormatOneDecimal(double value) {
  char text[64];
  std::snprintf(text, sizeof text, "%.1f", value);
  return text;
}

std::string FormatPercentChange(std::optional<int64_t> before_yen, int64_t now_yen) {
  if (!before_yen || *before_yen <= 0) return "-";
  const double percent =
      100.0 * static_cast<double>(now_yen - *before_yen) / static_cast<double>(*before_yen);
  char text[64];
  std::snprintf(text, sizeof text, "%+.1f%%", percent);
  return text;
}

std::string FormatYenMillionsChange(std::optional<int64_t> before_yen, int64_t now_yen) {
  if (!before_yen) return "-";
  const int64_t change = now_yen - *before_yen;
  const std::string text = FormatYenMillions(change);
  return text[0] == '-' ? text : "+" + text;
}

std::string PadLeft(const std::string& text, int width) {
  return std::string(text.size() < static_cast<std::size_t>(width) ? width - text.size() : 0, ' ') +
         text;
}

std::string PadRight(const std::string& text, int width) {
  return text +
         std::string(text.size() < static_cast<std::size_t>(width) ? width - text.size() : 0, ' ');
}

}  // namespace atmwatch::engine
