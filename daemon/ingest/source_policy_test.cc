#include "ingest/source_policy.h"

#include <gtest/gtest.h>

namespace atmwatch::ingest {
namespace {

// echo -n test | sha256sum
constexpr std::string_view kTestDigestHex =
    "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

SourceBinding CertBound(std::string source, std::string subject) {
  return SourceBinding{std::move(source), std::move(subject), std::nullopt};
}

SourceBinding TokenBound(std::string source, std::string_view token) {
  return SourceBinding{std::move(source), "", Sha256(token)};
}

PeerCredentials WithSubject(std::string subject) { return PeerCredentials{std::move(subject), {}}; }

PeerCredentials WithToken(std::string_view token) { return PeerCredentials{"", Sha256(token)}; }

TEST(SourcePolicyTest, DigestOfTheDocumentedExampleMatchesSha256sum) {
  TokenDigest parsed{};
  ASSERT_TRUE(ParseTokenDigest(kTestDigestHex, &parsed));
  EXPECT_EQ(parsed, Sha256("test"));
}

TEST(SourcePolicyTest, DigestHexMustBe64HexDigits) {
  TokenDigest parsed{};
  EXPECT_FALSE(ParseTokenDigest("9f86", &parsed));
  EXPECT_FALSE(ParseTokenDigest(std::string(64, 'g'), &parsed));
  EXPECT_TRUE(ParseTokenDigest(std::string(64, 'A'), &parsed));
}

TEST(SourcePolicyTest, UnlistedSourcesPassUnlessOnlyKnownOnesMay) {
  SourcePolicy open({CertBound("radius-tokyo-1", "CN=radius-tokyo-1")}, false);
  EXPECT_FALSE(open.Check("journal-osaka", PeerCredentials{}));

  SourcePolicy closed({CertBound("radius-tokyo-1", "CN=radius-tokyo-1")}, true);
  auto failure = closed.Check("journal-osaka", PeerCredentials{});
  ASSERT_TRUE(failure);
  EXPECT_EQ(failure->reason, "unknown_source");
  EXPECT_NE(failure->detail.find("journal-osaka"), std::string::npos);
}

TEST(SourcePolicyTest, ListedSourceWithoutCredentialIsKnownAndOpen) {
  SourcePolicy policy({SourceBinding{"journal-osaka", "", std::nullopt}}, true);
  EXPECT_FALSE(policy.Check("journal-osaka", PeerCredentials{}));
}

TEST(SourcePolicyTest, CertificateBoundSourceNeedsTheSubject) {
  SourcePolicy policy({CertBound("radius-tokyo-1", "CN=radius-tokyo-1")}, false);
  EXPECT_FALSE(policy.Check("radius-tokyo-1", WithSubject("CN=radius-tokyo-1")));

  auto other = policy.Check("radius-tokyo-1", WithSubject("CN=radius-osaka-1"));
  ASSERT_TRUE(other);
  EXPECT_EQ(other->reason, "subject_mismatch");
  EXPECT_NE(other->detail.find("CN=radius-osaka-1"), std::string::npos);

  auto none = policy.Check("radius-tokyo-1", PeerCredentials{});
  ASSERT_TRUE(none);
  EXPECT_EQ(none->reason, "missing_credential");
}

TEST(SourcePolicyTest, TokenBoundSourceNeedsTheTokenAndNeverEchoesIt) {
  SourcePolicy policy({TokenBound("finance-ledger", "s3cret-ledger-token")}, false);
  EXPECT_FALSE(policy.Check("finance-ledger", WithToken("s3cret-ledger-token")));

  auto wrong = policy.Check("finance-ledger", WithToken("guessed-token"));
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->reason, "token_mismatch");
  EXPECT_EQ(wrong->detail.find("guessed-token"), std::string::npos);
  EXPECT_EQ(wrong->detail.find("s3cret"), std::string::npos);

  auto none = policy.Check("finance-ledger", WithSubject("CN=finance-ledger"));
  ASSERT_TRUE(none);
  EXPECT_EQ(none->reason, "missing_credential");
}

TEST(SourcePolicyTest, ReplaceTakesEffectForTheNextCheck) {
  SourcePolicy policy({TokenBound("finance-ledger", "old-token")}, false);
  policy.Replace({TokenBound("finance-ledger", "new-token")}, false);
  EXPECT_TRUE(policy.Check("finance-ledger", WithToken("old-token")));
  EXPECT_FALSE(policy.Check("finance-ledger", WithToken("new-token")));
}

}  // namespace
}  // namespace atmwatch::ingest
