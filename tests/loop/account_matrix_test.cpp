// The authorization matrix extended to accounts (issue 20): every account route and the
// creation rule against every kind of caller, through the real router: nobody, an invite
// token (Bearer), a session cookie without the CSRF header, with another session's CSRF
// token, with its own, another user's session, an admin's. Also: a session cookie opens no
// loop resource by itself, and one account never sees another's loops.
#include <gtest/gtest.h>

#include "account/account_service.hpp"
#include "account/profile_service.hpp"
#include "loop_fixture.hpp"

namespace mockloop::loop {
namespace {

struct Caller {
  std::string name;
  std::string bearer;
  std::string cookie;
  std::string csrf;
};

class AccountMatrix : public testing::LoopFixture {
 protected:
  void TearDown() override {
    router_.reset();
    profiles_.reset();
    accounts_.reset();
    LoopFixture::TearDown();
  }
  void SetUp() override {
    LoopFixture::SetUp();
    create_l6_loop();  // anonymous, before the rule closes
    account::AccountOptions o;
    o.signup = account::SignupMode::open;
    o.pwhash_opslimit = 1;
    o.pwhash_memlimit = 8u << 20;
    auto a = account::AccountService::create(*db_, o);
    ASSERT_TRUE(a) << a.error().message;
    accounts_ = std::move(*a);
    auto pr = account::ProfileService::create(*db_, testing::shipped_catalog(), clock_.fn());
    ASSERT_TRUE(pr) << pr.error().message;
    profiles_ = std::move(*pr);
    ApiOptions closed;
    closed.allow_anonymous_create = false;
    router_ = std::make_unique<ApiRouter>(*service_, closed);
    router_->set_accounts(accounts_.get());
    router_->set_profiles(profiles_.get());
    ann_ = sign_up("ann@example.com", false);
    bob_ = sign_up("bob@example.com", false);
    admin_ = sign_up("root@example.com", true);
    callers_ = {
        {"nobody", "", "", ""},
        {"invite token", tokens_["host"], "", ""},
        {"cookie without CSRF", "", ann_.cookie, ""},
        {"cookie with another session's CSRF", "", ann_.cookie, bob_.csrf},
        {"own session", "", ann_.cookie, ann_.csrf},
        {"another user", "", bob_.cookie, bob_.csrf},
        {"admin", "", admin_.cookie, admin_.csrf},
    };
  }

  Caller sign_up(const std::string& email, bool admin) {
    if (admin) {
      auto u = accounts_->create_user(email, "correct horse battery", "", true);
      EXPECT_TRUE(u);
      v1::LoginRequest l;
      l.set_email(email);
      l.set_password("correct horse battery");
      auto in = accounts_->login(l);
      return {email, "", "mockloop_session=" + in->session_secret, in->csrf_token};
    }
    auto r = as({"", "", "", ""}, "POST", "/api/auth/signup",
                R"({"email":")" + email + R"(","password":"correct horse battery"})");
    EXPECT_EQ(r.status, 201) << r.body;
    std::string cookie;
    for (const auto& [k, v] : r.headers)
      if (k == "Set-Cookie") cookie = v.substr(0, v.find(';'));
    return {email, "", cookie, json(r)["csrfToken"]};
  }

  net::Response as(const Caller& c, const std::string& method, const std::string& path, const std::string& body = "") {
    net::Request req;
    req.remote = "127.0.0.1";
    req.method = method;
    req.path = path;
    req.accept = "application/json";
    if (!c.bearer.empty()) req.authorization = "Bearer " + c.bearer;
    req.cookie = c.cookie;
    req.csrf_token = c.csrf;
    req.body = body;
    return router_->handle(req);
  }

  // One row of the matrix: the status each caller gets, in callers_ order.
  void row(const std::string& method, const std::string& path, const std::string& body, std::vector<int> want) {
    ASSERT_EQ(want.size(), callers_.size());
    for (size_t i = 0; i < callers_.size(); ++i) {
      auto r = as(callers_[i], method, path, body);
      EXPECT_EQ(r.status, want[i]) << method << " " << path << " as " << callers_[i].name << ": " << r.body;
    }
  }

