// The panel a host builds and manages (loop_panel.cpp, panel_rules.cpp): optional rounds,
// the schedule, people in several rounds, validation naming the field, host-only changes
// after creation, revocation on removal and reissue, invite statuses, and stale scorecard
// saves refused with 409.
#include <gtest/gtest.h>

#include <tuple>

#include "loop_fixture.hpp"

using namespace mockloop;
using namespace mockloop::loop;
using namespace mockloop::loop::testing;

namespace {

class PanelTest : public LoopFixture {
 protected:
  void SetUp() override {
    LoopFixture::SetUp();
    listener_ = service_->on_revoke([this](const std::string& id, const std::string& reason, uint16_t code) {
      ended_.emplace_back(id, reason, code);
    });
  }
  void TearDown() override {
    service_->remove_revoke_listener(listener_);
    LoopFixture::TearDown();
  }
  std::string loop_path() const { return "/api/loops/" + loop_id_; }
  std::string pid(const std::string& who) {
    const auto j = json(call("GET", loop_path(), tokens_["host"]));
    for (const auto& p : j["loop"]["participants"])
      if (names_[who] == p["displayName"]) return p["id"].get<std::string>();
    return "";
  }
  std::map<std::string, std::string> names_ = {{"host", "Grace"}, {"iv1", "Lin"}, {"iv2", "Kai"},
                                               {"bar_raiser", "Sam"}, {"observer", "Obi"}, {"candidate", "Ada"}};
  int listener_ = 0;
  std::vector<std::tuple<std::string, std::string, uint16_t>> ended_;
};

int64_t hour_from(int64_t now) { return now + 3'600'000; }

TEST_F(PanelTest, OptionalRoundsAreSwitchedPerRoundAndScheduledBySpecId) {
  auto r = call("POST", "/api/loops", "", R"({"templateId":"l6-loop"})");
  ASSERT_EQ(r.status, 201);
  EXPECT_EQ(json(r)["loop"]["rounds"].size(), 7u);  // the optional hiring manager chat left out
  const int64_t at = hour_from(clock_.now());
  r = call("POST", "/api/loops", "",
           R"({"templateId":"l6-loop","optionalRoundIds":["hm-chat"],"schedule":[{"specId":"hm-chat","startsAtMs":)" +
               std::to_string(at) + R"(}],"participants":[{"displayName":"Lin","role":"ROLE_INTERVIEWER","roundIndexes":[1,2,7]},
               {"displayName":"Kai","role":"ROLE_INTERVIEWER","roundIndexes":[1]},{"displayName":"Obi","role":"ROLE_OBSERVER"}]})");
  ASSERT_EQ(r.status, 201) << r.body;
  auto loop = json(r)["loop"];
  ASSERT_EQ(loop["rounds"].size(), 8u);
  EXPECT_EQ(loop["rounds"][7]["specId"], "hm-chat");
  EXPECT_EQ(loop["rounds"][7]["startsAtMs"], std::to_string(at));
  EXPECT_FALSE(loop["rounds"][0].contains("startsAtMs"));
  EXPECT_EQ(loop["participants"][1]["roundIndexes"].size(), 3u);  // one person, several rounds
}

TEST_F(PanelTest, BadPanelsAreRefusedNamingTheField) {
  const int64_t far = clock_.now() + int64_t{400} * 24 * 3600 * 1000;
  const std::vector<std::pair<std::string, std::string>> cases = {
      {R"({"templateId":"l6-loop","optionalRoundIds":["coding-1"]})", "optional_round_ids[0]"},
      {R"({"templateId":"l6-loop","optionalRoundIds":["hm-chat","hm-chat"]})", "optional_round_ids[1]"},
      {R"({"templateId":"l6-loop","schedule":[{"specId":"hm-chat","startsAtMs":5}]})", "schedule[0].spec_id"},
      {R"({"templateId":"l6-loop","schedule":[{"specId":"coding-1","startsAtMs":)" + std::to_string(far) + "}]}",
       "schedule[0].starts_at_ms"},
      {R"({"templateId":"l6-loop","participants":[{"role":"ROLE_INTERVIEWER","roundIndexes":[7]}]})",
       "participants[0].round_indexes[0]"},
      {R"({"templateId":"l6-loop","participants":[{"role":"ROLE_OBSERVER"},{"role":"ROLE_INTERVIEWER","roundIndexes":[1,1]}]})",
       "participants[1].round_indexes[1]"},
      {R"({"templateId":"l6-loop","participants":[{"role":"ROLE_BAR_RAISER"},{"role":"ROLE_BAR_RAISER"}]})",
       "participants[1].role"},
      {R"({"templateId":"l6-loop","participants":[{"role":"ROLE_OBSERVER","roundIndexes":[1]}]})",
       "participants[0].round_indexes"},
      {R"({"templateId":"l6-loop","participants":[{"role":"ROLE_HOST"}]})", "participants[0].role"},
  };
  for (const auto& [body, field] : cases) {
    auto r = call("POST", "/api/loops", "", body);
    EXPECT_EQ(r.status, 400) << body;
    const std::string message = json(r)["error"]["message"];
    EXPECT_EQ(message.rfind(field + ":", 0), 0u) << message;
  }
}

