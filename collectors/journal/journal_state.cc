#include "journal/journal_state.h"

#include <charconv>
#include <sstream>

namespace atmwatch::journal {
namespace {

constexpr std::string_view kMagic = "atmwatch-journal-state 1";

// Paths and ids go last on their line, so only the bytes that would break
// the line structure need escaping.
std::string Escape(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '%') {
      out += "%25";
    } else if (c == '\n') {
      out += "%0A";
    } else if (c == '\r') {
      out += "%0D";
    } else {
      out += c;
    }
  }
  return out;
}

std::string Unescape(std::string_view text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text.substr(i, 3) == "%25") {
      out += '%';
    } else if (text.substr(i, 3) == "%0A") {
      out += '\n';
    } else if (text.substr(i, 3) == "%0D") {
      out += '\r';
    } else {
      out += text[i];
      continue;
    }
    i += 2;
  }
  return out;
}

// Splits off the next space-separated word of `rest`.
std::string_view Word(std::string_view* rest) {
  const std::size_t space = rest->find(' ');
  const std::string_view word = rest->substr(0, space);
  rest->remove_prefix(space == std::string_view::npos ? rest->size() : space + 1);
  return word;
}

bool Number(std::string_view* rest, std::uint64_t* out) {
  const std::string_view word = Word(rest);
  const auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), *out);
  return !word.empty() && ec == std::errc() && end == word.data() + word.size();
}

bool Key(std::string_view* rest, FileKey* key) {
  return Number(rest, &key->device) && Number(rest, &key->inode);
}

}  // namespace

std::string SerializeState(const JournalState& state) {
  std::ostringstream out;
  out << kMagic << "\n";
  out << "source_id " << Escape(state.source_id) << "\n";
  out << "next_seq " << state.next_seq << "\n";
  for (const FileProgress& file : state.files) {
    out << "file " << file.key.device << " " << file.key.inode << " " << file.offset << " "
        << file.lines << " " << Escape(file.path) << "\n";
  }
  if (state.pending) {
    out << "pending " << state.pending->first_seq << " " << state.pending->batches << " "
        << state.pending->batch_events << "\n";
    for (const Segment& segment : state.pending->segments) {
      out << "segment " << segment.key.device << " " << segment.key.inode << " " << segment.begin
          << " " << segment.end << "\n";
    }
  }
  out << "end\n";
  return out.str();
}

Result<JournalState, std::string> ParseState(std::string_view text) {
  JournalState state;
  bool ended = false;
  bool first = true;
  int number = 0;
  while (!text.empty()) {
    const std::size_t newline = text.find('\n');
    if (newline == std::string_view::npos) {
      return "line " + std::to_string(number + 1) + ": no newline; the file was cut short";
    }
    std::string_view rest = text.substr(0, newline);
    text.remove_prefix(newline + 1);
    const std::string where = "line " + std::to_string(++number) + ": ";
    if (first) {
      if (rest != kMagic) return where + "not an atmwatch-journal state file (version 1)";
      first = false;
      continue;
    }
    if (ended) return where + "text after 'end'";
    const std::string_view word = Word(&rest);
    bool ok = true;
    if (word == "source_id") {
      state.source_id = Unescape(rest);
    } else if (word == "next_seq") {
      ok = Number(&rest, &state.next_seq) && rest.empty() && state.next_seq > 0;
    } else if (word == "file") {
      FileProgress file;
      ok = Key(&rest, &file.key) && Number(&rest, &file.offset) && Number(&rest, &file.lines);
      file.path = Unescape(rest);
      ok = ok && !file.path.empty();
      state.files.push_back(std::move(file));
    } else if (word == "pending") {
      PendingRound pending;
      ok = !state.pending && Number(&rest, &pending.first_seq) && Number(&rest, &pending.batches) &&
           Number(&rest, &pending.batch_events) && rest.empty() && pending.first_seq > 0 &&
           pending.batch_events > 0;
      state.pending = std::move(pending);
    } else if (word == "segment") {
      Segment segment;
      ok = state.pending && Key(&rest, &segment.key) && Number(&rest, &segment.begin) &&
           Number(&rest, &segment.end) && rest.empty() && segment.begin <= segment.end;
      if (ok) state.pending->segments.push_back(segment);
    } else if (word == "end") {
      ok = rest.empty();
      ended = true;
    } else {
      return where + "unknown record '" + std::string(word) + "'";
    }
    if (!ok) return where + "malformed '" + std::string(word) + "' record";
  }
  if (first) return std::string("empty file");
  if (!ended) return std::string("no 'end' line; the file was cut short");
  if (state.source_id.empty()) return std::string("no source_id");
  return state;
}

}  // namespace atmwatch::journal
