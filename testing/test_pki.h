#pragma once

#include <string>
#include <vector>

#include "testing/temp_dir.h"

namespace atmwatch::testing {

// A throwaway PKI made with the openssl CLI in a temporary directory: CAs,
// a server certificate for 127.0.0.1 and localhost, client certificates.
// Keys are EC P-256, unencrypted. The directory goes with the object.
class TestPki {
 public:
  TestPki() = default;
  TestPki(const TestPki&) = delete;
  TestPki& operator=(const TestPki&) = delete;

  const std::string& dir() const { return dir_.path(); }
  std::string Path(const std::string& name) const { return dir_.Join(name); }

  // NAME.crt and NAME.key, a self-signed CA. False (see error()) on failure.
  bool MakeCa(const std::string& name);
  // NAME.crt/.key signed by `ca`, valid for 127.0.0.1 and localhost.
  bool MakeServer(const std::string& name, const std::string& ca);
  // NAME.crt/.key with subject CN=common_name, signed by `ca`.
  bool MakeClient(const std::string& name, const std::string& ca, const std::string& common_name);
  // The same, but valid only in 2020 (signed with `openssl ca`).
  bool MakeExpiredClient(const std::string& name, const std::string& ca,
                         const std::string& common_name);

  const std::string& error() const { return error_; }

 private:
  bool Run(const std::vector<std::string>& argv);
  bool MakeKeyAndRequest(const std::string& name, const std::string& subject);

  TempDir dir_{"atmwatch-pki"};
  std::string error_;
};

}  // namespace atmwatch::testing