TEST_F(PanelTest, OnlyTheHostChangesThePanel) {
  create_l6_loop();
  const std::string iv2 = pid("iv2");
  for (const auto& who : {"iv1", "bar_raiser", "observer", "candidate"}) {
    const std::string t = tokens_[who];
    EXPECT_EQ(call("POST", loop_path() + "/participants", t, R"({"role":"ROLE_OBSERVER"})").status, 403) << who;
    EXPECT_EQ(call("PUT", loop_path() + "/participants/" + iv2, t, R"({"roundIndexes":[2]})").status, 403) << who;
    EXPECT_EQ(call("DELETE", loop_path() + "/participants/" + iv2, t).status, 403) << who;
    EXPECT_EQ(call("POST", loop_path() + "/participants/" + iv2 + "/invite", t).status, 403) << who;
    EXPECT_EQ(call("PUT", loop_path() + "/schedule", t, R"({"starts":[]})").status, 403) << who;
  }
  EXPECT_TRUE(ended_.empty());
}

TEST_F(PanelTest, AddReassignRemoveAndReissue) {
  create_l6_loop();
  const std::string host = tokens_["host"];
  // Add: the answer carries the only copy of the new token.
  auto r = call("POST", loop_path() + "/participants", host,
                R"({"displayName":"Ola","role":"ROLE_INTERVIEWER","roundIndexes":[3,4]})");
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string ola = json(r)["invite"]["token"];
  EXPECT_EQ(call("GET", round_path(3) + "/scorecard", ola).status, 200);
  EXPECT_EQ(call("GET", round_path(1) + "/scorecard", ola).status, 403);
  EXPECT_EQ(call("POST", loop_path() + "/participants", host, R"({"role":"ROLE_INTERVIEWER","roundIndexes":[9]})").status, 400);
  EXPECT_EQ(call("POST", loop_path() + "/participants", host, R"({"role":"ROLE_CANDIDATE"})").status, 409);
  EXPECT_EQ(call("POST", loop_path() + "/participants", host, R"({"role":"ROLE_BAR_RAISER"})").status, 409);
  // The invite list never shows a token.
  const auto listed = json(call("GET", loop_path(), host));
  for (const auto& inv : listed["invites"]) EXPECT_FALSE(inv.contains("token"));

  // Reassign Kai from round 1 to rounds 2 and 3: his connections reconnect (1012) and the
  // new rights hold on the next request.
  const std::string kai = pid("iv2");
  r = call("PUT", loop_path() + "/participants/" + kai, host, R"({"role":"ROLE_INTERVIEWER","roundIndexes":[2,3]})");
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(ended_.size(), 1u);
  EXPECT_EQ(std::get<0>(ended_[0]), token_ids_["iv2"]);
  EXPECT_EQ(std::get<2>(ended_[0]), kCloseAccessChanged);
  EXPECT_EQ(call("GET", round_path(1) + "/scorecard", tokens_["iv2"]).status, 403);
  EXPECT_EQ(call("GET", round_path(2) + "/scorecard", tokens_["iv2"]).status, 200);
  // A rename alone changes no rights: nobody is disconnected.
  r = call("PUT", loop_path() + "/participants/" + kai, host, R"({"displayName":"Kai B","role":"ROLE_INTERVIEWER","roundIndexes":[2,3]})");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(ended_.size(), 1u);
  EXPECT_EQ(call("PUT", loop_path() + "/participants/" + kai, host, R"({"roundIndexes":[2,2]})").status, 400);
  EXPECT_EQ(call("PUT", loop_path() + "/participants/" + pid("candidate"), host, R"({"role":"ROLE_OBSERVER"})").status, 409);

  // Remove the observer: the token is revoked on every channel (4401).
  const std::string obi = pid("observer");
  r = call("DELETE", loop_path() + "/participants/" + obi, host);
  ASSERT_EQ(r.status, 200) << r.body;
  ASSERT_EQ(ended_.size(), 2u);
  EXPECT_EQ(std::get<0>(ended_[1]), token_ids_["observer"]);
  EXPECT_EQ(std::get<2>(ended_[1]), kCloseAccessEnded);
  EXPECT_EQ(call("GET", loop_path(), tokens_["observer"]).status, 401);
  EXPECT_EQ(call("DELETE", loop_path() + "/participants/" + obi, host).status, 404);
  EXPECT_EQ(call("DELETE", loop_path() + "/participants/" + pid("host"), host).status, 409);
  EXPECT_EQ(call("DELETE", loop_path() + "/participants/" + pid("candidate"), host).status, 409);

  // Reissue Lin's link: the old one stops at once, the new one works.
  r = call("POST", loop_path() + "/participants/" + pid("iv1") + "/invite", host);
  ASSERT_EQ(r.status, 201) << r.body;
  const std::string lin = json(r)["token"];
  EXPECT_EQ(json(r)["link"], "/join?token=" + lin);
  EXPECT_EQ(call("GET", loop_path(), tokens_["iv1"]).status, 401);
  EXPECT_EQ(call("GET", loop_path(), lin).status, 200);
  ASSERT_EQ(ended_.size(), 3u);
  EXPECT_EQ(std::get<2>(ended_[2]), kCloseAccessEnded);
  // A revoked person can be invited again.
  ASSERT_EQ(call("POST", loop_path() + "/tokens/" + token_ids_["candidate"] + "/revoke", host).status, 200);
  EXPECT_EQ(call("GET", loop_path(), tokens_["candidate"]).status, 401);
  r = call("POST", loop_path() + "/participants/" + pid("candidate") + "/invite", host);
  ASSERT_EQ(r.status, 201);
  EXPECT_EQ(call("GET", loop_path(), json(r)["token"].get<std::string>()).status, 200);
  // Not the host's own link (it would close the page asking).
  EXPECT_EQ(call("POST", loop_path() + "/participants/" + pid("host") + "/invite", host).status, 409);
}

