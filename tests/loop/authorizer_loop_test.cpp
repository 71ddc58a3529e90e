// LoopAuthorizer: every role x every document of a round (shared, private) and study
// rooms; wrong, revoked and other-loop tokens; observers editing in peer sessions.
#include "room/authorizer_loop.hpp"

#include "loop_fixture.hpp"

using namespace mockloop;
using namespace mockloop::loop;
using namespace mockloop::loop::testing;

class AuthorizerTest : public LoopFixture {
 protected:
  void SetUp() override {
    LoopFixture::SetUp();
    auto db = store::Database::open(path_.string());
    ASSERT_TRUE(db.ok());
    auth_db_ = std::move(*db);
    auto a = room::LoopAuthorizer::open(*auth_db_);
    ASSERT_TRUE(a.ok()) << a.error().message;
    auth_ = std::move(*a);
  }
  void TearDown() override {
    auth_.reset();
    auth_db_.reset();
    LoopFixture::TearDown();
  }
  std::string doc(int round, bool priv = false) const {
    return "room-" + loop_json_["rounds"][round]["roomId"].get<std::string>() + (priv ? "-private" : "");
  }
  std::unique_ptr<store::Database> auth_db_;
  std::unique_ptr<room::LoopAuthorizer> auth_;
};

TEST_F(AuthorizerTest, RoleMatrixForSharedAndPrivateDocs) {
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
        EXPECT_EQ(d.http_status, want);
        EXPECT_FALSE(d.reason.empty());
      }
    }
  }
}

TEST_F(AuthorizerTest, BadTokensAndUnknownDocs) {
  create_l6_loop();
  EXPECT_EQ(auth_->authorize(doc(1), "").http_status, 401);
  EXPECT_EQ(auth_->authorize(doc(1), std::string(43, 'Q')).http_status, 401);
  EXPECT_EQ(auth_->authorize("room-nope", tokens_["host"]).http_status, 404);
  EXPECT_EQ(auth_->authorize("something-else", tokens_["host"]).http_status, 404);
  // Revocation takes effect at once.
  ASSERT_EQ(call("POST", "/api/loops/" + loop_id_ + "/tokens/" + token_ids_["candidate"] + "/revoke", tokens_["host"]).status, 200);
  EXPECT_EQ(auth_->authorize(doc(1), tokens_["candidate"]).http_status, 401);
  // A token of another loop is refused with 403.
  const std::string first_doc = doc(1);
  create_l6_loop();
  EXPECT_EQ(auth_->authorize(first_doc, tokens_["host"]).http_status, 403);
}

TEST_F(AuthorizerTest, StudyRoomsAndPeerSessions) {
  auto s = json(call("POST", "/api/study-rooms", "", "{}"));
  const std::string study_doc = s["docName"], study_token = s["token"];
  auto d = auth_->authorize(study_doc, study_token);
  EXPECT_TRUE(d.allowed);
  EXPECT_FALSE(d.read_only);
  auto other = json(call("POST", "/api/study-rooms", "", "{}"));
  EXPECT_EQ(auth_->authorize(study_doc, other["token"].get<std::string>()).http_status, 403);
  EXPECT_EQ(auth_->authorize("study-unknown", study_token).http_status, 404);
  create_l6_loop();
  EXPECT_EQ(auth_->authorize(study_doc, tokens_["host"]).http_status, 403);
  EXPECT_EQ(auth_->authorize(doc(1), study_token).http_status, 403);
  // In a peer system design session everyone edits, observers included.
  auto peer = json(call("POST", "/api/loops", "", R"({"templateId":"peer-system-design","participants":[{"displayName":"P","role":"ROLE_OBSERVER"}]})"));
  std::string observer;
  for (const auto& inv : peer["invites"])
    if (inv["role"] == "ROLE_OBSERVER") observer = inv["token"];
  auto pd = auth_->authorize("room-" + peer["loop"]["rounds"][0]["roomId"].get<std::string>(), observer);
  EXPECT_TRUE(pd.allowed);
  EXPECT_FALSE(pd.read_only);
}
