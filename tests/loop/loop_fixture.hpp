// Shared test fixture: a loop service on a temporary SQLite file with an injected clock,
// the REST router, and an L6 loop with one invite per role.
#pragma once

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <thread>
#include <utility>
#include <filesystem>
#include <map>
#include <memory>
#include <random>
#include <set>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "content/catalog.hpp"
#include "loop/api.hpp"
#include "loop/loop_service.hpp"
#include "loop/replay_service.hpp"
#include "loop/round_docs.hpp"
#include "store/database.hpp"
#include "store/doc_store.hpp"

namespace mockloop::loop::testing {

// A clock the test moves by hand (ms since the epoch). It also tells which threads read
// it (LoopService reads it inside its calls), and can hold its readers until released.
struct TestClock {
  struct Readers {
    std::mutex mu;  // guards threads and held
    std::condition_variable released;
    std::set<std::thread::id> threads;
    bool held = false;
  };
  std::shared_ptr<std::atomic<int64_t>> ms = std::make_shared<std::atomic<int64_t>>(1'800'000'000'000);
  std::shared_ptr<Readers> readers = std::make_shared<Readers>();
  Clock fn() const {
    auto p = ms;
    auto r = readers;
    return [p, r] {
      std::unique_lock lock(r->mu);
      r->threads.insert(std::this_thread::get_id());
      r->released.wait(lock, [&] { return !r->held; });
      return std::chrono::system_clock::time_point(std::chrono::milliseconds(p->load()));
    };
  }
  void advance(int64_t d) { *ms += d; }
  int64_t now() const { return ms->load(); }
  // The threads that read the clock since the last call.
  std::set<std::thread::id> take_readers() const {
    std::lock_guard lock(readers->mu);
    return std::exchange(readers->threads, {});
  }
  // While held, every read blocks (a LoopService stuck on its database, say).
  void hold(bool on) const {
    {
      std::lock_guard lock(readers->mu);
      readers->held = on;
    }
    readers->released.notify_all();
  }
};

inline std::shared_ptr<const content::Catalog> shipped_catalog() {
  static auto c = content::load_catalog(std::filesystem::path(MOCKLOOP_SOURCE_DIR) / "content");
  return *c;
}

// Every string a candidate or observer must never receive: hints, follow-ups, interviewer
// notes, rubric anchors and descriptions, phase guidance.
inline std::set<std::string> staff_only_strings() {
  std::set<std::string> out;
  const auto& c = *shipped_catalog();
  for (const auto& q : c.questions()) {
    for (const auto& h : q.hints()) out.insert(h);
    for (const auto& f : q.follow_ups()) out.insert(f);
    if (!q.interviewer_notes().empty()) out.insert(q.interviewer_notes());
  }
  for (const auto& r : c.rubrics()) {
    if (!r.overall_guidance().empty()) out.insert(r.overall_guidance());
    for (const auto& comp : r.competencies()) {
      out.insert(comp.anchors().strong_no_hire());
      out.insert(comp.anchors().no_hire());
      out.insert(comp.anchors().hire());
      out.insert(comp.anchors().strong_hire());
      out.insert(comp.description());
    }
  }
  for (const auto& p : c.plans())
    for (const auto& ph : p.phases())
      if (!ph.guidance().empty()) out.insert(ph.guidance());
  // Short anchors ("Clear.") would match innocent text; keep the distinctive ones.
  std::erase_if(out, [](const std::string& s) { return s.size() < 16; });
  return out;
}

// Scorecard text the tests write; must never reach candidates or observers.
inline constexpr const char* kSecretEvidence = "SECRET-EVIDENCE-7f3a";
inline constexpr const char* kSecretSummary = "SECRET-SUMMARY-91bc";

// Returns the first staff-only string found in `bytes`, or "".
inline std::string find_leak(const std::string& bytes) {
  static const auto secrets = staff_only_strings();
  for (const auto& s : secrets)
    if (bytes.find(s) != std::string::npos) return s;
  for (const char* s : {kSecretEvidence, kSecretSummary})
    if (bytes.find(s) != std::string::npos) return s;
  return "";
}

class LoopFixture : public ::testing::Test {
 protected:
  void SetUp() override {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() / ("mockloop-loop-" + std::to_string(rd()) + ".db");
    open_service();
  }
  void TearDown() override {
    router_.reset();
    replay_.reset();
    replay_db_.reset();
    service_.reset();
    db_.reset();
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(path_.string() + suffix);
  }

