// Scorecards over REST: visibility before/after one's own submission, locking and
// versioning, and bad input refused with nothing stored.
#include <thread>

#include "loop/limits.hpp"
#include "loop_fixture.hpp"

using namespace mockloop::loop;
using namespace mockloop::loop::testing;

class Scorecards : public LoopFixture {
 protected:
  void SetUp() override {
    LoopFixture::SetUp();
    create_l6_loop();
  }
  nlohmann::json view(const std::string& role, int round = 1) {
    auto r = call("GET", round_path(round) + "/scorecard", tokens_[role]);
    EXPECT_EQ(r.status, 200) << r.body;
    return json(r);
  }
  int put(const std::string& role, const std::string& body, int round = 1) {
    return call("PUT", round_path(round) + "/scorecard", tokens_[role], body).status;
  }
  int submit(const std::string& role, int round = 1) {
    return call("POST", round_path(round) + "/scorecard/submit", tokens_[role]).status;
  }
};

TEST_F(Scorecards, OthersAreHiddenUntilYouSubmitYourOwn) {
  ASSERT_EQ(put("iv1", draft("RATING_HIRE")), 200);
  ASSERT_EQ(submit("iv1"), 200);
  // iv2 has not submitted: iv1's card stays hidden, even with a draft of its own.
  auto before = view("iv2");
  EXPECT_TRUE(before["othersHidden"].get<bool>());
  EXPECT_FALSE(before.contains("others"));
  ASSERT_EQ(put("iv2", draft("RATING_NO_HIRE")), 200);
  EXPECT_TRUE(view("iv2")["othersHidden"].get<bool>());
  EXPECT_EQ(view("iv2")["mine"]["status"], "SCORECARD_STATUS_DRAFT");
  // After submitting, iv2 sees iv1's submitted card.
  ASSERT_EQ(submit("iv2"), 200);
  auto after = view("iv2");
  EXPECT_FALSE(after.value("othersHidden", false));
  ASSERT_EQ(after["others"].size(), 1u);
  EXPECT_EQ(after["others"][0]["authorName"], "Lin");
  EXPECT_EQ(after["others"][0]["content"]["overall"], "RATING_HIRE");
  // Drafts of others are never shown, even to the host.
  ASSERT_EQ(put("bar_raiser", draft("RATING_HIRE")), 200);
  auto host = view("host");
  EXPECT_FALSE(host.value("othersHidden", false));
  EXPECT_EQ(host["others"].size(), 2u);
}

TEST_F(Scorecards, SubmittedCardIsLockedAndAnEditIsANewVersion) {
  ASSERT_EQ(put("iv1", draft("RATING_HIRE")), 200);
  ASSERT_EQ(put("iv1", draft("RATING_STRONG_HIRE")), 200);  // still version 1, a draft
  EXPECT_EQ(view("iv1")["mine"]["version"], 1);
  ASSERT_EQ(submit("iv1"), 200);
  EXPECT_EQ(submit("iv1"), 409) << "nothing left to submit";
  // Editing after submission starts version 2; version 1 is kept as submitted.
  ASSERT_EQ(put("iv1", draft("RATING_NO_HIRE")), 200);
  auto v = view("iv1");
  EXPECT_EQ(v["mine"]["version"], 2);
  EXPECT_EQ(v["mine"]["status"], "SCORECARD_STATUS_DRAFT");
  ASSERT_EQ(v["history"].size(), 1u);
  EXPECT_EQ(v["history"][0]["version"], 1);
  EXPECT_EQ(v["history"][0]["status"], "SCORECARD_STATUS_SUBMITTED");
  EXPECT_EQ(v["history"][0]["content"]["overall"], "RATING_STRONG_HIRE");
  // Others still see the submitted version 1 until version 2 is submitted.
  ASSERT_EQ(put("iv2", draft()), 200);
  ASSERT_EQ(submit("iv2"), 200);
  EXPECT_EQ(view("iv2")["others"][0]["content"]["overall"], "RATING_STRONG_HIRE");
  ASSERT_EQ(submit("iv1"), 200);
  EXPECT_EQ(view("iv2")["others"][0]["content"]["overall"], "RATING_NO_HIRE");
  EXPECT_EQ(view("iv2")["others"][0]["version"], 2);
}

TEST_F(Scorecards, TheDatabaseRefusesToChangeASubmittedRow) {
  ASSERT_EQ(put("iv1", draft()), 200);
  ASSERT_EQ(submit("iv1"), 200);
  EXPECT_FALSE(db_->exec("UPDATE scorecards SET status = 1").ok());
  EXPECT_FALSE(db_->exec("DELETE FROM scorecards").ok());
}

