// TURN REST credentials (coturn use-auth-secret): base64 and HMAC-SHA1 against the RFCs'
// vectors, and the username/credential shape coturn checks. The same credentials are
// accepted by a real coturn in tests/e2e/call_turn.e2e.mjs.
#include "loop/turn_credentials.hpp"

#include <gtest/gtest.h>

using namespace mockloop::loop;

TEST(TurnCredentials, Base64MatchesRfc4648) {
  EXPECT_EQ(base64_encode(""), "");
  EXPECT_EQ(base64_encode("f"), "Zg==");
  EXPECT_EQ(base64_encode("fo"), "Zm8=");
  EXPECT_EQ(base64_encode("foo"), "Zm9v");
  EXPECT_EQ(base64_encode("foob"), "Zm9vYg==");
  EXPECT_EQ(base64_encode("fooba"), "Zm9vYmE=");
  EXPECT_EQ(base64_encode("foobar"), "Zm9vYmFy");
}

// RFC 2202 test case 2: HMAC-SHA1("Jefe", "what do ya want for nothing?") =
// effcdf6ae5eb2fa2d27416d5f184df9c259a7c79, here base64-encoded.
TEST(TurnCredentials, HmacSha1MatchesRfc2202) {
  EXPECT_EQ(turn_password("Jefe", "what do ya want for nothing?"), "7/zfauXrL6LSdBbV8YTfnCWafHk=");
}

// Python: base64.b64encode(hmac.new(b'north', b'1800003600:p-ada', hashlib.sha1).digest())
TEST(TurnCredentials, UsernameIsExpiryColonUserAndCredentialItsHmac) {
  auto c = make_turn_credentials("north", "p-ada", 1'800'000'000, 3600);
  EXPECT_EQ(c.username, "1800003600:p-ada");
  EXPECT_EQ(c.expires_at_s, 1'800'003'600);
  EXPECT_EQ(c.credential, "Nh4kytEI0I5oJmQKiql8gnorIWk=");
  EXPECT_NE(make_turn_credentials("south", "p-ada", 1'800'000'000, 3600).credential, c.credential);
}
