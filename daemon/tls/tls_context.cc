#include "tls/tls_context.h"

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/x509.h>

#include <asio/ssl/error.hpp>

namespace atmwatch::tls {
namespace {

Status FileError(std::string_view config_key, std::string_view key, const std::string& file,
                 const std::error_code& error) {
  return Status::Error(std::string(config_key) + "." + std::string(key) + ": cannot use '" + file +
                       "': " + error.message());
}

}  // namespace

Status MakeServerTlsContext(const TlsFiles& files, std::string_view config_key,
                            std::shared_ptr<asio::ssl::context>* out) {
  auto context = std::make_shared<asio::ssl::context>(asio::ssl::context::tls_server);
  SSL_CTX* native = context->native_handle();
  if (SSL_CTX_set_min_proto_version(native, TLS1_2_VERSION) != 1) {
    return Status::Error(std::string(config_key) + ": this OpenSSL cannot require TLS 1.2");
  }
  std::error_code error;
  context->set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                           asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                           asio::ssl::context::no_tlsv1_1 | asio::ssl::context::single_dh_use,
                       error);
  context->use_certificate_chain_file(files.cert_file, error);
  if (error) return FileError(config_key, "cert_file", files.cert_file, error);
  context->use_private_key_file(files.key_file, asio::ssl::context::pem, error);
  if (error) return FileError(config_key, "key_file", files.key_file, error);
  if (SSL_CTX_check_private_key(native) != 1) {
    ERR_clear_error();
    return Status::Error(std::string(config_key) + ".key_file: '" + files.key_file +
                         "' is not the key of the certificate in '" + files.cert_file + "'");
  }
  if (!files.client_ca_file.empty()) {
    context->load_verify_file(files.client_ca_file, error);
    if (error) return FileError(config_key, "client_ca_file", files.client_ca_file, error);
    // The CA's name goes into the CertificateRequest, so clients holding
    // several certificates pick the right one.
    if (STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(files.client_ca_file.c_str())) {
      SSL_CTX_set_client_CA_list(native, names);
    }
    context->set_verify_mode(asio::ssl::verify_peer | asio::ssl::verify_fail_if_no_peer_cert,
                             error);
  }
  ERR_clear_error();
  *out = std::move(context);
  return Status::Ok();
}

std::string_view HandshakeFailureReason(const std::error_code& error, SSL* ssl) {
  const long verify = ssl != nullptr ? SSL_get_verify_result(ssl) : X509_V_OK;
  if (verify == X509_V_ERR_CERT_HAS_EXPIRED || verify == X509_V_ERR_CERT_NOT_YET_VALID) {
    return "expired_cert";
  }
  if (verify != X509_V_OK) return "untrusted_cert";
  if (error.category() == asio::error::get_ssl_category() &&
      ERR_GET_REASON(static_cast<unsigned long>(error.value())) ==
          SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE) {
    return "no_client_cert";
  }
  return "protocol";
}

std::string PeerCertificateSubject(SSL* ssl) {
  X509* cert = SSL_get1_peer_certificate(ssl);
  if (cert == nullptr) return "";
  std::string subject;
  if (BIO* bio = BIO_new(BIO_s_mem())) {
    if (X509_NAME_print_ex(bio, X509_get_subject_name(cert), 0, XN_FLAG_RFC2253) >= 0) {
      char* data = nullptr;
      const long size = BIO_get_mem_data(bio, &data);
      if (size > 0) subject.assign(data, static_cast<std::size_t>(size));
    }
    BIO_free(bio);
  }
  X509_free(cert);
  return subject;
}

}  // namespace atmwatch::tls
