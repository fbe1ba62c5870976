#pragma once

#include <openssl/ssl.h>

#include <asio/ssl/context.hpp>
#include <memory>
#include <string>
#include <string_view>
#include <system_error>

#include "common/status.h"

namespace atmwatch::tls {

// The files of a listener's TLS (config `ingest.tls`, `http.tls`).
struct TlsFiles {
  std::string cert_file;       // PEM, the server certificate and its chain
  std::string key_file;        // PEM, its private key
  std::string client_ca_file;  // PEM; set: client certificates required and verified
};

// A server context from the files: TLS 1.2 or later, the certificate and a
// key that matches it, and with client_ca_file peer verification that fails
// a handshake without a client certificate. The error names the config key
// (`config_key` is the section, e.g. "http.tls"), the file and what is wrong
// with it. Everything is read now, so a context that was built keeps working
// when the files change under it.
Status MakeServerTlsContext(const TlsFiles& files, std::string_view config_key,
                            std::shared_ptr<asio::ssl::context>* out);

// Why a server-side handshake failed, as a metric label: no_client_cert,
// expired_cert (or not yet valid), untrusted_cert (any other verification
// failure) or protocol (versions, ciphers, garbage, a peer that left).
std::string_view HandshakeFailureReason(const std::error_code& error, SSL* ssl);

// The verified peer certificate's subject in RFC 2253 form, e.g.
// "CN=radius-tokyo-1,O=Example"; empty when the peer sent none.
std::string PeerCertificateSubject(SSL* ssl);

}  // namespace atmwatch::tls
