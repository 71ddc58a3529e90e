// Progress benchmark (issue 20): the server time of the progress page
// (GET /api/profiles/{pid}/progress) for a candidate whose profile has --loops loops (50),
// each an L6 loop with every round scored (two interviewers on most rounds, a Bar Raiser,
// 3-4 competencies and 2-3 Leadership Principle signals per scorecard), plus 12 stories and
// 6 self-assessments. Everything goes through the real ApiRouter, services and a SQLite
// file, as the server does it, minus HTTP (ApiRouter::handle on this thread, as a worker
// would run it). Prints the median, min and max of --runs runs and the answer's size;
// asserts nothing.
//
//   progress_bench [--content DIR] [--loops 50] [--runs 15]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <google/protobuf/util/json_util.h>
#include <string>
#include <vector>

#include "account/account_service.hpp"
#include "account/profile_service.hpp"
#include "content/catalog.hpp"
#include "loop/api.hpp"
#include "loop/loop_service.hpp"

using namespace mockloop;
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

struct Session {
  std::string cookie, csrf;
};

struct Bench {
  loop::ApiRouter& router;

  net::Response call(const std::string& method, const std::string& path, const std::string& body = "",
                     const Session* s = nullptr, const std::string& bearer = "") {
    net::Request req;
    req.remote = "127.0.0.1";
    req.method = method;
    req.path = path;
    req.accept = "application/json";
    req.body = body;
    if (s) {
      req.cookie = s->cookie;
      req.csrf_token = s->csrf;
    }
    if (!bearer.empty()) req.authorization = "Bearer " + bearer;
    return router.handle(req);
  }
  json must(const net::Response& r, int status, const char* what) {
    if (r.status != status) {
      std::fprintf(stderr, "%s: %d %s\n", what, r.status, r.body.c_str());
      std::exit(1);
    }
    return r.body.empty() ? json::object() : json::parse(r.body);
  }
  Session sign_up(const std::string& email) {
    auto r = call("POST", "/api/auth/signup", json{{"email", email}, {"password", "correct horse battery"}}.dump());
    auto j = must(r, 201, "signup");
    Session s;
    for (const auto& [k, v] : r.headers)
      if (k == "Set-Cookie") s.cookie = v.substr(0, v.find(';'));
    s.csrf = j["csrfToken"];
    return s;
  }
};

const char* kRatings[] = {"RATING_STRONG_NO_HIRE", "RATING_NO_HIRE", "RATING_HIRE", "RATING_STRONG_HIRE"};

}  // namespace