  std::unique_ptr<account::AccountService> accounts_;
  std::unique_ptr<account::ProfileService> profiles_;
  Caller ann_, bob_, admin_;
  std::vector<Caller> callers_;
};

TEST_F(AccountMatrix, EveryAccountRouteAgainstEveryCaller) {
  const std::string attach = R"({"token":")" + tokens_["candidate"] + R"("})";
  const std::string loop = R"({"templateId":"l6-loop"})";
  // Columns: nobody, invite token, cookie without CSRF, another session's CSRF, own session,
  // another user, admin. -1: not checked in this row.
  row("GET", "/api/me", "", {401, 401, 200, 200, 200, 200, 200});
  row("GET", "/api/v1/me/loops", "", {401, 401, 200, 200, 200, 200, 200});
  row("POST", "/api/auth/signup-codes", "{}", {401, 401, 403, 403, 403, 403, 201});
  row("POST", "/api/auth/password", R"({"currentPassword":"wrong password","newPassword":"another good one"})",
      {401, 401, 403, 403, 403, 403, 403});
  row("POST", "/api/me/invites", attach, {401, 401, 403, 403, 201, 201, 201});
  row("POST", "/api/loops", loop, {401, 401, 403, 403, 201, 201, 201});
  row("POST", "/api/study-rooms", R"({"title":"s"})", {401, 401, 403, 403, 201, 201, 201});
  // State-changing sign-outs: refused without the session's own CSRF token...
  for (size_t i : {0u, 1u, 2u, 3u}) {
    EXPECT_EQ(as(callers_[i], "POST", "/api/auth/logout").status, i < 2 ? 401 : 403) << callers_[i].name;
    EXPECT_EQ(as(callers_[i], "POST", "/api/auth/logout-all").status, i < 2 ? 401 : 403) << callers_[i].name;
  }
  EXPECT_EQ(as(ann_, "GET", "/api/me").status, 200);  // ...and nothing ended
  EXPECT_EQ(as(ann_, "POST", "/api/auth/logout").status, 200);
  EXPECT_EQ(as(ann_, "GET", "/api/me").status, 401);
  EXPECT_EQ(as(bob_, "GET", "/api/me").status, 200);
}

TEST_F(AccountMatrix, ACookieOpensNoLoopResourceAndNoAccountSeesAnothersLoops) {
  ASSERT_EQ(as(ann_, "POST", "/api/me/invites", R"({"token":")" + tokens_["host"] + R"("})").status, 201);
  // The loop is Ann's (attached), yet her cookie alone is not a loop credential.
  for (const std::string& path : std::vector<std::string>{"/api/loops", "/api/loops/" + loop_id_, "/api/loops/" + loop_id_ + "/debrief",
                                 "/api/questions"})
    EXPECT_EQ(as(ann_, "GET", path).status, 401) << path;
  EXPECT_EQ(as(ann_, "POST", "/api/loops/" + loop_id_ + "/tokens/" + token_ids_["candidate"] + "/revoke").status, 401);
  auto anns = json(as(ann_, "GET", "/api/me/loops"));
  ASSERT_EQ(anns["loops"].size(), 1u);
  EXPECT_EQ(anns["loops"][0]["loopId"], loop_id_);
  EXPECT_EQ(anns["loops"][0]["role"], "ROLE_HOST");
  EXPECT_EQ(anns.dump().find(tokens_["host"]), std::string::npos) << "no token on the home page";
  for (const Caller* other : {&bob_, &admin_}) {
    auto theirs = json(as(*other, "GET", "/api/me/loops"));
    EXPECT_TRUE(!theirs.contains("loops") || theirs["loops"].empty()) << other->name << ": " << theirs.dump();
  }
  // A revoked invite stays listed, marked, and cannot be attached again by anyone.
  ASSERT_EQ(call("POST", "/api/loops/" + loop_id_ + "/tokens/" + token_ids_["candidate"] + "/revoke", tokens_["host"]).status,
            200);
  EXPECT_EQ(as(bob_, "POST", "/api/me/invites", R"({"token":")" + tokens_["candidate"] + R"("})").status, 401);
}

// Candidate profiles (docs/progress.md): nobody but the candidate (and whom they share
// with) reads a profile, its progress, assessments or stories; strangers get 404, not 403.
TEST_F(AccountMatrix, ProfileRoutesAgainstEveryCaller) {
  auto own = as(ann_, "POST", "/api/me/profile");
  ASSERT_EQ(own.status, 200) << own.body;
  const std::string pid = json(own)["id"];
  const std::string base = "/api/profiles/" + pid;
  const std::string story = R"({"title":"Outage","principles":["ownership"],"kind":"STORY_KIND_CHARACTER"})";
  const std::string shared_story = R"({"title":"Shared one","kind":"STORY_KIND_VISION","shared":true})";
  const std::string ratings = R"({"ratings":[3,3,3,3,3,3,3,3,3,3,3,3]})";
  // Columns: nobody, invite token, cookie without CSRF, another session's CSRF, own session,
  // another user, admin.
  row("POST", "/api/me/profile", "", {401, 401, 403, 403, 200, 200, 200});
  row("POST", base + "/stories", story, {401, 401, 403, 403, 201, 404, 404});
  ASSERT_EQ(as(ann_, "POST", base + "/stories", shared_story).status, 201);
  row("POST", base + "/assessments", ratings, {401, 401, 403, 403, 201, 404, 404});
  for (const std::string& path : std::vector<std::string>{base, base + "/progress", base + "/stories", base + "/assessments"})
    row("GET", path, "", {401, 401, 200, 200, 200, 404, 404});
  row("PUT", base + "/mentors", R"({"emails":[]})", {401, 401, 403, 403, 200, 404, 404});
  row("POST", base + "/loops", R"({"loopId":")" + loop_id_ + R"("})", {401, 401, 403, 403, 403, 404, 404});
  // Shared with Bob: he reads progress and the shared story only; he may not widen the
  // sharing or write her preparation. The admin still sees nothing.
  ASSERT_EQ(as(ann_, "PUT", base + "/mentors", R"({"emails":["bob@example.com"]})").status, 200);
  EXPECT_EQ(as(bob_, "GET", base + "/progress").status, 200);
  auto bobs = json(as(bob_, "GET", base + "/stories"));
  ASSERT_EQ(bobs["stories"].size(), 1u) << bobs.dump();
  EXPECT_EQ(bobs["stories"][0]["content"]["title"], "Shared one");
  EXPECT_EQ(as(bob_, "PUT", base + "/mentors", R"({"emails":["root@example.com"]})").status, 403);
  EXPECT_EQ(as(bob_, "POST", base + "/stories", story).status, 403);
  EXPECT_EQ(as(bob_, "POST", base + "/assessments", ratings).status, 403);
  EXPECT_EQ(as(admin_, "GET", base + "/progress").status, 404);
  // A host attaches a loop only when their host link is attached to their account.
  EXPECT_EQ(as(bob_, "POST", base + "/loops", R"({"loopId":")" + loop_id_ + R"("})").status, 403);
  ASSERT_EQ(as(bob_, "POST", "/api/me/invites", R"({"token":")" + tokens_["iv1"] + R"("})").status, 201);
  EXPECT_EQ(as(bob_, "POST", base + "/loops", R"({"loopId":")" + loop_id_ + R"("})").status, 403) << "an interviewer is not the host";
  ASSERT_EQ(as(bob_, "POST", "/api/me/invites", R"({"token":")" + tokens_["host"] + R"("})").status, 201);
  EXPECT_EQ(as(bob_, "POST", base + "/loops", R"({"loopId":")" + loop_id_ + R"("})").status, 201);
  // Unsharing ends Bob's access at once.
  ASSERT_EQ(as(ann_, "PUT", base + "/mentors", R"({"emails":[]})").status, 200);
  EXPECT_EQ(as(bob_, "GET", base + "/progress").status, 404);
}

// Handing a mentor-kept profile to the candidate's own account (docs/accounts.md): only the
// keeper makes a code; only a signed-in caller with the CSRF token redeems it; a wrong,
// used, replaced or expired code is 404; the keeper cannot claim their own; a caller whose
// own profile holds anything gets 409 (an empty one is replaced). Afterwards the profile
// is the candidate's: they choose who sees it, the mentors stay until they do.
TEST_F(AccountMatrix, HandoverRoutesAgainstEveryCaller) {
  auto kept = as(ann_, "POST", "/api/profiles", R"({"name":"Cy"})");
  ASSERT_EQ(kept.status, 201) << kept.body;
  const std::string pid = json(kept)["id"];
  const std::string base = "/api/profiles/" + pid;
  ASSERT_EQ(as(ann_, "POST", base + "/stories", R"({"title":"Written by the mentor","kind":"STORY_KIND_VISION"})").status, 201);
  // Columns: nobody, invite token, cookie without CSRF, another session's CSRF, own session,
  // another user, admin.
  row("POST", base + "/handover", "", {401, 401, 403, 403, 201, 404, 404});
  row("POST", "/api/me/profile/claim", R"({"code":"not-a-code"})", {401, 401, 403, 403, 404, 404, 404});
  EXPECT_EQ(as(ann_, "POST", "/api/me/profile/claim", R"({"code":")" + std::string(65, 'x') + R"("})").status, 400);
  EXPECT_EQ(as(ann_, "POST", "/api/me/profile/claim", "{}").status, 400);
  // A co-mentor may not hand it over; nobody hands over an own-account profile.
  ASSERT_EQ(as(ann_, "PUT", base + "/mentors", R"({"emails":["bob@example.com"]})").status, 200);
  EXPECT_EQ(as(bob_, "POST", base + "/handover").status, 403);
  auto bobs = as(bob_, "POST", "/api/me/profile");
  ASSERT_EQ(bobs.status, 200);
  EXPECT_EQ(as(bob_, "POST", "/api/profiles/" + std::string(json(bobs)["id"]) + "/handover").status, 409);

  // A newer code replaces the older; the keeper cannot redeem their own.
  const std::string old_code = json(as(ann_, "POST", base + "/handover"))["code"];
  auto h = as(ann_, "POST", base + "/handover");
  ASSERT_EQ(h.status, 201) << h.body;
  const std::string code = json(h)["code"];
  EXPECT_EQ(json(h)["link"], "/progress/claim?code=" + code);
  EXPECT_EQ(std::stoll(json(h)["expiresAtMs"].get<std::string>()), clock_.now() + account::kHandoverLifetimeMs);  // int64 as a JSON string
  auto cy = sign_up("cy@example.com", false);
  EXPECT_EQ(as(cy, "POST", "/api/me/profile/claim", R"({"code":")" + old_code + R"("})").status, 404);
  EXPECT_EQ(as(ann_, "POST", "/api/me/profile/claim", R"({"code":")" + code + R"("})").status, 403);
  // Cy's own profile holds a story: refused, nothing changes; once it is empty, it is replaced.
  auto cys = as(cy, "POST", "/api/me/profile");
  const std::string cys_id = json(cys)["id"];
  auto story = as(cy, "POST", "/api/profiles/" + cys_id + "/stories", R"({"title":"Mine","kind":"STORY_KIND_VISION"})");
  ASSERT_EQ(story.status, 201);
  EXPECT_EQ(as(cy, "POST", "/api/me/profile/claim", R"({"code":")" + code + R"("})").status, 409);
  EXPECT_EQ(json(as(ann_, "GET", base))["relation"], "PROFILE_RELATION_OWNER");
  ASSERT_EQ(as(cy, "DELETE", "/api/profiles/" + cys_id + "/stories/" + std::string(json(story)["id"])).status, 200);
  auto claimed = as(cy, "POST", "/api/me/profile/claim", R"({"code":")" + code + R"("})");
  ASSERT_EQ(claimed.status, 200) << claimed.body;
  auto p = json(claimed);
  EXPECT_EQ(p["id"], pid);
  EXPECT_EQ(p["relation"], "PROFILE_RELATION_CANDIDATE");
  EXPECT_FALSE(p["candidateUserId"].get<std::string>().empty());
  ASSERT_EQ(p["mentors"].size(), 2u) << p.dump();  // the keeper and the co-mentor stay
  EXPECT_EQ(as(cy, "GET", "/api/profiles/" + cys_id).status, 404) << "the empty own profile went";
  EXPECT_EQ(json(as(cy, "POST", "/api/me/profile"))["id"], pid) << "it is Cy's own profile now";
  // Used: gone for everyone.
  EXPECT_EQ(as(cy, "POST", "/api/me/profile/claim", R"({"code":")" + code + R"("})").status, 404);
  EXPECT_EQ(as(bob_, "POST", "/api/me/profile/claim", R"({"code":")" + code + R"("})").status, 404);
  // The former keeper is a mentor now: reads progress and the mentors' stories (shared on
  // handover), no longer chooses who sees it, writes nothing, makes no code.
  EXPECT_EQ(json(as(ann_, "GET", base))["relation"], "PROFILE_RELATION_MENTOR");
  auto stories = json(as(ann_, "GET", base + "/stories"));
  ASSERT_EQ(stories["stories"].size(), 1u) << stories.dump();
  EXPECT_EQ(stories["stories"][0]["content"]["shared"], true);
  EXPECT_EQ(as(ann_, "PUT", base + "/mentors", R"({"emails":[]})").status, 403);
  EXPECT_EQ(as(ann_, "POST", base + "/stories", R"({"title":"x","kind":"STORY_KIND_VISION"})").status, 403);
  EXPECT_EQ(as(ann_, "POST", base + "/handover").status, 409);
  EXPECT_EQ(as(admin_, "GET", base).status, 404);
  // Cy's choice: without Ann, Ann sees nothing.
  ASSERT_EQ(as(cy, "PUT", base + "/mentors", R"({"emails":["bob@example.com"]})").status, 200);
  EXPECT_EQ(as(ann_, "GET", base + "/progress").status, 404);
  EXPECT_EQ(as(bob_, "GET", base + "/progress").status, 200);

  // Expired: a code older than kHandoverLifetimeMs is refused and the profile stays kept.
  auto second = as(ann_, "POST", "/api/profiles", R"({"name":"Dee"})");
  const std::string pid2 = json(second)["id"];
  const std::string code2 = json(as(ann_, "POST", "/api/profiles/" + pid2 + "/handover"))["code"];
  clock_.advance(account::kHandoverLifetimeMs);
  auto dee = sign_up("dee@example.com", false);
  auto late = as(dee, "POST", "/api/me/profile/claim", R"({"code":")" + code2 + R"("})");
  EXPECT_EQ(late.status, 404);
  EXPECT_NE(late.body.find("expired"), std::string::npos) << late.body;
  EXPECT_EQ(json(as(ann_, "GET", "/api/profiles/" + pid2))["relation"], "PROFILE_RELATION_OWNER");
  const std::string code3 = json(as(ann_, "POST", "/api/profiles/" + pid2 + "/handover"))["code"];
  EXPECT_EQ(as(dee, "POST", "/api/me/profile/claim", R"({"code":")" + code3 + R"("})").status, 200);
}

// Deleting a loop from the host's account also takes it out of every candidate profile it
// was attached to (store/loop_deletion covers profile_loops: same file, a loop_id column).
TEST_F(AccountMatrix, DeletingALoopDetachesItFromEveryProfile) {
  ASSERT_EQ(as(ann_, "POST", "/api/me/invites", R"({"token":")" + tokens_["host"] + R"("})").status, 201);
  auto own = as(bob_, "POST", "/api/me/profile");
  ASSERT_EQ(own.status, 200) << own.body;
  const std::string bobs = json(own)["id"];
  ASSERT_EQ(as(bob_, "PUT", "/api/profiles/" + bobs + "/mentors", R"({"emails":["ann@example.com"]})").status, 200);
  auto kept = as(ann_, "POST", "/api/profiles", R"({"name":"Dana"})");
  ASSERT_EQ(kept.status, 201) << kept.body;
  const std::string danas = json(kept)["id"];
  for (const auto& pid : {bobs, danas}) {
    auto r = as(ann_, "POST", "/api/profiles/" + pid + "/loops", R"({"loopId":")" + loop_id_ + R"("})");
    ASSERT_EQ(r.status, 201) << r.body;
    ASSERT_EQ(json(r)["loopIds"].size(), 1u);
  }
  auto gone = as(ann_, "DELETE", "/api/me/loops/" + loop_id_);
  ASSERT_EQ(gone.status, 200) << gone.body;
  for (const auto& pid : {bobs, danas}) {
    auto p = json(as(ann_, "GET", "/api/profiles/" + pid));
    EXPECT_TRUE(!p.contains("loopIds") || p["loopIds"].empty()) << p.dump();
    auto pr = json(as(ann_, "GET", "/api/profiles/" + pid + "/progress"));
    EXPECT_TRUE(!pr.contains("loops") || pr["loops"].empty()) << pr.dump();
  }
  auto left = db_->prepare("SELECT COUNT(*) FROM profile_loops WHERE loop_id = ?1");
  ASSERT_TRUE(left);
  left->bind_text(1, loop_id_);
  ASSERT_TRUE(left->step());
  EXPECT_EQ(left->column_int64(0), 0);
}

}  // namespace
}  // namespace mockloop::loop