  // (Re)opens the service on the same file, as after a restart.
  void open_service() {
    router_.reset();
    replay_.reset();
    replay_db_.reset();
    service_.reset();
    db_.reset();
    auto db = store::Database::open(path_.string());
    ASSERT_TRUE(db.ok()) << db.error().message;
    db_ = std::move(*db);
    auto svc = LoopService::create(*db_, shipped_catalog(), clock_.fn(), docs_);
    ASSERT_TRUE(svc.ok()) << svc.error().message;
    service_ = std::move(*svc);
    router_ = std::make_unique<ApiRouter>(*service_);
    // The replay (issue 19) reads the documents' history on a connection of its own.
    replay_db_ = store::Database::open(path_.string()).value();
    ASSERT_TRUE(store::DocStore::open(*replay_db_).ok());  // the "docs" migrations
    replay_ = ReplayService::open(*service_, *replay_db_).value();
    router_->set_replay_service(replay_.get());
  }

  net::Response call(const std::string& method, const std::string& target, const std::string& token = "",
                     const std::string& body = "", const std::string& accept = "application/json") {
    net::Request req;
    req.remote = "127.0.0.1";
    req.method = method;
    auto q = target.find('?');
    req.path = target.substr(0, q);
    req.query = q == std::string::npos ? "" : target.substr(q + 1);
    if (!token.empty()) req.authorization = "Bearer " + token;
    req.accept = accept;
    req.body = body;
    return router_->handle(req);
  }

  static nlohmann::json json(const net::Response& r) { return nlohmann::json::parse(r.body); }

  // Creates an L6 loop: interviewer "iv1" on rounds 1 and 2, "iv2" on round 1, a bar
  // raiser, an observer and the candidate. Fills tokens_ by role name.
  void create_l6_loop() {
    const std::string body = R"({"templateId":"l6-loop","title":"Mock L6","candidateName":"Ada","hostName":"Grace",
      "participants":[{"displayName":"Lin","role":"ROLE_INTERVIEWER","roundIndexes":[1,2]},
                      {"displayName":"Kai","role":"ROLE_INTERVIEWER","roundIndexes":[1]},
                      {"displayName":"Sam","role":"ROLE_BAR_RAISER"},
                      {"displayName":"Obi","role":"ROLE_OBSERVER"},
                      {"displayName":"Ada","role":"ROLE_CANDIDATE"}],
      "autoAdvance":true})";
    auto r = call("POST", "/api/loops", "", body);
    ASSERT_EQ(r.status, 201) << r.body;
    auto j = json(r);
    loop_id_ = j["loop"]["id"];
    loop_json_ = j["loop"];
    const std::map<std::string, std::string> names = {{"Grace", "host"}, {"Lin", "iv1"}, {"Kai", "iv2"},
                                                      {"Sam", "bar_raiser"}, {"Obi", "observer"}, {"Ada", "candidate"}};
    for (const auto& inv : j["invites"]) {
      const std::string who = names.at(inv["displayName"]);
      tokens_[who] = inv["token"];
      token_ids_[who] = inv["tokenId"];
    }
    ASSERT_EQ(tokens_.size(), 6u);
  }

  std::string round_path(int r) const { return "/api/loops/" + loop_id_ + "/rounds/" + std::to_string(r); }

  std::string draft(const std::string& overall = "RATING_HIRE") const {
    return std::string(R"({"competencies":[{"competencyId":"problem-solving","rating":"RATING_HIRE","evidence":")") +
           kSecretEvidence + R"("}],"lpSignals":[{"lpId":"dive-deep","rating":"RATING_HIRE"}],"overall":")" + overall +
           R"(","summary":")" + kSecretSummary + R"("})";
  }

  TestClock clock_;
  std::filesystem::path path_;
  std::unique_ptr<store::Database> db_;
  std::shared_ptr<RoundDocs> docs_;  // set before open_service() to render round docs
  std::unique_ptr<LoopService> service_;
  std::unique_ptr<store::Database> replay_db_;
  std::unique_ptr<ReplayService> replay_;
  std::unique_ptr<ApiRouter> router_;
  std::string loop_id_;
  nlohmann::json loop_json_;
  std::map<std::string, std::string> tokens_, token_ids_;
};

inline const std::vector<std::string>& all_roles() {
  static const std::vector<std::string> roles = {"host", "iv1", "iv2", "bar_raiser", "observer", "candidate"};
  return roles;
}

}  // namespace mockloop::loop::testing
