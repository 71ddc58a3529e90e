// DocAccess: every role x every document of a round (shared, private) and study rooms;
// wrong, revoked, expired and other-loop tokens; observers editing in peer sessions; the
// principal key that revocation closes by.
#include "loop/doc_access.hpp"
#include "loop/doc_names.hpp"

#include "loop_fixture.hpp"

using namespace mockloop;
using namespace mockloop::loop;
using namespace mockloop::loop::testing;

class DocAccessTest : public LoopFixture {
 protected:
  void SetUp() override {
    LoopFixture::SetUp();
    auth_ = std::make_unique<DocAccess>(*service_, false);
  }
  void TearDown() override {
    auth_.reset();
    LoopFixture::TearDown();
  }
  std::string doc(int round, bool priv = false) const {
    const std::string id = loop_json_["rounds"][round]["roomId"];
    return priv ? doc_names::private_doc(id) : doc_names::round_doc(id);
  }
  std::unique_ptr<DocAccess> auth_;
};

TEST_F(DocAccessTest, RoleMatrixForSharedAndPrivateDocs) {
  create_l6_loop();
  struct Expect {
    int shared;   // 0 = read-write, 1 = read-only, else HTTP status
    int priv;
  };
  // Round 2: iv1 is assigned, iv2 is not.
  const std::map<std::string, Expect> round2 = {{"host", {0, 0}},     {"iv1", {0, 0}},      {"iv2", {403, 403}},
                                                {"bar_raiser", {0, 0}}, {"observer", {1, 403}}, {"candidate", {0, 403}}};
  for (const auto& [role, e] : round2) {
    for (bool priv : {false, true}) {
      SCOPED_TRACE(role + (priv ? " private" : " shared"));
      auto d = auth_->authorize(doc(2, priv), tokens_[role]);
      const int want = priv ? e.priv : e.shared;
      if (want <= 1) {
        EXPECT_TRUE(d.allowed) << d.reason;
        EXPECT_EQ(d.read_only, want == 1);
      } else {
        EXPECT_FALSE(d.allowed);
        EXPECT_EQ(http_status(d.refusal), want);
        EXPECT_FALSE(d.reason.empty());
      }
    }
  }
}

TEST_F(DocAccessTest, BadTokensAndUnknownDocs) {
  create_l6_loop();
  EXPECT_EQ(http_status(auth_->authorize(doc(1), "").refusal), 401);
  EXPECT_EQ(http_status(auth_->authorize(doc(1), std::string(43, 'Q')).refusal), 401);
  EXPECT_EQ(http_status(auth_->authorize("room-nope", tokens_["host"]).refusal), 404);
  // Names outside the loop domain are anonymous docs: refused without --allow-anonymous-docs.
  EXPECT_EQ(http_status(auth_->authorize("something-else", tokens_["host"]).refusal), 401);
  // Revocation takes effect at once.
  ASSERT_EQ(call("POST", "/api/loops/" + loop_id_ + "/tokens/" + token_ids_["candidate"] + "/revoke", tokens_["host"]).status, 200);
  EXPECT_EQ(http_status(auth_->authorize(doc(1), tokens_["candidate"]).refusal), 401);
  // A token of another loop is refused with 403.
  const std::string first_doc = doc(1);
  create_l6_loop();
  EXPECT_EQ(http_status(auth_->authorize(first_doc, tokens_["host"]).refusal), 403);
}

TEST_F(DocAccessTest, StudyRoomsAndPeerSessions) {
  auto s = json(call("POST", "/api/study-rooms", "", "{}"));
  const std::string study_doc = s["docName"], study_token = s["token"];
  auto d = auth_->authorize(study_doc, study_token);
  EXPECT_TRUE(d.allowed);
  EXPECT_FALSE(d.read_only);
  auto other = json(call("POST", "/api/study-rooms", "", "{}"));
  EXPECT_EQ(http_status(auth_->authorize(study_doc, other["token"].get<std::string>()).refusal), 403);
  EXPECT_EQ(http_status(auth_->authorize("study-unknown", study_token).refusal), 404);
  create_l6_loop();
  EXPECT_EQ(http_status(auth_->authorize(study_doc, tokens_["host"]).refusal), 403);
  EXPECT_EQ(http_status(auth_->authorize(doc(1), study_token).refusal), 403);
  // In a peer system design session everyone edits, observers included.
  auto peer = json(call("POST", "/api/loops", "", R"({"templateId":"peer-system-design","participants":[{"displayName":"P","role":"ROLE_OBSERVER"}]})"));
  std::string observer;
  for (const auto& inv : peer["invites"])
    if (inv["role"] == "ROLE_OBSERVER") observer = inv["token"];
  auto pd = auth_->authorize("room-" + peer["loop"]["rounds"][0]["roomId"].get<std::string>(), observer);
  EXPECT_TRUE(pd.allowed);
  EXPECT_FALSE(pd.read_only);
}

TEST_F(DocAccessTest, PrincipalIsTheTokenIdAndExpiredTokensAreRefused) {
  const std::string body = R"({"templateId":"l6-loop","participants":[
      {"displayName":"Tmp","role":"ROLE_INTERVIEWER","expiresAtMs":)" + std::to_string(clock_.now() + 60'000) + "}]}";
  auto r = call("POST", "/api/loops", "", body);
  ASSERT_EQ(r.status, 201) << r.body;
  auto j = json(r);
  loop_json_ = j["loop"];
  std::string token, token_id;
  for (const auto& inv : j["invites"])
    if (inv["displayName"] == "Tmp") token = inv["token"], token_id = inv["tokenId"];
  auto d = auth_->authorize(doc(1, true), token);
  ASSERT_TRUE(d.allowed) << d.reason;
  EXPECT_EQ(d.principal, token_id);
  clock_.advance(60'000);
  auto late = auth_->authorize(doc(1, true), token);
  EXPECT_FALSE(late.allowed);
  EXPECT_EQ(late.refusal, Errc::unauthenticated);
  EXPECT_EQ(close_code(late.refusal), 4401);
}

TEST_F(DocAccessTest, ExpiryInThePastIsRefused) {
  const std::string body = R"({"templateId":"l6-loop","participants":[
      {"displayName":"Tmp","role":"ROLE_INTERVIEWER","expiresAtMs":)" + std::to_string(clock_.now() - 1) + "}]}";
  EXPECT_EQ(call("POST", "/api/loops", "", body).status, 400);
}
