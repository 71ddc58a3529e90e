// Authorization matrix of the REST API: every endpoint x every role, allowed or refused
// with the documented status, and no staff-only content in any candidate/observer reply
// or in any refusal.
#include "loop_fixture.hpp"

using namespace mockloop::loop;
using namespace mockloop::loop::testing;

namespace {

struct Case {
  std::string name;
  std::string method;
  std::string target;  // "{loop}" and "{r1}"/"{r3}" are substituted
  std::string body;
  std::map<std::string, int> expect;  // role -> status
  std::string accept = "application/json";
};

std::string fill(std::string s, const std::string& loop) {
  for (auto pos = s.find("{loop}"); pos != std::string::npos; pos = s.find("{loop}")) s.replace(pos, 6, loop);
  return s;
}

std::map<std::string, int> staff_of_round1(int ok) {
  return {{"host", ok}, {"iv1", ok}, {"iv2", ok}, {"bar_raiser", ok}, {"observer", 403}, {"candidate", 403}};
}

}  // namespace

class ApiAuthz : public LoopFixture {};

TEST_F(ApiAuthz, EveryEndpointForEveryRole) {
  create_l6_loop();
  const std::string d = draft();
  const std::vector<Case> cases = {
      {"templates", "GET", "/api/templates", "", {{"host", 200}, {"iv1", 200}, {"iv2", 200}, {"bar_raiser", 200}, {"observer", 200}, {"candidate", 200}}},
      {"questions", "GET", "/api/questions?round_kind=coding", "", staff_of_round1(200)},
      {"list loops", "GET", "/api/loops", "", {{"host", 200}, {"iv1", 200}, {"iv2", 200}, {"bar_raiser", 200}, {"observer", 200}, {"candidate", 200}}},
      {"get loop", "GET", "/api/loops/{loop}", "", {{"host", 200}, {"iv1", 200}, {"iv2", 200}, {"bar_raiser", 200}, {"observer", 200}, {"candidate", 200}}},
      {"revoke unknown", "POST", "/api/loops/{loop}/tokens/no-such-token/revoke", "", {{"host", 404}, {"iv1", 403}, {"iv2", 403}, {"bar_raiser", 403}, {"observer", 403}, {"candidate", 403}}},
      {"get scorecard r1", "GET", "/api/loops/{loop}/rounds/1/scorecard", "", staff_of_round1(200)},
      {"get scorecard r3", "GET", "/api/loops/{loop}/rounds/3/scorecard", "", {{"host", 200}, {"iv1", 403}, {"iv2", 403}, {"bar_raiser", 200}, {"observer", 403}, {"candidate", 403}}},
      {"put scorecard r1", "PUT", "/api/loops/{loop}/rounds/1/scorecard", d, staff_of_round1(200)},
      {"submit scorecard r1", "POST", "/api/loops/{loop}/rounds/1/scorecard/submit", "", staff_of_round1(200)},
      {"put scorecard r2", "PUT", "/api/loops/{loop}/rounds/2/scorecard", d, {{"host", 200}, {"iv1", 200}, {"iv2", 403}, {"bar_raiser", 200}, {"observer", 403}, {"candidate", 403}}},
      {"debrief json", "GET", "/api/loops/{loop}/debrief", "", {{"host", 200}, {"iv1", 403}, {"iv2", 403}, {"bar_raiser", 200}, {"observer", 403}, {"candidate", 403}}},
      {"debrief html", "GET", "/api/loops/{loop}/debrief", "", {{"host", 200}, {"iv1", 403}, {"iv2", 403}, {"bar_raiser", 200}, {"observer", 403}, {"candidate", 403}}, "text/html"},
  };
  for (const auto& c : cases) {
    for (const auto& role : all_roles()) {
      SCOPED_TRACE(c.name + " as " + role);
      auto r = call(c.method, fill(c.target, loop_id_), tokens_.at(role), c.body, c.accept);
      EXPECT_EQ(r.status, c.expect.at(role)) << r.body;
      if (r.status >= 400) {
        auto j = json(r);
        EXPECT_TRUE(j["error"]["code"].is_string());
        EXPECT_TRUE(j["error"]["message"].is_string());
      }
      if (role == "candidate" || role == "observer" || r.status >= 400) {
        EXPECT_EQ(find_leak(r.body), "") << "leaked to " << role;
      }
    }
  }
}