TEST_F(PanelTest, ScheduleIsSetByRoundIndexAndValidated) {
  create_l6_loop();
  const std::string host = tokens_["host"];
  const int64_t at = hour_from(clock_.now());
  auto r = call("PUT", loop_path() + "/schedule", host,
                R"({"starts":[{"roundIndex":2,"startsAtMs":)" + std::to_string(at) + "}]}");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json(r)["rounds"][2]["startsAtMs"], std::to_string(at));
  // Everyone sees it (the candidate too).
  EXPECT_EQ(json(call("GET", loop_path(), tokens_["candidate"]))["loop"]["rounds"][2]["startsAtMs"], std::to_string(at));
  r = call("PUT", loop_path() + "/schedule", host, R"({"starts":[{"roundIndex":99,"startsAtMs":1}]})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json(r)["error"]["message"].get<std::string>().rfind("starts[0].round_index:", 0), 0u);
  r = call("PUT", loop_path() + "/schedule", host, R"({"starts":[{"roundIndex":1,"startsAtMs":-5}]})");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(json(call("GET", loop_path(), host))["loop"]["rounds"][1].contains("startsAtMs"), false);
}

TEST_F(PanelTest, InviteStatusesFollowJoinSubmitAndRevoke) {
  create_l6_loop();
  auto status_of = [&](const std::string& who) {
    const auto j = json(call("GET", loop_path(), tokens_["host"]));
    for (const auto& inv : j["invites"])
      if (inv["tokenId"] == token_ids_[who]) return inv["status"].get<std::string>();
    return std::string();
  };
  EXPECT_EQ(status_of("iv1"), "INVITE_STATUS_INVITED");
  auto p = service_->authenticate(tokens_["iv1"]);
  ASSERT_TRUE(p.ok());
  ASSERT_TRUE(service_->note_joined(*p).ok());
  EXPECT_EQ(status_of("iv1"), "INVITE_STATUS_JOINED");
  ASSERT_EQ(call("PUT", round_path(1) + "/scorecard", tokens_["iv1"], draft()).status, 200);
  ASSERT_EQ(call("POST", round_path(1) + "/scorecard/submit", tokens_["iv1"]).status, 200);
  EXPECT_EQ(status_of("iv1"), "INVITE_STATUS_SUBMITTED");
  ASSERT_EQ(call("POST", loop_path() + "/tokens/" + token_ids_["observer"] + "/revoke", tokens_["host"]).status, 200);
  EXPECT_EQ(status_of("observer"), "INVITE_STATUS_REVOKED");
}

TEST_F(PanelTest, AStaleScorecardSaveIsRefusedWith409) {
  create_l6_loop();
  const std::string t = tokens_["iv1"];
  auto r = call("PUT", round_path(1) + "/scorecard?base_revision=0", t, draft());
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(json(r)["revision"], "1");
  // A second tab that also started from nothing is stale now.
  r = call("PUT", round_path(1) + "/scorecard?base_revision=0", t, draft("RATING_NO_HIRE"));
  EXPECT_EQ(r.status, 409);
  EXPECT_EQ(json(r)["error"]["code"], "conflict");
  EXPECT_EQ(json(call("GET", round_path(1) + "/scorecard", t))["mine"]["content"]["overall"], "RATING_HIRE");
  r = call("PUT", round_path(1) + "/scorecard?base_revision=1", t, draft("RATING_NO_HIRE"));
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(json(r)["revision"], "2");
  EXPECT_EQ(call("POST", round_path(1) + "/scorecard/submit?base_revision=1", t).status, 409);
  r = call("POST", round_path(1) + "/scorecard/submit?base_revision=2", t);
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(json(r)["revision"], "3");
  // The next version starts from the submitted one's revision.
  EXPECT_EQ(call("PUT", round_path(1) + "/scorecard?base_revision=2", t, draft()).status, 409);
  EXPECT_EQ(call("PUT", round_path(1) + "/scorecard?base_revision=3", t, draft()).status, 200);
  EXPECT_EQ(call("PUT", round_path(1) + "/scorecard?base_revision=x", t, draft()).status, 400);
  EXPECT_EQ(call("PUT", round_path(1) + "/scorecard", t, draft()).status, 200);  // no base: no check
}

}  // namespace
