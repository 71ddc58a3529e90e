// DocAccess: every role x every document of a round (shared, private, each author's notes)
// and study rooms; wrong, revoked, expired and other-loop tokens; observers editing in peer
// sessions; colleagues' notes opening once a scorecard is submitted; the principal key that
// revocation closes by.
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
  std::string pid(const std::string& name) const {
    for (const auto& part : loop_json_["participants"])
      if (part["displayName"] == name) return part["id"];
    ADD_FAILURE() << "no participant " << name;
    return "";
  }
  std::string notes(int round, const std::string& author_name) const {
    return doc_names::notes_doc(loop_json_["rounds"][round]["roomId"].get<std::string>(), pid(author_name));
  }
  // 0 = read-write, 1 = read-only, else the HTTP status of the refusal.
  int access(const std::string& doc_name, const std::string& role) {
    auto d = auth_->authorize(doc_name, tokens_[role]);
    if (d.allowed) return d.read_only ? 1 : 0;
    EXPECT_FALSE(d.reason.empty());
    return http_status(d.refusal);
  }
  std::unique_ptr<DocAccess> auth_;
};

TEST_F(DocAccessTest, RoleMatrixForSharedAndPrivateDocs) {
  create_l6_loop();
  struct Expect {
    int shared;   // 0 = read-write, 1 = read-only, else HTTP status
    int priv;
  };
  // Round 2: iv1 is assigned, iv2 is not; the loop is in round 0, so the candidate may
  // not open it. The earlier shared private doc is a read-only archive: notes are per author now.
  const std::map<std::string, Expect> round2 = {{"host", {0, 1}},     {"iv1", {0, 1}},      {"iv2", {403, 403}},
                                                {"bar_raiser", {0, 1}}, {"observer", {1, 403}}, {"candidate", {403, 403}}};
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

TEST_F(DocAccessTest, TheCandidateOpensOnlyTheCurrentRoundsDoc) {
  create_l6_loop();
  const auto candidate = tokens_["candidate"];
  EXPECT_TRUE(auth_->authorize(doc(0), candidate).allowed);
  EXPECT_EQ(http_status(auth_->authorize(doc(3), candidate).refusal), 403);
  auto host = service_->authenticate(tokens_["host"]);
  ASSERT_TRUE(host.ok());
  ASSERT_TRUE(service_->move_loop(*host, 3, false).ok());
  auto d = auth_->authorize(doc(3), candidate);
  EXPECT_TRUE(d.allowed) << d.reason;
  EXPECT_FALSE(d.read_only);
  auto old = auth_->authorize(doc(0), candidate);
  EXPECT_FALSE(old.allowed);
  EXPECT_EQ(http_status(old.refusal), 403);
  EXPECT_NE(old.reason.find("not in"), std::string::npos) << old.reason;
  // Staff still open any round they may join.
  EXPECT_TRUE(auth_->authorize(doc(0), tokens_["host"]).allowed);
  EXPECT_TRUE(auth_->authorize(doc(0), tokens_["observer"]).allowed);
  // The current round survives a restart.
  open_service();
  auth_ = std::make_unique<DocAccess>(*service_, false);
  EXPECT_TRUE(auth_->authorize(doc(3), candidate).allowed);
  EXPECT_FALSE(auth_->authorize(doc(0), candidate).allowed);
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

TEST_F(DocAccessTest, NotesAreTheAuthorsAndColleaguesReadThemUnderTheScorecardRule) {
  create_l6_loop();
  // Round 1: Lin (iv1) and Kai (iv2) interview; Grace hosts, Sam is the Bar Raiser.
  // Viewer x author before anyone submitted (0 = read-write, 1 = read-only).
  const std::map<std::string, std::map<std::string, int>> want = {
      {"host", {{"Grace", 0}, {"Lin", 1}, {"Kai", 1}, {"Sam", 1}}},
      {"bar_raiser", {{"Grace", 1}, {"Lin", 1}, {"Kai", 1}, {"Sam", 0}}},
      {"iv1", {{"Grace", 403}, {"Lin", 0}, {"Kai", 403}, {"Sam", 403}}},
      {"iv2", {{"Grace", 403}, {"Lin", 403}, {"Kai", 0}, {"Sam", 403}}},
      {"observer", {{"Grace", 403}, {"Lin", 403}, {"Kai", 403}, {"Sam", 403}}},
      {"candidate", {{"Grace", 403}, {"Lin", 403}, {"Kai", 403}, {"Sam", 403}}},
  };
  for (const auto& [viewer, row] : want)
    for (const auto& [author, expect] : row) {
      SCOPED_TRACE(viewer + " reading " + author + "'s notes");
      EXPECT_EQ(access(notes(1, author), viewer), expect);
    }
  // Kai submits a scorecard for round 1: Lin's (and the host's) notes of round 1 open
  // read-only on the next open; Lin, who has not submitted, still cannot read Kai's.
  ASSERT_EQ(call("PUT", round_path(1) + "/scorecard", tokens_["iv2"], draft()).status, 200);
  EXPECT_EQ(access(notes(1, "Lin"), "iv2"), 403) << "a draft is not a submission";
  ASSERT_EQ(call("POST", round_path(1) + "/scorecard/submit", tokens_["iv2"]).status, 200);
  EXPECT_EQ(access(notes(1, "Lin"), "iv2"), 1);
  EXPECT_EQ(access(notes(1, "Grace"), "iv2"), 1);
  EXPECT_EQ(access(notes(1, "Kai"), "iv1"), 403);
  EXPECT_EQ(access(notes(1, "Kai"), "iv2"), 0);
  // A submission opens that round only; Kai is not on round 2 at all.
  EXPECT_EQ(access(notes(2, "Lin"), "iv2"), 403);
  EXPECT_EQ(access(notes(2, "Kai"), "iv2"), 403);
  EXPECT_EQ(access(notes(2, "Lin"), "iv1"), 0);
  // Nobody keeps notes as candidate or observer, and unknown authors are no document; the
  // candidate learns nothing either way.
  EXPECT_EQ(access(notes(1, "Ada"), "host"), 404);
  EXPECT_EQ(access(notes(1, "Obi"), "host"), 404);
  EXPECT_EQ(access(notes(1, "Ada"), "candidate"), 403);
  const std::string room = loop_json_["rounds"][1]["roomId"];
  EXPECT_EQ(access(doc_names::notes_doc(room, "nobody"), "host"), 404);
  EXPECT_EQ(access(doc_names::notes_doc(room, "nobody"), "candidate"), 403);
  EXPECT_EQ(access(doc_names::notes_doc("no-such-room", pid("Lin")), "iv1"), 404);
}

TEST_F(DocAccessTest, NotesDocsOfAnotherLoopAndBadTokens) {
  create_l6_loop();
  const std::string lin_notes = notes(1, "Lin");
  const std::string lin_token = tokens_["iv1"], lin_token_id = token_ids_["iv1"];
  EXPECT_EQ(http_status(auth_->authorize(lin_notes, "").refusal), 401);
  create_l6_loop();  // another loop: its host and its "Lin" are foreign to the first
  EXPECT_EQ(access(lin_notes, "host"), 403);
  EXPECT_EQ(access(lin_notes, "iv1"), 403);
  // Revoking the author's invite closes their notes too (the principal is the token id).
  auto d = auth_->authorize(lin_notes, lin_token);
  ASSERT_TRUE(d.allowed);
  EXPECT_EQ(d.principal, lin_token_id);
}

TEST(DocNames, NotesDocsRoundTrip) {
  const auto name = doc_names::notes_doc("r-o_m", "p-notes-x");
  EXPECT_EQ(name, "room-r-o_m-notes-p-notes-x");
  const auto p = doc_names::parse(name);
  EXPECT_EQ(p.kind, doc_names::Parsed::Kind::author_notes);
  EXPECT_EQ(p.id, "r-o_m");
  EXPECT_EQ(p.author, "p-notes-x");
  EXPECT_EQ(doc_names::parse("room-abc-notes-").kind, doc_names::Parsed::Kind::other);
  EXPECT_EQ(doc_names::parse("room-abc-private").kind, doc_names::Parsed::Kind::private_notes);
  EXPECT_EQ(doc_names::parse("room-abc").kind, doc_names::Parsed::Kind::round);
}