TEST_F(Scorecards, BadInputIsRefusedAndNothingIsStored) {
  const std::vector<std::pair<std::string, int>> bad = {
      {"{not json", 400},
      {R"({"overall":"RATING_SUPERB"})", 400},
      {R"({"overall":9})", 400},
      {R"({"competencies":[{"competencyId":"problem-solving","rating":7}]})", 400},
      {R"({"competencies":[{"competencyId":"no-such-competency","rating":"RATING_HIRE"}]})", 400},
      {R"({"competencies":[{"competencyId":"star","rating":"RATING_HIRE"}]})", 400},  // behavioral, not coding
      {R"({"lpSignals":[{"lpId":"be-nice","rating":"RATING_HIRE"}]})", 400},
      {R"({"competencies":[{"competencyId":"testing"},{"competencyId":"testing"}]})", 400},
      {R"({"unknownField":1})", 400},
      {std::string(R"({"summary":")") + std::string(17 * 1024, 'x') + R"("})", 400},
      {std::string(R"({"competencies":[{"competencyId":"testing","evidence":")") + std::string(9 * 1024, 'x') + R"("}]})", 400},
      {std::string(R"({"summary":")") + std::string(300 * 1024, 'x') + R"("})", 413},
      {R"({"barRaiserVerdict":"BAR_RAISER_VERDICT_VETO"})", 403},  // interviewer may not veto
  };
  for (const auto& [body, status] : bad) {
    SCOPED_TRACE(body.substr(0, 80));
    auto r = call("PUT", round_path(1) + "/scorecard", tokens_["iv1"], body);
    EXPECT_EQ(r.status, status) << r.body;
    EXPECT_TRUE(json(r)["error"]["message"].is_string());
  }
  EXPECT_FALSE(view("iv1").contains("mine")) << "nothing stored";
  EXPECT_EQ(submit("iv1"), 409);
  // Submitting without an overall recommendation is refused; the draft stays a draft.
  ASSERT_EQ(put("iv1", R"({"summary":"no overall yet"})"), 200);
  EXPECT_EQ(submit("iv1"), 400);
  EXPECT_EQ(view("iv1")["mine"]["status"], "SCORECARD_STATUS_DRAFT");
  // The bar raiser may record a verdict.
  EXPECT_EQ(put("bar_raiser", R"({"overall":"RATING_HIRE","barRaiserVerdict":"BAR_RAISER_VERDICT_APPROVE"})", 6), 200);
}

// Evidence links (issue 19): a rating cites at most 8 moments, each inside the loop's time
// (from its creation to now plus kMomentSkewMs); they round-trip as given.
TEST_F(Scorecards, CitedMomentsAreBoundedToTheLoopsTime) {
  const int64_t created = clock_.now();
  clock_.advance(60'000);
  const int64_t now = clock_.now();
  auto card = [](const std::string& moments) {
    return R"({"competencies":[{"competencyId":"testing","rating":"RATING_HIRE","momentsMs":[)" + moments + "]}]}";
  };
  auto lp = [](const std::string& moments) {
    return R"({"lpSignals":[{"lpId":"dive-deep","rating":"RATING_HIRE","momentsMs":[)" + moments + "]}]}";
  };
  const std::string nine = "1,2,3,4,5,6,7,8,9";
  std::string nine_ok;
  for (int k = 0; k < 9; ++k) nine_ok += (k ? "," : "") + std::to_string(created + k);
  for (const auto& body : {card(std::to_string(created - 1)), card(std::to_string(now + kMomentSkewMs + 1)),
                           card(nine_ok), lp(std::to_string(created - 1)), lp(nine), card("-5")}) {
    SCOPED_TRACE(body);
    auto r = call("PUT", round_path(1) + "/scorecard", tokens_["iv1"], body);
    EXPECT_EQ(r.status, 400) << r.body;
  }
  EXPECT_FALSE(view("iv1").contains("mine")) << "nothing stored";
  const std::string ok = std::to_string(created) + "," + std::to_string(now) + "," + std::to_string(now + kMomentSkewMs);
  ASSERT_EQ(put("iv1", card(ok)), 200);
  const auto back = view("iv1")["mine"]["content"]["competencies"][0]["momentsMs"];
  ASSERT_EQ(back.size(), 3u);
  EXPECT_EQ(back[0], std::to_string(created));
  EXPECT_EQ(back[2], std::to_string(now + kMomentSkewMs));
  ASSERT_EQ(put("iv1", lp(std::to_string(now))), 200);
  EXPECT_EQ(view("iv1")["mine"]["content"]["lpSignals"][0]["momentsMs"][0], std::to_string(now));
}

TEST_F(Scorecards, DebriefFollowsSubmittedScorecardsAndTheVeto) {
  // Six onsite rounds (1..6); round 6 is the Bar Raiser's.
  for (int r = 1; r <= 5; ++r) {
    const std::string body = R"({"overall":"RATING_HIRE"})";
    ASSERT_EQ(put("host", body, r), 200);
    ASSERT_EQ(submit("host", r), 200);
  }
  ASSERT_EQ(put("bar_raiser", R"({"overall":"RATING_HIRE","barRaiserVerdict":"BAR_RAISER_VERDICT_VETO"})", 6), 200);
  auto pending = json(call("GET", "/api/loops/" + loop_id_ + "/debrief", tokens_["host"]));
  EXPECT_EQ(pending["decision"]["outcome"], "DECISION_OUTCOME_PENDING") << pending["decision"].dump();
  ASSERT_EQ(submit("bar_raiser", 6), 200);
  auto d = json(call("GET", "/api/loops/" + loop_id_ + "/debrief", tokens_["bar_raiser"]));
  EXPECT_EQ(d["decision"]["outcome"], "DECISION_OUTCOME_NO_HIRE");
  EXPECT_TRUE(d["decision"]["barRaiserVetoed"].get<bool>());
  EXPECT_EQ(d["rounds"].size(), 7u);
  EXPECT_EQ(d["lpCoverage"].size(), 16u);
  auto html = call("GET", "/api/loops/" + loop_id_ + "/debrief", tokens_["host"], "", "text/html");
  EXPECT_EQ(html.status, 200);
  EXPECT_EQ(html.content_type.rfind("text/html", 0), 0u);
  EXPECT_NE(html.body.find("vetoed"), std::string::npos);
}

class CreateLoop : public LoopFixture {};

TEST_F(CreateLoop, BadRequestsAreRefusedAndCreateNothing) {
  const std::vector<std::pair<std::string, int>> bad = {
      {R"({"templateId":"l9-loop"})", 404},
      {R"({"templateId":"l6-loop",)", 400},
      {R"({"templateId":"l6-loop","colour":"red"})", 400},
      {R"({"templateId":"l6-loop","participants":[{"displayName":"X","role":"ROLE_HOST"}]})", 400},
      {R"({"templateId":"l6-loop","participants":[{"displayName":"X","role":"ROLE_INTERVIEWER","roundIndexes":[42]}]})", 400},
      {R"({"templateId":"l6-loop","participants":[{"displayName":"X","role":"ROLE_CANDIDATE"},{"displayName":"Y","role":"ROLE_CANDIDATE"}]})", 400},
      {R"({"templateId":"l6-loop","participants":[{"displayName":"X","role":17}]})", 400},
      {std::string(R"({"templateId":"l6-loop","title":")") + std::string(300, 'x') + R"("})", 400},
  };
  for (const auto& [body, status] : bad) {
    SCOPED_TRACE(body.substr(0, 80));
    auto r = call("POST", "/api/loops", "", body);
    EXPECT_EQ(r.status, status) << r.body;
  }
  auto count = db_->prepare("SELECT (SELECT count(*) FROM loops) + (SELECT count(*) FROM loop_tokens)");
  ASSERT_TRUE(count.ok());
  ASSERT_TRUE(*count->step());
  EXPECT_EQ(count->column_int64(0), 0);
}

TEST_F(CreateLoop, ReturnsRoundsBreaksAndUnguessableInvites) {
  auto r = call("POST", "/api/loops", "", R"({"templateId":"l6-loop","includeOptionalRounds":true})");
  ASSERT_EQ(r.status, 201) << r.body;
  auto j = json(r);
  ASSERT_EQ(j["loop"]["rounds"].size(), 8u);
  EXPECT_EQ(j["loop"]["rounds"][1]["breakMinutesAfter"], 15);
  EXPECT_FALSE(j["loop"]["rounds"][7].contains("breakMinutesAfter"));
  ASSERT_EQ(j["invites"].size(), 2u);  // host and the implicit candidate
  EXPECT_EQ(j["invites"][0]["role"], "ROLE_HOST");
  EXPECT_EQ(j["invites"][1]["role"], "ROLE_CANDIDATE");
  const std::string token = j["invites"][0]["token"];
  EXPECT_EQ(token.size(), 43u);
  EXPECT_EQ(j["invites"][0]["link"], "/join?token=" + token);
  // Only the hash is stored.
  auto st = db_->prepare("SELECT count(*) FROM loop_tokens WHERE hash = ?1 OR CAST(hash AS TEXT) = ?1");
  ASSERT_TRUE(st.ok());
  st->bind_text(1, token);
  ASSERT_TRUE(*st->step());
  EXPECT_EQ(st->column_int64(0), 0);
}

TEST_F(CreateLoop, TemplatesAndQuestions) {
  auto t = json(call("GET", "/api/templates"));
  EXPECT_EQ(t["templates"].size(), 6u);
  create_l6_loop();
  auto q = json(call("GET", "/api/questions?round_kind=behavioral&lp=have-backbone&level=l7", tokens_["iv1"]));
  ASSERT_EQ(q["questions"].size(), 1u);
  EXPECT_EQ(q["questions"][0]["id"], "beh-backbone-l7");
  EXPECT_EQ(call("GET", "/api/questions?round_kind=juggling", tokens_["iv1"]).status, 400);
}

TEST_F(CreateLoop, StudyRoom) {
  auto r = call("POST", "/api/study-rooms", "", R"({"title":"Tuesday design club"})");
  ASSERT_EQ(r.status, 201) << r.body;
  auto j = json(r);
  EXPECT_EQ(j["docName"], "study-" + j["id"].get<std::string>());
  EXPECT_NE(j["link"].get<std::string>().find(j["token"].get<std::string>()), std::string::npos);
  // A study token opens no loop.
  EXPECT_EQ(call("GET", "/api/loops", j["token"]).status, 200);
  EXPECT_EQ(json(call("GET", "/api/loops", j["token"])).value("loops", nlohmann::json::array()).size(), 0u);
}

TEST_F(Scorecards, ConcurrentRequestsFromManyThreadsAreSerialised) {
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (const char* role : {"iv1", "iv2", "host", "bar_raiser"}) {
    threads.emplace_back([&, role] {
      for (int i = 0; i < 25; ++i) {
        if (call("PUT", round_path(1) + "/scorecard", tokens_[role], draft()).status != 200) ++failures;
        if (call("GET", round_path(1) + "/scorecard", tokens_[role]).status != 200) ++failures;
        if (call("GET", "/api/loops/" + loop_id_, tokens_["candidate"]).status != 200) ++failures;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(view("iv1")["mine"]["version"], 1) << "all saves edited the same draft";
}

TEST_F(Scorecards, ARevisionAfterReadingThePanelIsMarkedInTheDebrief) {
  // iv1 submits first; iv2 submits a throwaway card, reads iv1's, then revises.
  ASSERT_EQ(put("iv1", draft("RATING_HIRE")), 200);
  ASSERT_EQ(submit("iv1"), 200);
  ASSERT_EQ(put("iv2", draft("RATING_STRONG_NO_HIRE")), 200);
  ASSERT_EQ(submit("iv2"), 200);
  EXPECT_FALSE(view("iv2")["mine"].contains("revisedAfterViewingPanel")) << "submitted before reading";
  clock_.advance(60'000);
  ASSERT_EQ(view("iv2")["others"].size(), 1u);  // reads the panel: remembered
  clock_.advance(60'000);
  ASSERT_EQ(put("iv2", draft("RATING_HIRE")), 200);
  ASSERT_EQ(submit("iv2"), 200);
  auto mine = view("iv2");
  EXPECT_EQ(mine["mine"]["version"], 2);
  EXPECT_TRUE(mine["mine"].value("revisedAfterViewingPanel", false));
  EXPECT_FALSE(mine["history"][0].contains("revisedAfterViewingPanel")) << "the first version stays unmarked";
  // iv1 never read the others before submitting: unmarked.
  EXPECT_FALSE(view("iv1")["mine"].contains("revisedAfterViewingPanel"));

  auto d = call("GET", "/api/loops/" + loop_id_ + "/debrief", tokens_["host"]);
  ASSERT_EQ(d.status, 200) << d.body;
  std::map<std::string, bool> marked;
  const auto debrief = json(d);
  for (const auto& round : debrief["rounds"])
    if (round.value("roundIndex", 0) == 1)
      for (const auto& sc : round["scorecards"]) marked[sc["authorName"]] = sc.value("revisedAfterViewingPanel", false);
  EXPECT_EQ(marked, (std::map<std::string, bool>{{"Kai", true}, {"Lin", false}}));
  auto html = call("GET", "/api/loops/" + loop_id_ + "/debrief", tokens_["host"], "", "text/html");
  ASSERT_EQ(html.status, 200);
  EXPECT_NE(html.body.find("revised after reading the panel's feedback"), std::string::npos)
      << html.body.substr(0, 400);
}

TEST_F(Scorecards, ThePanelViewSurvivesARestart) {
  ASSERT_EQ(put("iv1", draft("RATING_HIRE")), 200);
  ASSERT_EQ(submit("iv1"), 200);
  ASSERT_EQ(put("iv2", draft("RATING_HIRE")), 200);
  ASSERT_EQ(submit("iv2"), 200);
  ASSERT_EQ(view("iv2")["others"].size(), 1u);
  open_service();
  ASSERT_EQ(put("iv2", draft("RATING_NO_HIRE")), 200);
  ASSERT_EQ(submit("iv2"), 200);
  EXPECT_TRUE(view("iv2")["mine"].value("revisedAfterViewingPanel", false));
}
