// The authorization matrix, generated: every token kind (each loop role, revoked, expired,
// another loop's, a study room's, none) x every resource x action x round, probed through
// the real code paths (ApiRouter, LoopService, SessionHub, DocAccess) with real tokens, and
// each outcome compared with the policy table (loop/policy.hpp); study rooms' session and
// practice bank (StudyHub, StudyService) included. A code path that forgets
// to consult the policy, or decides differently, fails here. Every (resource, action) pair
// of the table has a probe or is listed as having no code path at all.
#include <gtest/gtest.h>

#include <algorithm>
#include <atomic>
#include <functional>
#include <set>

#include "loop/call_rules.hpp"
#include "loop/doc_access.hpp"
#include "loop/doc_names.hpp"
#include "loop/policy.hpp"
#include "loop/session_hub.hpp"
#include "loop/study_hub.hpp"
#include "loop/study_service.hpp"
#include "loop_fixture.hpp"

using namespace mockloop;
using namespace mockloop::loop;
using namespace mockloop::loop::testing;
using policy::Action;
using policy::Resource;
using policy::TokenKind;

namespace {

// What a probe observed: allowed, or refused with 401 / 403.
enum class Outcome { allowed, unauthenticated, forbidden, other };

std::string to_string(Outcome o) {
  switch (o) {
    case Outcome::allowed: return "allowed";
    case Outcome::unauthenticated: return "401";
    case Outcome::forbidden: return "403";
    default: return "other";
  }
}

Outcome from_status(int status) {
  if (status == 401) return Outcome::unauthenticated;
  if (status == 403) return Outcome::forbidden;
  return Outcome::allowed;  // 2xx, or a refusal that is not about who asks (409, 400, 404)
}

Outcome expected(const policy::Decision& d) {
  if (d.allowed) return Outcome::allowed;
  return d.refusal == Errc::unauthenticated ? Outcome::unauthenticated : Outcome::forbidden;
}

// Keeps only the close code (the hub closes a refused session from its worker).
class NullPeer : public room::Peer {
 public:
  uint64_t id() const override { return 7; }
  void send(std::shared_ptr<const std::vector<uint8_t>>) override {}
  void close(uint16_t c, std::string) override { code = c; }
  std::atomic<uint16_t> code{0};
};

// One token under test.
struct Subject {
  std::string name;
  std::string token;
  TokenKind kind;  // towards loop A (and its rounds)
  v1::Role role = v1::ROLE_UNSPECIFIED;
  std::set<uint32_t> rounds;  // interviewers' assigned rounds (empty = all)
  bool own_study = false;     // a token of study room S
};

class PolicyMatrixTest : public LoopFixture {
 protected:
  void SetUp() override {
    LoopFixture::SetUp();
    const int64_t expires = clock_.now() + 60'000;
    const std::string body = R"({"templateId":"l6-loop","hostName":"Grace","participants":[
        {"displayName":"Lin","role":"ROLE_INTERVIEWER","roundIndexes":[1,2]},
        {"displayName":"Kai","role":"ROLE_INTERVIEWER","roundIndexes":[1]},
        {"displayName":"Sam","role":"ROLE_BAR_RAISER"},
        {"displayName":"Obi","role":"ROLE_OBSERVER"},
        {"displayName":"Ada","role":"ROLE_CANDIDATE"},
        {"displayName":"Rev","role":"ROLE_INTERVIEWER"},
        {"displayName":"Exp","role":"ROLE_INTERVIEWER","expiresAtMs":)" +
                             std::to_string(expires) + R"(},
        {"displayName":"Spare","role":"ROLE_OBSERVER"}]})";
    auto r = call("POST", "/api/loops", "", body);
    ASSERT_EQ(r.status, 201) << r.body;
    auto j = json(r);
    loop_id_ = j["loop"]["id"];
    loop_json_ = j["loop"];
    std::map<std::string, std::string> tok, ids;
    for (const auto& inv : j["invites"]) {
      tok[inv["displayName"]] = inv["token"];
      ids[inv["displayName"]] = inv["tokenId"];
      pids_[inv["token"]] = inv["participantId"];
    }
    grace_pid_ = pids_[tok["Grace"]];
    sam_pid_ = pids_[tok["Sam"]];
    host_token_ = tok["Grace"];
    spare_id_ = ids["Spare"];
    ASSERT_EQ(call("POST", "/api/loops/" + loop_id_ + "/tokens/" + ids["Rev"] + "/revoke", host_token_).status, 200);
    auto written = call("POST", "/api/loops/" + loop_id_ + "/written", host_token_,
                        R"({"kind":"WRITTEN_KIND_SIX_PAGER","promptId":"global-cdn","dueAtMs":)" +
                            std::to_string(clock_.now() + 14 * 86'400'000LL) + "}");
    ASSERT_EQ(written.status, 201) << written.body;
    written_id_ = json(written)["id"];
    auto other = json(call("POST", "/api/loops", "", R"({"templateId":"l6-loop"})"));
    pids_[other["invites"][0]["token"]] = other["invites"][0]["participantId"];
    auto study = json(call("POST", "/api/study-rooms", "", "{}"));
    study_doc_ = study["docName"];
    clock_.advance(60'000);  // "Exp" has expired

    subjects_ = {
        {"host", tok["Grace"], TokenKind::participant, v1::ROLE_HOST, {}},
        {"interviewer(1,2)", tok["Lin"], TokenKind::participant, v1::ROLE_INTERVIEWER, {1, 2}},
        {"interviewer(1)", tok["Kai"], TokenKind::participant, v1::ROLE_INTERVIEWER, {1}},
        {"bar_raiser", tok["Sam"], TokenKind::participant, v1::ROLE_BAR_RAISER, {}},
        {"observer", tok["Obi"], TokenKind::participant, v1::ROLE_OBSERVER, {}},
        {"candidate", tok["Ada"], TokenKind::participant, v1::ROLE_CANDIDATE, {}},
        {"revoked interviewer", tok["Rev"], TokenKind::revoked, v1::ROLE_INTERVIEWER, {}},
        {"expired interviewer", tok["Exp"], TokenKind::expired, v1::ROLE_INTERVIEWER, {}},
        {"other loop's host", other["invites"][0]["token"], TokenKind::foreign, v1::ROLE_HOST, {}},
        {"study token", study["token"], TokenKind::study, v1::ROLE_UNSPECIFIED, {}, true},
        {"no token", "", TokenKind::none, v1::ROLE_UNSPECIFIED, {}},
        {"unknown token", std::string(43, 'Q'), TokenKind::none, v1::ROLE_UNSPECIFIED, {}},
    };
    access_ = std::make_unique<DocAccess>(*service_, false);
    hub_ = std::make_unique<SessionHub>(*service_);
    auto study_db = store::Database::open(path_.string());  // the study service's own connection
    ASSERT_TRUE(study_db.ok());
    study_db_ = std::move(*study_db);
    auto study_svc = StudyService::create(*study_db_, shipped_catalog(), clock_.fn());
    ASSERT_TRUE(study_svc.ok()) << study_svc.error().message;
    study_ = std::move(*study_svc);
    study_hub_ = std::make_unique<StudyHub>(*service_, *study_);
  }
  void TearDown() override {
    study_hub_.reset();
    study_.reset();
    study_db_.reset();
    hub_.reset();
    access_.reset();
    LoopFixture::TearDown();
  }

  std::string room_id(uint32_t r) const { return loop_json_["rounds"][r]["roomId"]; }

  Outcome doc_outcome(const std::string& doc, const std::string& token, Action a) {
    auto d = access_->authorize(doc, token);
    if (!d.allowed) return from_status(http_status(d.refusal));
    if (a == Action::write && d.read_only) return Outcome::forbidden;
    return Outcome::allowed;
  }

  // Runs `fn` with the subject's Principal, or reports the authentication refusal.
  Outcome as(const Subject& s, const std::function<Outcome(const Principal&)>& fn) {
    auto p = service_->authenticate(s.token);
    if (!p) return from_status(http_status(p.error().code));
    return fn(*p);
  }

  // Every probe of one cell: the outcomes of the real code paths that serve it. Empty
  // when no code path serves it for this subject.
  std::vector<std::pair<std::string, Outcome>> probe(const Subject& s, Resource res, Action a, uint32_t r) {
    std::vector<std::pair<std::string, Outcome>> out;
    const std::string loop = "/api/loops/" + loop_id_;
    const std::string round = loop + "/rounds/" + std::to_string(r);
    // The session protocol acts on the token's own loop: a foreign token would act on its own.
    const bool session_paths = s.kind != TokenKind::foreign;
    switch (res) {
      case Resource::loop:
        if (a == Action::read) {
          out.emplace_back("GET /api/loops/{id}", from_status(call("GET", loop, s.token).status));
          if (session_paths) {
            auto peer = std::make_shared<NullPeer>();
            auto opened = hub_->open(s.token, peer);
            hub_->wait_idle();
            // A refusal closes with 4000 + the HTTP status (common/error.hpp).
            out.emplace_back("/session open", peer->code == 0 ? Outcome::allowed : from_status(peer->code - 4000));
            opened->leave();
          }
        }
        break;
      case Resource::invites:
        if (a == Action::read) {
          auto resp = call("GET", loop, s.token);
          Outcome o = from_status(resp.status);
          if (o == Outcome::allowed && !json(resp).contains("invites")) o = Outcome::forbidden;  // filtered out
          out.emplace_back("GET /api/loops/{id} invites", o);
        } else {
          out.emplace_back("POST revoke",
                           from_status(call("POST", loop + "/tokens/" + spare_id_ + "/revoke", s.token).status));
          // The panel's other changes share the cell; an empty schedule changes nothing.
          out.emplace_back("PUT schedule", from_status(call("PUT", loop + "/schedule", s.token, R"({"starts":[]})").status));
          out.emplace_back("DELETE participant (unknown)",
                           from_status(call("DELETE", loop + "/participants/nobody", s.token).status));
        }
        break;
      case Resource::round_doc:
        out.emplace_back("/yjs round doc", doc_outcome(doc_names::round_doc(room_id(r)), s.token, a));
        break;
      case Resource::private_doc:
        out.emplace_back("/yjs private doc", doc_outcome(doc_names::private_doc(room_id(r)), s.token, a));
        break;
      case Resource::own_notes: {
        const auto pid = pids_.find(s.token);
        const std::string author = pid == pids_.end() ? "nobody" : pid->second;
        out.emplace_back("/yjs own notes doc", doc_outcome(doc_names::notes_doc(room_id(r), author), s.token, a));
        break;
      }
      case Resource::others_notes: {
        // A colleague who keeps notes in every round: the Bar Raiser for the host, else the host.
        const auto pid = pids_.find(s.token);
        const std::string author = pid != pids_.end() && pid->second == grace_pid_ ? sam_pid_ : grace_pid_;
        out.emplace_back("/yjs colleague's notes doc", doc_outcome(doc_names::notes_doc(room_id(r), author), s.token, a));
        break;
      }
      case Resource::study_doc:
        out.emplace_back("/yjs study doc", doc_outcome(study_doc_, s.token, a));
        break;
      case Resource::question_bank:
        if (a == Action::read) out.emplace_back("GET /api/questions", from_status(call("GET", "/api/questions", s.token).status));
        break;
      case Resource::round_session:
        if (!session_paths) break;
        if (a == Action::read) {
          out.emplace_back("session snapshot", as(s, [&](const Principal& p) {
                             auto snap = service_->snapshot(p, r);
                             return snap ? Outcome::allowed : from_status(http_status(snap.error().code));
                           }));
        } else {
          out.emplace_back("session timer", as(s, [&](const Principal& p) {
                             v1::TimerCommand cmd;
                             cmd.set_action(v1::TIMER_ACTION_RESET);
                             auto t = service_->timer_command(p, r, cmd);
                             return t ? Outcome::allowed : from_status(http_status(t.error().code));
                           }));
          out.emplace_back("session select question", as(s, [&](const Principal& p) {
                             auto q = service_->select_question(p, r, "no-such-question");
                             return q ? Outcome::allowed : from_status(http_status(q.error().code));
                           }));
        }
        break;
      case Resource::own_scorecard:
        if (a == Action::read) {
          out.emplace_back("GET scorecard", from_status(call("GET", round + "/scorecard", s.token).status));
        } else {
          out.emplace_back("PUT scorecard", from_status(call("PUT", round + "/scorecard", s.token, "{}").status));
          out.emplace_back("POST scorecard/submit",
                           from_status(call("POST", round + "/scorecard/submit", s.token).status));
        }
        break;
      case Resource::others_scorecards:
        if (a == Action::read) {
          auto resp = call("GET", round + "/scorecard", s.token);
          Outcome o = from_status(resp.status);
          if (o == Outcome::allowed && json(resp).value("othersHidden", false)) o = Outcome::forbidden;
          // A refusal of the whole scorecard view refuses others' scorecards with it.
          out.emplace_back("GET scorecard others", o);
        }
        break;
      case Resource::loop_progress:
        if (!session_paths) break;
        if (a == Action::read) {
          out.emplace_back("session progress", as(s, [&](const Principal& p) {
                             auto got = service_->progress(p);
                             return got ? Outcome::allowed : from_status(http_status(got.error().code));
                           }));
        } else {
          out.emplace_back("session move loop", as(s, [&](const Principal& p) {
                             auto moved = service_->move_loop(p, r, false);
                             if (!moved) return from_status(http_status(moved.error().code));
                             auto host = service_->authenticate(host_token_);  // back to round 0
                             EXPECT_TRUE(host && service_->move_loop(*host, 0, false).ok());
                             return Outcome::allowed;
                           }));
        }
        break;
      case Resource::study_session:
        // Study calls act on the token's own study room; every other token is foreign to it.
        if (a == Action::read) {
          auto peer = std::make_shared<NullPeer>();
          auto opened = study_hub_->open(s.token, peer);
          study_hub_->wait_idle();
          out.emplace_back("/session/study open", peer->code == 0 ? Outcome::allowed : from_status(peer->code - 4000));
          opened->leave();
          out.emplace_back("study join", as(s, [&](const Principal& p) {
                             auto j = study_->join(p, "", "Probe");
                             if (!j) return from_status(http_status(j.error().code));
                             (void)study_->leave(p, j->peer_id);
                             return Outcome::allowed;
                           }));
        } else {
          auto outcome = [](const auto& r) { return r ? Outcome::allowed : from_status(http_status(r.error().code)); };
          out.emplace_back("study timer", as(s, [&](const Principal& p) {
                             v1::TimerCommand cmd;
                             cmd.set_action(v1::TIMER_ACTION_RESET);
                             return outcome(study_->timer_command(p, cmd));
                           }));
          out.emplace_back("study select prompt",
                           as(s, [&](const Principal& p) { return outcome(study_->select_question(p, "no-such")); }));
          out.emplace_back("study rotation",
                           as(s, [&](const Principal& p) { return outcome(study_->set_rotation(p, false)); }));
          out.emplace_back("study feedback", as(s, [&](const Principal& p) {
                             v1::StudySubmitFeedback form;
                             form.set_rating(3);
                             return outcome(study_->submit_feedback(p, "no-such-peer", form));
                           }));
        }
        break;
      case Resource::practice_bank:
        if (a == Action::read) {
          out.emplace_back("study practice bank", as(s, [&](const Principal& p) {
                             auto b = study_->practice_bank(p);
                             return b ? Outcome::allowed : from_status(http_status(b.error().code));
                           }));
        }
        break;
      case Resource::written_work:
        if (a == Action::read) {
          out.emplace_back("GET written", from_status(call("GET", loop + "/written", s.token).status));
          out.emplace_back("GET written report",
                           from_status(call("GET", loop + "/written/" + written_id_ + "/report", s.token).status));
        } else {
          out.emplace_back("POST written",
                           from_status(call("POST", loop + "/written", s.token,
                                            R"({"kind":"WRITTEN_KIND_PRFAQ","promptId":"global-cdn","dueAtMs":)" +
                                                std::to_string(clock_.now() + 86'400'000LL) + "}")
                                           .status));
        }
        break;
      case Resource::written_draft:
        out.emplace_back("/yjs written draft", doc_outcome(doc_names::written_draft_doc(written_id_), s.token, a));
        break;
      case Resource::written_review:
        out.emplace_back("/yjs written review", doc_outcome(doc_names::written_review_doc(written_id_), s.token, a));
        break;
      case Resource::written_staff:
        out.emplace_back("/yjs written staff", doc_outcome(doc_names::written_staff_doc(written_id_), s.token, a));
        break;
      case Resource::written_questions:
        if (a == Action::read)
          out.emplace_back("GET written questions",
                           from_status(call("GET", loop + "/written/" + written_id_ + "/questions", s.token).status));
        else
          out.emplace_back("POST written question",
                           from_status(call("POST", loop + "/written/" + written_id_ + "/questions", s.token,
                                            R"({"text":"q"})")
                                           .status));
        break;
      case Resource::call:
        // The rights CallHub::join asks for (loop/call_rules.hpp): read joins, write talks.
        if (!session_paths) break;
        out.emplace_back(a == Action::read ? "call join" : "call talk", as(s, [&](const Principal& p) {
                           auto rights = call_rights(*service_, p, r, false);
                           if (!rights) return from_status(http_status(rights.error().code));
                           return a == Action::read || rights->talk ? Outcome::allowed : Outcome::forbidden;
                         }));
        break;
      case Resource::call_moderation:
        if (!session_paths || a != Action::write) break;
        out.emplace_back("call allow talk", as(s, [&](const Principal& p) {
                           auto rights = call_rights(*service_, p, r, false);
                           if (!rights) return from_status(http_status(rights.error().code));
                           return rights->moderate ? Outcome::allowed : Outcome::forbidden;
                         }));
        break;
      case Resource::replay:
        if (a == Action::read)
          out.emplace_back("GET timeline", from_status(call("GET", round + "/timeline", s.token).status));
        if (a == Action::read)
          out.emplace_back("GET state", from_status(call("GET", round + "/state?at=1", s.token).status));
        break;
      case Resource::replay_staff_events:
        // The timeline says whether it carries staff-only events (staffEvents).
        if (a == Action::read) {
          auto r = call("GET", round + "/timeline", s.token);
          if (r.status != 200) out.emplace_back("GET timeline staff events", from_status(r.status));
          else
            out.emplace_back("GET timeline staff events",
                             nlohmann::json::parse(r.body).value("staffEvents", false) ? Outcome::allowed
                                                                                      : Outcome::forbidden);
        }
        break;
      case Resource::replay_snapshots:
        if (a == Action::read) {
          out.emplace_back("GET snapshots", from_status(call("GET", round + "/snapshots", s.token).status));
        } else {
          out.emplace_back("POST snapshot", from_status(call("POST", round + "/snapshots", s.token, R"({"name":"m"})").status));
          // No DocEditor in this fixture: an allowed restore ends in 404 or 409, not 403.
          out.emplace_back("POST restore", from_status(call("POST", round + "/snapshots/snap-1/restore", s.token,
                                                            R"({"target":"board"})")
                                                           .status));
        }
        break;
      case Resource::debrief:
        if (a == Action::read) {
          out.emplace_back("GET debrief", from_status(call("GET", loop + "/debrief", s.token).status));
          out.emplace_back("GET debrief html",
                           from_status(call("GET", loop + "/debrief", s.token, "", "text/html").status));
        }
        break;
    }
    return out;
  }

  policy::Decision want(const Subject& s, Resource res, Action a, uint32_t r) const {
    TokenKind kind = s.kind;
    const bool study_resource =
        res == Resource::study_doc || res == Resource::study_session || res == Resource::practice_bank;
    if (study_resource && (kind == TokenKind::participant || kind == TokenKind::study))
      kind = s.own_study ? TokenKind::study : TokenKind::foreign;
    // Question banks belong to no loop: another loop's token asks as a participant of its own.
    if (res == Resource::question_bank && kind == TokenKind::foreign) kind = TokenKind::participant;
    policy::Context ctx;
    const auto assigned = [&](uint32_t round) {
      return s.role != v1::ROLE_INTERVIEWER || s.rounds.empty() || s.rounds.count(round) > 0;
    };
    // The loop stays in round 0 (a probe that moves it moves it back).
    ctx.assigned = assigned(r) || (res == Resource::loop_progress && assigned(0));
    ctx.everyone_edits = false;  // l6-loop
    ctx.current_round = r == 0;
    return policy::decide(kind, s.role, res, a, ctx);
  }

  std::string host_token_, spare_id_, study_doc_, grace_pid_, sam_pid_, written_id_;
  std::map<std::string, std::string> pids_;  // token -> participant id
  std::vector<Subject> subjects_;
  std::unique_ptr<DocAccess> access_;
  std::unique_ptr<SessionHub> hub_;
  std::unique_ptr<store::Database> study_db_;
  std::unique_ptr<StudyService> study_;
  std::unique_ptr<StudyHub> study_hub_;
};