int main(int argc, char** argv) {
  std::string content = MOCKLOOP_SOURCE_DIR "/content";
  int loops = 50, runs = 15;
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string a = argv[i];
    if (a == "--content") content = argv[i + 1];
    else if (a == "--loops") loops = std::stoi(argv[i + 1]);
    else if (a == "--runs") runs = std::stoi(argv[i + 1]);
  }
  auto catalog = content::load_catalog(content);
  if (!catalog) return std::fprintf(stderr, "content: %s\n", catalog.error().message.c_str()), 1;
  const fs::path dir = fs::temp_directory_path() / ("progress-bench-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const std::string path = (dir / "bench.db").string();
  {
    auto loop_db = store::Database::open(path).value();
    auto acc_db = store::Database::open(path).value();
    auto prof_db = store::Database::open(path).value();
    auto service = loop::LoopService::create(*loop_db, *catalog).value();
    account::AccountOptions ao;
    ao.signup = account::SignupMode::open;
    ao.pwhash_opslimit = 1;
    ao.pwhash_memlimit = 8u << 20;
    auto accounts = account::AccountService::create(*acc_db, ao).value();
    auto profiles = account::ProfileService::create(*prof_db, *catalog).value();
    loop::ApiOptions opts;
    opts.allow_anonymous_create = false;
    opts.max_loops_per_ip_hour = 100000;
    loop::ApiRouter router(*service, opts);
    router.set_accounts(accounts.get());
    router.set_profiles(profiles.get());
    Bench b{router};

    Session mentor = b.sign_up("mentor@example.com"), cand = b.sign_up("cand@example.com");
    const std::string pid = b.must(b.call("POST", "/api/me/profile", "", &cand), 200, "own profile")["id"];
    b.must(b.call("PUT", "/api/profiles/" + pid + "/mentors", R"({"emails":["mentor@example.com"]})", &cand), 200, "share");

    const auto t_setup = std::chrono::steady_clock::now();
    size_t cards = 0;
    for (int l = 0; l < loops; ++l) {
      json req = {{"templateId", "l6-loop"}, {"title", "Mock " + std::to_string(l + 1)}, {"candidateName", "Cam"},
                  {"participants", json::array({{{"displayName", "Ivo"}, {"role", "ROLE_INTERVIEWER"}, {"roundIndexes", {0, 1, 2, 3}}},
                                                {{"displayName", "Jo"}, {"role", "ROLE_INTERVIEWER"}, {"roundIndexes", {1, 4, 5}}},
                                                {{"displayName", "Sam"}, {"role", "ROLE_BAR_RAISER"}}})}};
      auto made = b.must(b.call("POST", "/api/loops", req.dump(), &mentor), 201, "create loop");
      const std::string loop_id = made["loop"]["id"];
      for (const auto& inv : made["invites"]) {
        if (inv["role"] == "ROLE_HOST" || inv["role"] == "ROLE_CANDIDATE") continue;
        const std::string token = inv["token"];
        auto got = b.must(b.call("GET", "/api/loops/" + loop_id, "", nullptr, token), 200, "get loop");
        for (const auto& round : got["loop"]["rounds"]) {
          const uint32_t index = round.value("index", 0u);
          bool mine = inv["role"] == "ROLE_BAR_RAISER" && round.value("barRaiser", false);
          for (const auto& p : got["loop"]["participants"])
            if (p.value("displayName", "") == inv.value("displayName", ""))
              for (const auto& ri : p.value("roundIndexes", json::array())) mine = mine || ri.get<uint32_t>() == index;
          if (!mine) continue;
          v1::RoundKind kind{};
          v1::RoundKind_Parse(round.value("kind", "ROUND_KIND_UNSPECIFIED"), &kind);
          json draft = {{"overall", kRatings[(l + index) % 4]}, {"summary", "bench"}};
          if (const auto* rubric = (*catalog)->rubric_for(kind)) {
            int n = 0;
            for (const auto& c : rubric->competencies())
              if (n++ < 4) draft["competencies"].push_back({{"competencyId", c.id()}, {"rating", kRatings[(l * 3 + n + index) % 4]}});
          }
          int n = 0;
          for (const auto& lp : (*catalog)->principles())
            if (std::find(lp.probed_in().begin(), lp.probed_in().end(), kind) != lp.probed_in().end() && n++ < 3)
              draft["lpSignals"].push_back({{"lpId", lp.id()}, {"rating", kRatings[(l + n * 7) % 4]}});
          const std::string base = "/api/loops/" + loop_id + "/rounds/" + std::to_string(index) + "/scorecard";
          b.must(b.call("PUT", base, draft.dump(), nullptr, token), 200, "save scorecard");
          b.must(b.call("POST", base + "/submit", "", nullptr, token), 200, "submit scorecard");
          ++cards;
        }
      }
      b.must(b.call("POST", "/api/profiles/" + pid + "/loops", json{{"loopId", loop_id}}.dump(), &mentor), 201, "attach");
    }
    for (int i = 0; i < 12; ++i) {
      json story = {{"title", "Story " + std::to_string(i)}, {"situation", std::string(600, 's')}, {"action", std::string(900, 'a')},
                    {"principles", {(*catalog)->principles()[static_cast<size_t>(i) % (*catalog)->principles().size()].id()}},
                    {"kind", i % 3 == 0 ? "STORY_KIND_VISION" : "STORY_KIND_LEADERSHIP_IMPACT"}, {"shared", i % 2 == 0}};
      b.must(b.call("POST", "/api/profiles/" + pid + "/stories", story.dump(), &cand), 201, "story");
    }
    for (int i = 0; i < 6; ++i)
      b.must(b.call("POST", "/api/profiles/" + pid + "/assessments", json{{"ratings", std::vector<int>(12, 2 + i % 4)}}.dump(), &cand),
             201, "assessment");
    std::printf("setup: %d loops, %zu submitted scorecards, 12 stories, 6 self-assessments (%.1f s)\n", loops, cards,
                std::chrono::duration<double>(std::chrono::steady_clock::now() - t_setup).count());

    for (const auto* who : {&cand, &mentor}) {
      std::vector<double> ms;
      size_t bytes = 0;
      for (int r = 0; r < runs; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        auto resp = b.call("GET", "/api/profiles/" + pid + "/progress", "", who);
        ms.push_back(std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count());
        if (resp.status != 200) return std::fprintf(stderr, "progress: %d %s\n", resp.status, resp.body.c_str()), 1;
        bytes = resp.body.size();
      }
      std::sort(ms.begin(), ms.end());
      std::printf("GET /api/profiles/{pid}/progress as the %s, %d loops: median %.2f ms, min %.2f ms, max %.2f ms over %d runs; answer %zu bytes\n",
                  who == &cand ? "candidate" : "mentor", loops, ms[ms.size() / 2], ms.front(), ms.back(), runs, bytes);
    }
    // Where the time goes (the route's steps called directly, as the candidate).
    {
      const std::string cand_id = b.must(b.call("GET", "/api/me", "", &cand), 200, "me")["user"]["id"];
      std::vector<double> t_inputs, t_records, t_build, t_json;
      for (int r = 0; r < runs; ++r) {
        auto t0 = std::chrono::steady_clock::now();
        auto in = profiles->progress_inputs(pid, cand_id).value();
        auto t1 = std::chrono::steady_clock::now();
        std::vector<scoring::LoopRecord> recs;
        for (const auto& id : in.loop_ids) recs.push_back(*service->loop_record(id).value());
        auto t2 = std::chrono::steady_clock::now();
        auto out = scoring::build_progress(**catalog, std::move(recs), in.assessments, in.stories, service->now_ms());
        auto t3 = std::chrono::steady_clock::now();
        std::string body;
        (void)google::protobuf::util::MessageToJsonString(out, &body);
        auto t4 = std::chrono::steady_clock::now();
        auto d = [](auto a, auto b2) { return std::chrono::duration<double, std::milli>(b2 - a).count(); };
        t_inputs.push_back(d(t0, t1));
        t_records.push_back(d(t1, t2));
        t_build.push_back(d(t2, t3));
        t_json.push_back(d(t3, t4));
      }
      auto med = [](std::vector<double> v) { std::sort(v.begin(), v.end()); return v[v.size() / 2]; };
      std::printf("breakdown (medians): profile rows %.2f ms, %d loop records (loop + scorecards + decision) %.2f ms, "
                  "numbers %.2f ms, JSON %.2f ms\n", med(t_inputs), loops, med(t_records), med(t_build), med(t_json));
    }
    router.stop();
  }
  fs::remove_all(dir);
  return 0;
}
