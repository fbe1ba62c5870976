#pragma once

#include <cstddef>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>

namespace atmwatch::metrics {

// Writes the Prometheus text exposition (format 0.0.4) straight into a
// string: HELP and TYPE lines, then samples. The collectors that render the
// engine use it so a scrape of a national fleet (close to a million samples)
// builds no object per sample; text_format.cc uses the same value and
// escaping rules for prometheus-cpp's families.
//
// The caller keeps a family's samples together, right after its Family().
class TextWriter {
 public:
  struct Label {
    std::string_view name;
    std::string_view value;  // escaped as it is written
  };
  enum class Type { kCounter, kGauge };

  // Takes what was written so far; the writer then starts `out` afresh.
  using Flush = std::function<void(std::string_view text)>;

  explicit TextWriter(std::string* out) : out_(out) {}
  // Hands the text to `flush` whenever it reaches `flush_bytes`, between
  // samples, so a scrape's body can go out while the rest is written.
  TextWriter(std::string* out, Flush flush, std::size_t flush_bytes)
      : out_(out), flush_(std::move(flush)), flush_bytes_(flush_bytes) {}

  void Family(std::string_view name, std::string_view help, Type type);
  void Sample(std::string_view name, std::initializer_list<Label> labels, double value);
  // The same with `rendered` (from RenderLabel) as the first label, so a
  // label that repeats in many samples, like an ATM's id, is escaped once.
  void Sample(std::string_view name, std::string_view rendered, std::initializer_list<Label> labels,
              double value);
  // With two labels sets rendered in advance, `first` then `second`: the
  // label sets a family repeats for every ATM are rendered once per scrape.
  void SampleRendered(std::string_view name, std::string_view first, std::string_view second,
                      double value);

  // `name="value"` with the value escaped, for Sample.
  static std::string RenderLabel(std::string_view name, std::string_view value);

  // Hands whatever is written to `flush` (when there is one).
  void FlushAll();

 private:
  void MaybeFlush() {
    if (flush_ && out_->size() >= flush_bytes_) FlushAll();
  }

  std::string* out_;
  Flush flush_;
  std::size_t flush_bytes_ = 0;
};

// The sample value as Prometheus reads it: integers without a fraction,
// other values the shortest text that reads back as the same double, and
// NaN, +Inf, -Inf.
void AppendSampleValue(double value, std::string* out);

// Label values escape backslash, newline and double quote; HELP text only
// the first two.
void AppendLabelValue(std::string_view value, std::string* out);
void AppendHelpText(std::string_view help, std::string* out);

}  // namespace atmwatch::metrics