// Cells no code path serves (nothing to probe): the loop outline, question banks and the
// debrief are never written through the API; others' scorecards are written by their authors.
const std::set<std::pair<Resource, Action>> kNoCodePath = {
    {Resource::loop, Action::write},
    {Resource::question_bank, Action::write},
    {Resource::others_scorecards, Action::write},
    {Resource::debrief, Action::write},
    {Resource::practice_bank, Action::write},
    {Resource::call_moderation, Action::read},
    {Resource::replay, Action::write},              // a replay is only watched
    {Resource::replay_staff_events, Action::write},
};

TEST_F(PolicyMatrixTest, EveryCellOfTheTableHoldsOnEveryChannel) {
  int cells = 0, probes = 0;
  std::set<std::pair<Resource, Action>> probed;
  for (const auto& s : subjects_) {
    for (int ri = 0; ri < policy::kResourceCount; ++ri) {
      const auto res = static_cast<Resource>(ri);
      for (Action a : {Action::read, Action::write}) {
        for (uint32_t r : {0u, 1u, 2u}) {
          const auto d = want(s, res, a, r);
          for (const auto& [path, got] : probe(s, res, a, r)) {
            probed.insert({res, a});
            ++probes;
            EXPECT_EQ(to_string(got), to_string(expected(d)))
                << s.name << " x " << policy::name(res) << (a == Action::read ? " read" : " write") << " round " << r
                << " via " << path;
          }
          ++cells;
        }
      }
    }
  }
  for (int ri = 0; ri < policy::kResourceCount; ++ri)
    for (Action a : {Action::read, Action::write}) {
      const std::pair key{static_cast<Resource>(ri), a};
      EXPECT_TRUE(probed.count(key) || kNoCodePath.count(key))
          << policy::name(key.first) << (a == Action::read ? " read" : " write") << " has no probe";
    }
  RecordProperty("cells", cells);
  RecordProperty("probes", probes);
  EXPECT_GT(probes, 500);
}