TEST_F(ApiAuthz, NoTokenWrongTokenAndOtherLoopsToken) {
  create_l6_loop();
  const auto host_of_first = tokens_["host"];
  const auto first = loop_id_;
  create_l6_loop();  // a second loop; tokens_ now belong to it
  const std::vector<std::pair<std::string, std::string>> endpoints = {
      {"GET", "/api/loops"},
      {"GET", "/api/questions"},
      {"GET", "/api/loops/" + first},
      {"GET", "/api/loops/" + first + "/rounds/1/scorecard"},
      {"PUT", "/api/loops/" + first + "/rounds/1/scorecard"},
      {"POST", "/api/loops/" + first + "/rounds/1/scorecard/submit"},
      {"GET", "/api/loops/" + first + "/debrief"},
      {"POST", "/api/loops/" + first + "/tokens/x/revoke"},
  };
  const std::string wrong = std::string(43, 'A');
  for (const auto& [m, path] : endpoints) {
    SCOPED_TRACE(m + " " + path);
    EXPECT_EQ(call(m, path, "", draft()).status, 401);
    EXPECT_EQ(call(m, path, wrong, draft()).status, 401);
    EXPECT_EQ(call(m, path, "short", draft()).status, 401);
    auto r = call(m, path, wrong);
    EXPECT_EQ(json(r)["error"]["code"], "unauthenticated");
  }
  // The second loop's host cannot touch the first loop.
  for (const auto& [m, path] : endpoints) {
    if (path == "/api/loops" || path == "/api/questions") continue;
    SCOPED_TRACE(m + " " + path);
    EXPECT_EQ(call(m, path, tokens_["host"], draft()).status, 403);
  }
  EXPECT_EQ(call("GET", "/api/loops/" + first, host_of_first).status, 200);
}

TEST_F(ApiAuthz, TokenInQueryStringWorksLikeTheHeader) {
  create_l6_loop();
  auto r = call("GET", "/api/loops/" + loop_id_ + "?token=" + tokens_["candidate"]);
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json(r)["you"]["role"], "ROLE_CANDIDATE");
}

TEST_F(ApiAuthz, RevokedTokenIsRefusedEverywhere) {
  create_l6_loop();
  auto r = call("POST", "/api/loops/" + loop_id_ + "/tokens/" + token_ids_["iv1"] + "/revoke", tokens_["host"]);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_TRUE(json(r)["revoked"].get<bool>());
  EXPECT_EQ(call("GET", "/api/loops/" + loop_id_, tokens_["iv1"]).status, 401);
  EXPECT_EQ(call("PUT", round_path(1) + "/scorecard", tokens_["iv1"], draft()).status, 401);
  // The host sees it as revoked; the others still work.
  auto loop = json(call("GET", "/api/loops/" + loop_id_, tokens_["host"]));
  bool seen = false;
  for (const auto& inv : loop["invites"]) {
    EXPECT_FALSE(inv.contains("token")) << "raw tokens are never returned after creation";
    if (inv["tokenId"] == token_ids_["iv1"]) {
      seen = true;
      EXPECT_TRUE(inv["revoked"].get<bool>());
    }
  }
  EXPECT_TRUE(seen);
  EXPECT_EQ(call("GET", "/api/loops/" + loop_id_, tokens_["iv2"]).status, 200);
  // Only the host revokes, and not their own token.
  EXPECT_EQ(call("POST", "/api/loops/" + loop_id_ + "/tokens/" + token_ids_["iv2"] + "/revoke", tokens_["bar_raiser"]).status, 403);
  EXPECT_EQ(call("POST", "/api/loops/" + loop_id_ + "/tokens/" + token_ids_["host"] + "/revoke", tokens_["host"]).status, 409);
}

TEST_F(ApiAuthz, InvitesOnlyForTheHost) {
  create_l6_loop();
  EXPECT_GT(json(call("GET", "/api/loops/" + loop_id_, tokens_["host"]))["invites"].size(), 0u);
  for (const char* role : {"iv1", "bar_raiser", "observer", "candidate"})
    EXPECT_FALSE(json(call("GET", "/api/loops/" + loop_id_, tokens_[role])).contains("invites")) << role;
}

TEST_F(ApiAuthz, UnknownRoutesAndMethods) {
  create_l6_loop();
  EXPECT_EQ(call("GET", "/api/nope").status, 404);
  EXPECT_EQ(call("DELETE", "/api/templates").status, 405);
  EXPECT_EQ(call("DELETE", "/api/loops/" + loop_id_, tokens_["host"]).status, 405);
  EXPECT_EQ(call("GET", "/api/loops/" + loop_id_ + "/rounds/99/scorecard", tokens_["host"]).status, 404);
  EXPECT_EQ(call("GET", "/api/loops/" + loop_id_ + "/rounds/x/scorecard", tokens_["host"]).status, 404);
}
