// AccountService on an in-memory database with a fake clock and a cheap hash cost: sign-up
// modes, sign-in and lockout, sessions and their CSRF token, sign-out everywhere, password
// change, sign-up codes and the first-start setup code.
#include "account/account_service.hpp"

#include <gtest/gtest.h>

#include "account/cookie.hpp"
#include "account/password.hpp"

namespace mockloop::account {
namespace {

class AccountServiceTest : public ::testing::Test {
 protected:
  void SetUp() override { make(SignupMode::open); }
  void make(SignupMode mode) {
    svc_.reset();
    db_.reset();
    db_ = std::move(*store::Database::open(":memory:"));
    AccountOptions o;
    o.signup = mode;
    o.pwhash_opslimit = 1;                 // fast for tests; the cost is the flags' business
    o.pwhash_memlimit = 8u * 1024 * 1024;
    o.max_failed_logins = 3;
    o.lockout_ms = 60'000;
    auto s = AccountService::create(*db_, o, [this] { return std::chrono::system_clock::time_point(now_); });
    ASSERT_TRUE(s) << s.error().message;
    svc_ = std::move(*s);
  }
  v1::SignupRequest signup_req(std::string email, std::string pw = "correct horse battery") {
    v1::SignupRequest r;
    r.set_email(email);
    r.set_password(pw);
    return r;
  }
  v1::LoginRequest login_req(std::string email, std::string pw) {
    v1::LoginRequest r;
    r.set_email(email);
    r.set_password(pw);
    return r;
  }
  std::chrono::milliseconds now_{1'700'000'000'000};
  std::unique_ptr<store::Database> db_;
  std::unique_ptr<AccountService> svc_;
};

TEST(Password, HashIsArgon2idAndVerifies) {
  auto h = hash_password("a long enough password", {1, 8u << 20});
  ASSERT_TRUE(h);
  EXPECT_EQ(h->rfind("$argon2id$", 0), 0u) << *h;
  EXPECT_TRUE(verify_password(*h, "a long enough password"));
  EXPECT_FALSE(verify_password(*h, "a long enough passworD"));
  EXPECT_FALSE(needs_rehash(*h, {1, 8u << 20}));
  EXPECT_TRUE(needs_rehash(*h, {2, 8u << 20}));
}

TEST(Cookie, ReadsTheNamedCookieAndWritesTheFlags) {
  EXPECT_EQ(cookie_value("a=1; mockloop_session=abc; b=2", "mockloop_session"), "abc");
  EXPECT_EQ(cookie_value("xmockloop_session=abc", "mockloop_session"), "");
  EXPECT_EQ(cookie_value(std::string(9000, 'a'), "a"), "");
  const auto c = session_set_cookie("v", 60, true);
  EXPECT_NE(c.find("HttpOnly"), std::string::npos);
  EXPECT_NE(c.find("SameSite=Lax"), std::string::npos);
  EXPECT_NE(c.find("; Secure"), std::string::npos);
  EXPECT_EQ(session_set_cookie("v", 60, false).find("Secure"), std::string::npos);
}

TEST(Email, NormalisedAndBounded) {
  EXPECT_EQ(*normalize_email("  Ann@Example.COM "), "ann@example.com");
  EXPECT_FALSE(normalize_email("no-at-sign"));
  EXPECT_FALSE(normalize_email("a@b@c"));
  EXPECT_FALSE(normalize_email("a b@c"));
  EXPECT_FALSE(normalize_email(std::string(250, 'a') + "@b.cd"));
}

TEST_F(AccountServiceTest, SignupThenLoginGivesASessionWithItsCsrfToken) {
  auto in = svc_->signup(signup_req("Ann@Example.com"));
  ASSERT_TRUE(in) << in.error().message;
  EXPECT_EQ(in->user.email(), "ann@example.com");
  EXPECT_EQ(in->user.display_name(), "ann");
  auto s = svc_->session(in->session_secret);
  ASSERT_TRUE(s);
  EXPECT_EQ(s->user.id, in->user.id());
  EXPECT_TRUE(AccountService::check_csrf(*s, in->csrf_token));
  EXPECT_EQ(AccountService::check_csrf(*s, "").error().code, Errc::forbidden);
  EXPECT_EQ(AccountService::check_csrf(*s, in->session_secret).error().code, Errc::forbidden);
  EXPECT_EQ(svc_->signup(signup_req("ann@example.com")).error().code, Errc::conflict);
  EXPECT_EQ(svc_->signup(signup_req("bob@example.com", "short")).error().code, Errc::invalid_argument);
  auto again = svc_->login(login_req("ANN@example.com", "correct horse battery"));
  ASSERT_TRUE(again);
  EXPECT_NE(again->session_secret, in->session_secret);
}

TEST_F(AccountServiceTest, WrongPasswordAndUnknownEmailLookTheSame) {
  ASSERT_TRUE(svc_->signup(signup_req("ann@example.com")));
  auto wrong = svc_->login(login_req("ann@example.com", "not the password"));
  auto unknown = svc_->login(login_req("who@example.com", "not the password"));
  EXPECT_EQ(wrong.error().code, Errc::unauthenticated);
  EXPECT_EQ(unknown.error().code, Errc::unauthenticated);
  EXPECT_EQ(wrong.error().message, unknown.error().message);
}

TEST_F(AccountServiceTest, RepeatedFailuresLockTheAccountEvenForTheRightPassword) {
  ASSERT_TRUE(svc_->signup(signup_req("ann@example.com")));
  EXPECT_EQ(svc_->login(login_req("ann@example.com", "wrong one!!")).error().code, Errc::unauthenticated);
  EXPECT_EQ(svc_->login(login_req("ann@example.com", "wrong one!!")).error().code, Errc::unauthenticated);
  int64_t retry = 0;
  EXPECT_EQ(svc_->login(login_req("ann@example.com", "wrong one!!"), &retry).error().code, Errc::rate_limited);
  EXPECT_EQ(retry, 60);
  retry = 0;
  EXPECT_EQ(svc_->login(login_req("ann@example.com", "correct horse battery"), &retry).error().code,
            Errc::rate_limited);
  EXPECT_GT(retry, 0);
  now_ += std::chrono::milliseconds(60'001);
  EXPECT_TRUE(svc_->login(login_req("ann@example.com", "correct horse battery")));
}

TEST_F(AccountServiceTest, LogoutEverywhereEndsEverySessionAndPasswordChangeTheOthers) {
  auto a = svc_->signup(signup_req("ann@example.com"));
  auto b = svc_->login(login_req("ann@example.com", "correct horse battery"));
  auto c = svc_->login(login_req("ann@example.com", "correct horse battery"));
  ASSERT_TRUE(a && b && c);
  auto sa = *svc_->session(a->session_secret);
  v1::ChangePasswordRequest ch;
  ch.set_current_password("wrong");
  ch.set_new_password("a brand new password");
  EXPECT_EQ(svc_->change_password(sa, ch).error().code, Errc::forbidden);
  ch.set_current_password("correct horse battery");
  ASSERT_TRUE(svc_->change_password(sa, ch));
  EXPECT_TRUE(svc_->session(a->session_secret));
  EXPECT_FALSE(svc_->session(b->session_secret));
  EXPECT_FALSE(svc_->login(login_req("ann@example.com", "correct horse battery")));
  auto d = svc_->login(login_req("ann@example.com", "a brand new password"));
  ASSERT_TRUE(d);
  EXPECT_EQ(*svc_->logout_everywhere(sa), 2u);
  EXPECT_FALSE(svc_->session(a->session_secret));
  EXPECT_FALSE(svc_->session(d->session_secret));
}

TEST_F(AccountServiceTest, SessionsExpire) {
  auto a = svc_->signup(signup_req("ann@example.com"));
  ASSERT_TRUE(a);
  now_ += std::chrono::milliseconds(svc_->options().session_ttl_ms + 1);
  EXPECT_EQ(svc_->session(a->session_secret).error().code, Errc::unauthenticated);
}

TEST_F(AccountServiceTest, InviteModeNeedsAOneTimeCodeAndTheSetupCodeMakesTheFirstAdmin) {
  make(SignupMode::invite);
  EXPECT_EQ(svc_->signup(signup_req("ann@example.com")).error().code, Errc::forbidden);
  auto setup = svc_->setup_code_if_empty();
  ASSERT_TRUE(setup && *setup);
  auto req = signup_req("ann@example.com");
  req.set_invite_code((*setup)->code());
  auto admin = svc_->signup(req);
  ASSERT_TRUE(admin) << admin.error().message;
  EXPECT_TRUE(admin->user.admin());
  EXPECT_FALSE(*svc_->setup_code_if_empty());  // an account exists now
  auto reuse = signup_req("bob@example.com");
  reuse.set_invite_code((*setup)->code());
  EXPECT_EQ(svc_->signup(reuse).error().code, Errc::forbidden);
  auto sa = *svc_->session(admin->session_secret);
  auto code = svc_->create_signup_code(sa, false);
  ASSERT_TRUE(code);
  reuse.set_invite_code(code->code());
  auto bob = svc_->signup(reuse);
  ASSERT_TRUE(bob);
  EXPECT_FALSE(bob->user.admin());
  EXPECT_EQ(svc_->create_signup_code(*svc_->session(bob->session_secret), false).error().code, Errc::forbidden);
}

TEST_F(AccountServiceTest, SignupOffRefusesEvenWithACode) {
  make(SignupMode::off);
  EXPECT_EQ(svc_->signup(signup_req("ann@example.com")).error().code, Errc::forbidden);
  EXPECT_TRUE(svc_->create_user("ann@example.com", "correct horse battery", "Ann", true));
  EXPECT_TRUE(svc_->login(login_req("ann@example.com", "correct horse battery")));
}

TEST_F(AccountServiceTest, AttachedInvitesAreKeptOnceAndGoWithTheirLoop) {
  auto a = svc_->signup(signup_req("ann@example.com"));
  ASSERT_TRUE(a);
  ASSERT_TRUE(svc_->attach_invite(a->user.id(), "tok1", "loopA"));
  ASSERT_TRUE(svc_->attach_invite(a->user.id(), "tok1", "loopA"));
  ASSERT_TRUE(svc_->attach_invite(a->user.id(), "tok2", "loopB"));
  EXPECT_EQ(svc_->attached_invites(a->user.id())->size(), 2u);
  EXPECT_EQ(*svc_->detach_loop("loopA"), 1);
  EXPECT_EQ(svc_->attached_invites(a->user.id())->size(), 1u);
}

}  // namespace
}  // namespace mockloop::account
