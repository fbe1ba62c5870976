#pragma once

#include <array>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace atmwatch::ingest {

// SHA-256 of a source's token: what the config holds and what is compared.
using TokenDigest = std::array<unsigned char, 32>;

TokenDigest Sha256(std::string_view token);
// 64 hex digits (either case) → digest; false when `hex` is not one.
bool ParseTokenDigest(std::string_view hex, TokenDigest* out);

// What a connection or request has proved about its sender.
struct PeerCredentials {
  // The verified client certificate's subject in RFC 2253 form
  // ("CN=radius-tokyo-1,O=Example"); empty without one.
  std::string cert_subject;
  // The SHA-256 of the token it presented, if any.
  std::optional<TokenDigest> token;
};

// One `ingest.sources` entry: the credential a source_id is bound to. An
// entry with neither only makes the source known.
struct SourceBinding {
  std::string source_id;
  std::string cert_subject;          // empty: not bound to a certificate
  std::optional<TokenDigest> token;  // unset: not bound to a token
};

// Why a batch was refused. reason is one of unknown_source,
// missing_credential, subject_mismatch, token_mismatch (a metric label);
// detail names the source and never a token.
struct AuthFailure {
  std::string_view reason;
  std::string detail;
};

// Which connections may send batches for which source_id, from the config:
// a source bound to a certificate subject and/or a token is accepted only
// from a peer that proved one of them; an unlisted source is accepted unless
// require_known_sources. Tokens are compared by digest in constant time.
//
// Thread-safe: Check from any thread; Replace swaps the bindings at once
// (SIGHUP), and each Check sees either the old set or the new one.
class SourcePolicy {
 public:
  SourcePolicy(std::vector<SourceBinding> bindings, bool require_known_sources);

  void Replace(std::vector<SourceBinding> bindings, bool require_known_sources);
  std::optional<AuthFailure> Check(std::string_view source_id, const PeerCredentials& peer) const;

 private:
  struct Bindings {
    std::unordered_map<std::string, SourceBinding> by_source;
    bool require_known = false;
  };
  static std::shared_ptr<const Bindings> Build(std::vector<SourceBinding> bindings,
                                               bool require_known_sources);

  mutable std::mutex mutex_;
  std::shared_ptr<const Bindings> bindings_;
};

}  // namespace atmwatch::ingest
