#include "testing/test_pki.h"

#include <stdlib.h>

#include <filesystem>
#include <fstream>

#include "testing/tool_run.h"

namespace atmwatch::testing {

bool TestPki::Run(const std::vector<std::string>& argv) {
  const ToolResult result = RunTool(argv);
  if (result.exit_code == 0) return true;
  error_ = argv[0] + " " + argv[1] + " failed: " + result.output;
  return false;
}

bool TestPki::MakeKeyAndRequest(const std::string& name, const std::string& subject) {
  return Run({"openssl", "req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
              "-nodes", "-keyout", Path(name + ".key"), "-out", Path(name + ".csr"), "-subj",
              subject});
}

bool TestPki::MakeCa(const std::string& name) {
  return Run({"openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt",
              "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", Path(name + ".key"), "-out",
              Path(name + ".crt"), "-subj", "/CN=" + name, "-days", "30"});
}

bool TestPki::MakeServer(const std::string& name, const std::string& ca) {
  std::ofstream(Path(name + ".ext")) << "subjectAltName=IP:127.0.0.1,DNS:localhost\n"
                                     << "extendedKeyUsage=serverAuth\n";
  return MakeKeyAndRequest(name, "/CN=localhost") &&
         Run({"openssl", "x509", "-req", "-in", Path(name + ".csr"), "-CA", Path(ca + ".crt"),
              "-CAkey", Path(ca + ".key"), "-CAcreateserial", "-out", Path(name + ".crt"), "-days",
              "30", "-extfile", Path(name + ".ext")});
}

bool TestPki::MakeClient(const std::string& name, const std::string& ca,
                         const std::string& common_name) {
  std::ofstream(Path(name + ".ext")) << "extendedKeyUsage=clientAuth\n";
  return MakeKeyAndRequest(name, "/CN=" + common_name) &&
         Run({"openssl", "x509", "-req", "-in", Path(name + ".csr"), "-CA", Path(ca + ".crt"),
              "-CAkey", Path(ca + ".key"), "-CAcreateserial", "-out", Path(name + ".crt"), "-days",
              "30", "-extfile", Path(name + ".ext")});
}

bool TestPki::MakeExpiredClient(const std::string& name, const std::string& ca,
                                const std::string& common_name) {
  // `openssl x509` cannot back-date; `openssl ca` can, with its small database.
  const std::string db = Path(ca + "-db");
  std::filesystem::create_directories(db);
  std::ofstream(db + "/index.txt");
  std::ofstream(db + "/serial") << "1000\n";
  std::ofstream(db + "/ca.cnf") << "[ca]\ndefault_ca = test_ca\n"
                                << "[test_ca]\ndatabase = " << db << "/index.txt\n"
                                << "new_certs_dir = " << db << "\nserial = " << db << "/serial\n"
                                << "default_md = sha256\npolicy = any\n"
                                << "unique_subject = no\n"
                                << "[any]\ncommonName = supplied\n";
  return MakeKeyAndRequest(name, "/CN=" + common_name) &&
         Run({"openssl", "ca", "-batch", "-config", db + "/ca.cnf", "-cert", Path(ca + ".crt"),
              "-keyfile", Path(ca + ".key"), "-in", Path(name + ".csr"), "-out",
              Path(name + ".crt"), "-startdate", "20200101000000Z", "-enddate", "20200201000000Z",
              "-notext"});
}

}  // namespace atmwatch::testing
