#include "radius/authenticator.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <memory>
#include <utility>

#include "radius/dictionary.h"

namespace atmwatch::radius {
namespace {

constexpr std::size_t kAuthenticatorOffset = 4;

struct DigestContextFree {
  void operator()(EVP_MD_CTX* context) const { EVP_MD_CTX_free(context); }
};

// MD5 over `packet` encoded with `authenticator_field` in its Authenticator
// octets, followed by the secret.
std::optional<Authenticator> Md5WithSecret(const Packet& packet,
                                           const Authenticator& authenticator_field,
                                           std::string_view secret) {
  auto encoded = EncodePacket(packet);
  if (!encoded.ok()) return std::nullopt;
  std::vector<std::uint8_t> bytes = std::move(encoded).value();
  std::copy(authenticator_field.begin(), authenticator_field.end(),
            bytes.begin() + kAuthenticatorOffset);

  std::unique_ptr<EVP_MD_CTX, DigestContextFree> context(EVP_MD_CTX_new());
  Authenticator digest{};
  unsigned int digest_size = 0;
  if (context == nullptr || EVP_DigestInit_ex(context.get(), EVP_md5(), nullptr) != 1 ||
      EVP_DigestUpdate(context.get(), bytes.data(), bytes.size()) != 1 ||
      EVP_DigestUpdate(context.get(), secret.data(), secret.size()) != 1 ||
      EVP_DigestFinal_ex(context.get(), digest.data(), &digest_size) != 1 ||
      digest_size != digest.size()) {
    return std::nullopt;
  }
  return digest;
}

}  // namespace

std::optional<Authenticator> ComputeAccountingRequestAuthenticator(const Packet& request,
                                                                   std::string_view secret) {
  return Md5WithSecret(request, Authenticator{}, secret);
}

bool VerifyAccountingRequest(const Packet& request, std::string_view secret) {
  const std::optional<Authenticator> expected =
      ComputeAccountingRequestAuthenticator(request, secret);
  return expected.has_value() && CRYPTO_memcmp(expected->data(), request.authenticator.data(),
                                               request.authenticator.size()) == 0;
}

std::optional<Authenticator> ComputeResponseAuthenticator(
    const Packet& response, const Authenticator& request_authenticator, std::string_view secret) {
  return Md5WithSecret(response, request_authenticator, secret);
}

std::optional<std::vector<std::uint8_t>> EncodeAccountingResponse(const Packet& request,
                                                                  std::string_view secret) {
  Packet response;
  response.code = Code::kAccountingResponse;
  response.identifier = request.identifier;
  for (const Attribute& attr : request.attributes) {
    if (attr.type == attribute::kProxyState) response.attributes.push_back(attr);
  }
  const std::optional<Authenticator> authenticator =
      ComputeResponseAuthenticator(response, request.authenticator, secret);
  if (!authenticator.has_value()) return std::nullopt;
  response.authenticator = *authenticator;
  // The authenticator above came from encoding it, so it encodes.
  return EncodePacket(response).value();
}

}  // namespace atmwatch::radius
