#include "ingest/source_policy.h"

#include <fmt/format.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>

namespace atmwatch::ingest {
namespace {

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool SameDigest(const TokenDigest& a, const TokenDigest& b) {
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

TokenDigest Sha256(std::string_view token) {
  TokenDigest digest{};
  unsigned int size = 0;
  EVP_Digest(token.data(), token.size(), digest.data(), &size, EVP_sha256(), nullptr);
  return digest;
}

bool ParseTokenDigest(std::string_view hex, TokenDigest* out) {
  if (hex.size() != 2 * out->size()) return false;
  TokenDigest digest{};
  for (std::size_t i = 0; i < digest.size(); ++i) {
    const int high = HexDigit(hex[2 * i]);
    const int low = HexDigit(hex[2 * i + 1]);
    if (high < 0 || low < 0) return false;
    digest[i] = static_cast<unsigned char>(high * 16 + low);
  }
  *out = digest;
  return true;
}

SourcePolicy::SourcePolicy(std::vector<SourceBinding> bindings, bool require_known_sources)
    : bindings_(Build(std::move(bindings), require_known_sources)) {}

std::shared_ptr<const SourcePolicy::Bindings> SourcePolicy::Build(
    std::vector<SourceBinding> bindings, bool require_known_sources) {
  auto built = std::make_shared<Bindings>();
  built->require_known = require_known_sources;
  for (auto& binding : bindings) {
    std::string id = binding.source_id;
    built->by_source.insert_or_assign(std::move(id), std::move(binding));
  }
  return built;
}

void SourcePolicy::Replace(std::vector<SourceBinding> bindings, bool require_known_sources) {
  auto built = Build(std::move(bindings), require_known_sources);
  std::lock_guard lock(mutex_);
  bindings_ = std::move(built);
}

std::optional<AuthFailure> SourcePolicy::Check(std::string_view source_id,
                                               const PeerCredentials& peer) const {
  std::shared_ptr<const Bindings> bindings;
  {
    std::lock_guard lock(mutex_);
    bindings = bindings_;
  }
  const auto found = bindings->by_source.find(std::string(source_id));
  if (found == bindings->by_source.end()) {
    if (!bindings->require_known) return std::nullopt;
    return AuthFailure{"unknown_source",
                       fmt::format("source '{}' is not listed in ingest.sources, and "
                                   "ingest.require_known_sources is true",
                                   source_id)};
  }
  const SourceBinding& binding = found->second;
  const bool bound_to_cert = !binding.cert_subject.empty();
  if (!bound_to_cert && !binding.token) return std::nullopt;
  if (bound_to_cert && peer.cert_subject == binding.cert_subject) return std::nullopt;
  if (binding.token && peer.token && SameDigest(*binding.token, *peer.token)) return std::nullopt;

  if (binding.token && peer.token) {
    return AuthFailure{"token_mismatch",
                       fmt::format("source '{}': the token this connection presented is not "
                                   "the one configured for it",
                                   source_id)};
  }
  if (bound_to_cert && !peer.cert_subject.empty()) {
    return AuthFailure{"subject_mismatch",
                       fmt::format("source '{}' is bound to certificate subject '{}'; this "
                                   "connection's certificate is '{}'",
                                   source_id, binding.cert_subject, peer.cert_subject)};
  }
  const char* wanted = bound_to_cert && binding.token ? "a client certificate or a token"
                       : bound_to_cert                ? "a client certificate"
                                                      : "a token";
  return AuthFailure{"missing_credential",
                     fmt::format("source '{}' needs {}; this connection presented none that "
                                 "applies",
                                 source_id, wanted)};
}

}  // namespace atmwatch::ingest
