#pragma once

#include <string>

namespace atmwatch::testing {

// A fresh directory under $TMPDIR (else /tmp) for one test or one helper
// process, removed with everything in it at the end. Throws when it cannot
// be made: a test without its directory has nothing to stand on.
class TempDir {
 public:
  explicit TempDir(const std::string& prefix = "atmwatch-test");
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }
  // path()/name
  std::string Join(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

}  // namespace atmwatch::testing