// The brief's findings, pinned as plain cases of the matrix above.
TEST_F(PolicyMatrixTest, StudyTokensSeeOnlyTheirStudyDoc) {
  const auto& study = subjects_[9];
  ASSERT_EQ(study.kind, TokenKind::study);
  EXPECT_EQ(call("GET", "/api/questions", study.token).status, 403);
  EXPECT_EQ(call("GET", "/api/loops/" + loop_id_, study.token).status, 403);
  EXPECT_TRUE(access_->authorize(study_doc_, study.token).allowed);
  EXPECT_EQ(access_->authorize(doc_names::round_doc(room_id(0)), study.token).refusal, Errc::forbidden);
}

// A study room is practice: its session shows every peer the practice bank's prompts and
// hints, and nothing of any loop. A loop with a chosen question and secret scorecards,
// then every message a study session can send (the loop protocol's included): no frame
// it receives carries a rubric, interviewer notes, scorecard text, a loop's id or rooms,
// or hints of questions outside the practice bank.
TEST_F(PolicyMatrixTest, StudySessionFramesCarryNothingOfAnyLoop) {
  const std::string host = host_token_;
  const std::string round1 = "/api/loops/" + loop_id_ + "/rounds/1";
  ASSERT_EQ(call("PUT", round1 + "/scorecard", host,
                 std::string(R"({"overall":"RATING_HIRE","summary":")") + kSecretSummary + "\"}").status, 200);
  {
    auto p = service_->authenticate(host);
    ASSERT_TRUE(p.ok());
    const auto sd = std::find_if(loop_json_["rounds"].begin(), loop_json_["rounds"].end(),
                                 [](const auto& r) { return r["kind"] == "ROUND_KIND_SYSTEM_DESIGN"; });
    ASSERT_NE(sd, loop_json_["rounds"].end());
    ASSERT_TRUE(service_->select_question(*p, sd->value("index", 0u), "sd-global-cdn").ok());
  }
  struct Recorder : room::Peer {
    uint64_t id() const override { return 9; }
    void send(std::shared_ptr<const std::vector<uint8_t>> f) override {
      std::lock_guard lock(mu);
      bytes.append(f->begin(), f->end());
    }
    void close(uint16_t, std::string) override {}
    std::mutex mu;  // guards bytes (sends come from the hub's workers)
    std::string bytes;
  };
  auto rec = std::make_shared<Recorder>();
  auto opened = study_hub_->open(subjects_[9].token, rec);
  auto send = [&](const std::function<void(v1::ClientMessage&)>& fill) {
    v1::ClientMessage m;
    m.set_request_id(1);
    fill(m);
    const std::string b = m.SerializeAsString();
    opened->on_message({reinterpret_cast<const uint8_t*>(b.data()), b.size()});
    study_hub_->wait_idle();
  };
  send([](auto& m) { m.mutable_study_join()->set_name("Peer"); });
  send([](auto& m) { m.mutable_join_round()->set_round_index(1); });
  send([](auto& m) { m.mutable_save_scorecard(); });
  send([](auto& m) { m.mutable_submit_scorecard(); });
  send([](auto& m) { m.mutable_select_question()->set_question_id("code-lru-cache"); });
  send([](auto& m) { m.mutable_select_question()->set_question_id("sd-global-cdn"); });
  send([](auto& m) { m.mutable_timer()->set_action(v1::TIMER_ACTION_START); });
  send([](auto& m) { m.mutable_study_rotation()->set_enabled(true); });
  opened->leave();
  study_hub_->wait_idle();

  // Practice material may appear: the bank's prompts, hints and follow-ups.
  std::set<std::string> allowed;
  auto bank = study_->practice_bank(*service_->authenticate(subjects_[9].token));
  ASSERT_TRUE(bank.ok());
  for (const auto& q : *bank) {
    allowed.insert(q.hints().begin(), q.hints().end());
    allowed.insert(q.follow_ups().begin(), q.follow_ups().end());
  }
  ASSERT_NE(rec->bytes.find(bank->front().hints(0)), std::string::npos) << "the snapshot carries the bank's hints";
  for (const auto& secret : staff_only_strings())
    if (!allowed.count(secret)) {
      EXPECT_EQ(rec->bytes.find(secret), std::string::npos) << "leaked: " << secret;
    }
  EXPECT_EQ(rec->bytes.find(kSecretSummary), std::string::npos);
  EXPECT_EQ(rec->bytes.find(loop_id_), std::string::npos);
  for (uint32_t r = 0; r < 3; ++r) EXPECT_EQ(rec->bytes.find(room_id(r)), std::string::npos);
}

TEST_F(PolicyMatrixTest, TheTableHasARuleForEveryCell) {
  // Unknown, revoked and expired tokens are refused everywhere as unauthenticated; foreign
  // tokens everywhere as forbidden.
  for (int ri = 0; ri < policy::kResourceCount; ++ri)
    for (Action a : {Action::read, Action::write})
      for (auto kind : {TokenKind::none, TokenKind::revoked, TokenKind::expired, TokenKind::foreign}) {
        const auto d = policy::decide(kind, v1::ROLE_HOST, static_cast<Resource>(ri), a);
        EXPECT_FALSE(d.allowed);
        EXPECT_EQ(d.refusal, kind == TokenKind::foreign ? Errc::forbidden : Errc::unauthenticated);
      }
}

}  // namespace
