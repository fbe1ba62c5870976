#pragma once

// How the fiscal reports write numbers: the units of the investor-relations
// tables they mirror, shared by the quarter and the fiscal-year report.

#include <cstdint>
#include <optional>
#include <string>

namespace atmwatch::engine {

// Yen as JPY million with one decimal, rounded half away from zero:
// 67'049'999 -> "67.0", -150'000 -> "-0.2".
std::string FormatYenMillions(int64_t yen);

// "%.1f": usage figures.
std::string FormatOneDecimal(double value);

// A change between two periods as the tables print it: "+12.3%" of the
// earlier figure, "-" when there is none or it is not positive (a share of
// a loss or of nothing reads as noise).
std::string FormatPercentChange(std::optional<int64_t> before_yen, int64_t now_yen);

// A change in JPY million with its sign, "+30.0" or "-4.2"; "-" without an
// earlier figure. For figures that cross zero, such as operating income.
std::string FormatYenMillionsChange(std::optional<int64_t> before_yen, int64_t now_yen);

// `text` right-aligned (left-aligned) in `width` columns.
std::string PadLeft(const std::string& text, int width);
std::string PadRight(const std::string& text, int width);

}  // namespace atmwatch::engine
