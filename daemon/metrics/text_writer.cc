#include "metrics/text_writer.h"

#include <fmt/format.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <iterator>

namespace atmwatch::metrics {
namespace {

constexpr double kExactIntegers = 9007199254740992.0;  // 2^53
// Longest value text: a double's shortest round-trip form is at most 24
// characters ("-1.2345678901234567e-308").
constexpr std::size_t kMaxValueChars = 32;

bool Special(char c, bool escape_quotes) {
  return c == '\\' || c == '\n' || (c == '"' && escape_quotes);
}

// Writes `text` escaped at `at`, which has room for twice its size; returns
// the end.
char* WriteEscaped(std::string_view text, bool escape_quotes, char* at) {
  for (const char c : text) {
    if (!Special(c, escape_quotes)) {
      *at++ = c;
    } else {
      *at++ = '\\';
      *at++ = c == '\n' ? 'n' : c;
    }
  }
  return at;
}

char* Write(std::string_view text, char* at) {
  std::memcpy(at, text.data(), text.size());
  return at + text.size();
}

char* WriteValue(double value, char* at) {
  if (std::isnan(value)) return Write("NaN", at);
  if (std::isinf(value)) return Write(value < 0 ? "-Inf" : "+Inf", at);
  if (std::trunc(value) == value && std::abs(value) < kExactIntegers) {
    // Most samples are counts: integer formatting is several times faster.
    const fmt::format_int integer(static_cast<std::int64_t>(value));
    return Write({integer.data(), integer.size()}, at);
  }
  return fmt::format_to(at, "{}", value);  // shortest text that reads back the same
}

// Appends one sample line: `name`, what `write_labels` writes at a pointer
// (the braces and labels, at most `labels_room` bytes), the value. Room for
// the longest the line can be is made once and written through a pointer: a
// scrape has close to a million samples, and appending each piece to the
// string checks its capacity every time.
template <typename WriteLabels>
void AppendSample(std::string* out, std::string_view name, std::size_t labels_room, double value,
                  WriteLabels write_labels) {
  const std::size_t start = out->size();
  out->resize(start + name.size() + labels_room + kMaxValueChars + 2);  // ' ' and '\n'
  char* const begin = out->data();
  char* at = write_labels(Write(name, begin + start));
  *at++ = ' ';
  at = WriteValue(value, at);
  *at++ = '\n';
  out->resize(at - begin);
}

void AppendEscaped(std::string_view text, bool escape_quotes, std::string* out) {
  const std::size_t start = out->size();
  out->resize(start + 2 * text.size());
  char* begin = out->data();
  out->resize(WriteEscaped(text, escape_quotes, begin + start) - begin);
}

}  // namespace

void AppendSampleValue(double value, std::string* out) {
  const std::size_t start = out->size();
  out->resize(start + kMaxValueChars);
  char* begin = out->data();
  out->resize(WriteValue(value, begin + start) - begin);
}

void AppendLabelValue(std::string_view value, std::string* out) { AppendEscaped(value, true, out); }

void AppendHelpText(std::string_view help, std::string* out) { AppendEscaped(help, false, out); }

std::string TextWriter::RenderLabel(std::string_view name, std::string_view value) {
  std::string rendered(name);
  rendered.append("=\"");
  AppendLabelValue(value, &rendered);
  rendered.push_back('"');
  return rendered;
}

void TextWriter::Family(std::string_view name, std::string_view help, Type type) {
  out_->append("# HELP ").append(name).push_back(' ');
  AppendHelpText(help, out_);
  out_->append("\n# TYPE ").append(name);
  out_->append(type == Type::kCounter ? " counter\n" : " gauge\n");
  MaybeFlush();
}

void TextWriter::FlushAll() {
  if (!flush_ || out_->empty()) return;
  flush_(*out_);
  out_->clear();
}

void TextWriter::Sample(std::string_view name, std::initializer_list<Label> labels, double value) {
  Sample(name, {}, labels, value);
}

void TextWriter::SampleRendered(std::string_view name, std::string_view first,
                                std::string_view second, double value) {
  AppendSample(out_, name, first.size() + second.size() + 3, value, [&](char* at) {
    *at++ = '{';
    at = Write(first, at);
    *at++ = ',';
    at = Write(second, at);
    *at++ = '}';
    return at;
  });
  MaybeFlush();
}

void TextWriter::Sample(std::string_view name, std::string_view rendered,
                        std::initializer_list<Label> labels, double value) {
  const bool any = !rendered.empty() || labels.size() != 0;
  std::size_t room = any ? rendered.size() + 2 : 0;  // the braces
  for (const Label& label : labels) room += label.name.size() + 2 * label.value.size() + 4;
  AppendSample(out_, name, room, value, [&](char* at) {
    if (!any) return at;
    char separator = '{';
    if (!rendered.empty()) {
      *at++ = separator;
      separator = ',';
      at = Write(rendered, at);
    }
    for (const Label& label : labels) {
      *at++ = separator;
      separator = ',';
      at = Write(label.name, at);
      *at++ = '=';
      *at++ = '"';
      at = WriteEscaped(label.value, true, at);
      *at++ = '"';
    }
    *at++ = '}';
    return at;
  });
  MaybeFlush();
}

}  // namespace atmwatch::metrics
