#include "metrics/exposition.h"

#include <prometheus/collectable.h>

#include <algorithm>
#include <future>
#include <mutex>
#include <span>

#include "metrics/text_format.h"
#include "metrics/text_writer.h"

namespace atmwatch::metrics {
namespace {

void WriteSources(std::span<const ScrapeSource* const> sources, TextWriter& writer) {
  for (const auto* source : sources) source->WriteText(writer);
}

}  // namespace

void AppendExposition(const std::vector<const prometheus::Collectable*>& registries,
                      const std::vector<const ScrapeSource*>& sources, std::string* out) {
  for (const auto* registry : registries) AppendTextFormat(registry->Collect(), out);
  TextWriter writer(out);
  WriteSources(sources, writer);
}

void StreamExposition(const std::vector<const prometheus::Collectable*>& registries,
                      const std::vector<const ScrapeSource*>& sources, std::size_t piece_bytes,
                      const std::function<void(std::string_view)>& send) {
  const std::span<const ScrapeSource* const> all(sources);
  const auto first = all.first(std::min<std::size_t>(all.size(), 1));
  const auto others = all.subspan(first.size());
  // The others' text goes into the last scrape's buffer, unless another
  // scrape holds it: a fresh one of that size costs a page fault per 4 KiB.
  static std::mutex kept_mutex;
  static std::string kept;
  std::unique_lock keep(kept_mutex, std::try_to_lock);
  // Declared before the future, whose destructor waits for the thread: the
  // thread never outlives the text it writes, even when `send` throws.
  std::string others_text;
  if (keep.owns_lock()) {
    others_text.swap(kept);
    others_text.clear();
  }
  std::future<void> others_written;
  if (!others.empty()) {
    others_written = std::async(std::launch::async, [others, &others_text] {
      TextWriter writer(&others_text);
      WriteSources(others, writer);
    });
  }
  std::string piece;
  piece.reserve(piece_bytes + piece_bytes / 4);
  for (const auto* registry : registries) AppendTextFormat(registry->Collect(), &piece);
  TextWriter writer(&piece, send, piece_bytes);
  WriteSources(first, writer);
  writer.FlushAll();
  if (!others_written.valid()) return;
  others_written.get();
  for (std::size_t at = 0; at < others_text.size(); at += piece_bytes) {
    send(std::string_view(others_text).substr(at, piece_bytes));
  }
  if (keep.owns_lock()) kept.swap(others_text);
}

}  // namespace atmwatch::metrics
