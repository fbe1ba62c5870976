#include "radius/open_session_index.h"

namespace atmwatch::radius {

std::uint32_t OpenSessionIndex::NasIndex(std::string_view nas) {
  // NASes are few (configured clients times their identifiers), so the
  // interned names never need to be forgotten.
  auto [it, added] =
      nas_index_.try_emplace(std::string(nas), static_cast<std::uint32_t>(nas_index_.size()));
  return it->second;
}

bool OpenSessionIndex::Open(std::string_view nas, std::string_view line_id,
                            std::string_view session_id) {
  const std::uint32_t nas_id = NasIndex(nas);
  if (auto it = lines_.find(std::string(line_id)); it != lines_.end()) {
    it->second.nas = nas_id;
    it->second.session_id = session_id;
    return true;
  }
  if (lines_.size() >= max_lines_) return false;
  lines_.emplace(std::string(line_id), OpenSession{nas_id, std::string(session_id)});
  return true;
}

void OpenSessionIndex::Close(std::string_view line_id, std::string_view session_id) {
  auto it = lines_.find(std::string(line_id));
  if (it != lines_.end() && it->second.session_id == session_id) lines_.erase(it);
}

std::vector<std::string> OpenSessionIndex::TakeLines(std::string_view nas) {
  std::vector<std::string> taken;
  auto found = nas_index_.find(std::string(nas));
  if (found == nas_index_.end()) return taken;
  // A full scan: NAS restarts are rare and this keeps each entry small.
  for (auto it = lines_.begin(); it != lines_.end();) {
    if (it->second.nas == found->second) {
      taken.push_back(it->first);
      it = lines_.erase(it);
    } else {
      ++it;
    }
  }
  return taken;
}

}  // namespace atmwatch::radius
