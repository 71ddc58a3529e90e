#include "loop/run_service.hpp"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include "common/log.hpp"
#include "loop/loop_service.hpp"
#include "runner/diagnostics.hpp"
#include "runner/limits.hpp"
#include "store/statement.hpp"

namespace mockloop::loop {
namespace {

using nlohmann::json;

std::string hex(const unsigned char* p, size_t n) {
  static const char* d = "0123456789abcdef";
  std::string s;
  for (size_t i = 0; i < n; ++i) {
    s.push_back(d[p[i] >> 4]);
    s.push_back(d[p[i] & 15]);
  }
  return s;
}

std::string sha256(const std::string& s) {
  unsigned char md[32];
  unsigned int n = 0;
  EVP_Digest(s.data(), s.size(), md, &n, EVP_sha256(), nullptr);
  return hex(md, n);
}

std::string new_run_id() {
  unsigned char b[9];
  RAND_bytes(b, sizeof b);
  return "run_" + hex(b, sizeof b);
}

int64_t now_ms() {
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

json case_json(const runner::CaseOutput& c) {
  return {{"name", c.name},           {"verdict", runner::verdict_name(c.verdict)},
          {"timeMs", c.time_ms},       {"memoryKb", c.memory_kb},
          {"exitCode", c.exit_code},   {"stdout", c.stdout_data},
          {"stderr", c.stderr_data},   {"outputCut", c.output_cut}};
}

// A name a study peer gives its run (at most kMaxRunAuthorBytes): trimmed, control
// characters dropped; "a peer" when nothing is left.
std::string author_name(const std::string& raw) {
  std::string s;
  for (char ch : raw)
    if (static_cast<unsigned char>(ch) >= 0x20 && ch != 0x7f) s.push_back(ch);
  const auto first = s.find_first_not_of(' ');
  if (first == std::string::npos) return "a peer";
  return s.substr(first, s.find_last_not_of(' ') - first + 1);
}

}  // namespace

std::string RunPlace::key() const {
  return study() ? "study/" + study_id : "loop/" + loop_id + "/" + std::to_string(round);
}

RunPlace RunPlace::of_run(const json& run) {
  if (run.contains("studyId")) return of_study(run.value("studyId", ""));
  return of_round(run.value("loopId", ""), run.value("round", 0u));
}

RunService::RunService(LoopService& loops, runner::RunnerPool* pool, const runner::TestCatalog& tests,
                       store::Database& db, std::string runtimes_json, std::string sandbox_problem)
    : loops_(loops),
      pool_(pool),
      tests_(tests),
      runtimes_json_(std::move(runtimes_json)),
      sandbox_problem_(std::move(sandbox_problem)),
      db_(db) {}

Result<bool> RunService::may_run(const Principal& p, const RunPlace& place) {
  if (place.study()) {
    // A study room's own token, as for its session's other actions (policy: study_session write).
    const auto d = policy::decide(kind_for_study(p, place.study_id), p.role(), policy::Resource::study_session,
                                  policy::Action::write);
    if (!d.allowed) return make_error(d.refusal, "only a token of this study room may run code in it");
    return false;
  }
  if (kind_for_loop(p, place.loop_id) != policy::TokenKind::participant)
    return make_error(Errc::forbidden, "this token is not a participant of the loop");
  auto loop = loops_.get_loop(p, place.loop_id);
  if (!loop) return loop.error();
  if (place.round >= static_cast<uint32_t>(loop->loop().rounds_size()))
    return make_error(Errc::not_found, "no such round");
  if (!may_join_round(p, place.round)) return make_error(Errc::forbidden, "not a participant of this round");
  return is_staff_of_round(p, place.round);
}

json RunService::run_view(const json& full, bool staff) {
  if (staff) return full;
  json v = full;
  json visible = json::array();
  size_t hidden_total = 0, hidden_passed = 0;
  for (const auto& t : full.value("tests", json::array())) {
    if (t.value("hidden", false)) {
      ++hidden_total;
      if (t.value("verdict", "") == "OK") ++hidden_passed;
    } else {
      visible.push_back(t);
    }
  }
  v["tests"] = visible;
  v["hidden"] = {{"passed", hidden_passed}, {"total", hidden_total}};
  return v;
}

Result<std::string> RunService::start(const Principal& p, const RunPlace& place, const std::string& body) {
  auto access = may_run(p, place);
  if (!access) return access.error();
  const bool staff = *access;
  json b = json::parse(body.empty() ? "{}" : body, nullptr, false);
  if (b.is_discarded() || !b.is_object()) return make_error(Errc::invalid_argument, "body must be a JSON object");
  std::string language, code, stdin_data, mode, question_id, by;
  try {
    language = b.value("language", "");
    code = b.value("code", "");
    stdin_data = b.value("stdin", "");
    mode = b.value("tests", "none");
    question_id = b.value("questionId", "");
    by = b.value("by", "");
  } catch (const json::exception&) {
    return make_error(Errc::invalid_argument, "language, code, stdin, tests, questionId and by are strings");
  }
  if (by.size() > kMaxRunAuthorBytes) return make_error(Errc::invalid_argument, "by: at most 60 bytes");
  if (code.size() > runner::kMaxCodeBytes) return make_error(Errc::payload_too_large, "code is longer than 64 KiB");
  if (stdin_data.size() > runner::kMaxStdinBytes) return make_error(Errc::payload_too_large, "stdin is longer than 64 KiB");
  if (mode != "none" && mode != "sample" && mode != "all")
    return make_error(Errc::invalid_argument, "tests must be none, sample or all");
  if (place.study()) {
    if (mode != "none")
      return make_error(Errc::forbidden, "a study room runs code on its own stdin only (tests: none); question tests "
                                         "belong to a loop's rounds");
    question_id.clear();
  }
  if (mode == "all" && !staff) {
    std::lock_guard lock(mu_);
    auto it = hidden_allowed_.find({place.loop_id, place.round});
    if (it == hidden_allowed_.end() || !it->second)
      return make_error(Errc::forbidden, "the interviewer has not allowed the hidden tests in this round");
  }
  if (!pool_ || !sandbox_problem_.empty())
    return make_error(Errc::conflict, "code runs are off on this server: " +
                                          (sandbox_problem_.empty() ? std::string("no runner") : sandbox_problem_));
  // The question's tests (and its CPU limit, applied to custom runs too when it is named).
  const runner::QuestionTests* q = question_id.empty() ? nullptr : tests_.find(question_id);
  if (mode != "none" && !q) return make_error(Errc::not_found, "no tests for question '" + question_id + "'");
  runner::Request req;
  req.language = language;
  req.code = code;
  if (q && q->cpu_seconds) req.cpu_seconds = *q->cpu_seconds;
  req.stream = true;
  json tests = json::array();
  if (mode == "none") {
    req.cases.push_back({"custom", stdin_data});
  } else {
    for (const auto& t : q->tests) {
      if (t.hidden && mode != "all") continue;
      req.cases.push_back({t.name, t.stdin_data});
    }
  }
  const std::string id = new_run_id();
  json run = {{"runId", id},          {"status", "queued"},
              {"createdAtMs", now_ms()}, {"language", language},
              {"codeSha256", sha256(code)}, {"code", code},
              {"testsMode", mode},       {"questionId", question_id},
              {"tests", tests}};
  if (place.study()) {
    run["studyId"] = place.study_id;
    run["by"] = author_name(by);
    run["byRole"] = "PEER";
  } else {
    run["loopId"] = place.loop_id;
    run["round"] = place.round;
    run["by"] = p.participant.display_name();
    run["byRole"] = v1::Role_Name(p.role());
  }
  const std::string room = place.key();
  {
    std::lock_guard lock(mu_);
    if (in_flight_[room] >= kMaxRunsInFlightPerRoom)
      return make_error(Errc::rate_limited, "a run is already queued in this round; wait for its result");
    ++in_flight_[room];
    pending_[id] = run;
  }
  // Live stdout: each test's pieces with their offset; a hidden test's to staff only.
  struct Stream {
    std::map<std::string, uint32_t> offsets;
    size_t total = 0;
  };
  auto progress = [this, stream = std::make_shared<Stream>(), q, id, place](runner::Progress piece) {
    if (!on_stream_ || stream->total >= kMaxStreamedBytesPerRun) return;
    if (piece.stdout_chunk.size() > kMaxStreamedBytesPerRun - stream->total)
      piece.stdout_chunk.resize(kMaxStreamedBytesPerRun - stream->total);
    stream->total += piece.stdout_chunk.size();
    bool hidden = false;
    if (q)
      for (const auto& t : q->tests)
        if (t.name == piece.case_name) hidden = t.hidden;
    v1::RunUpdate u;
    u.set_run_id(id);
    auto* c = u.mutable_chunk();
    c->set_case_name(piece.case_name);
    uint32_t& offset = stream->offsets[piece.case_name];
    c->set_offset(offset);
    offset += static_cast<uint32_t>(piece.stdout_chunk.size());
    c->set_text(std::move(piece.stdout_chunk));
    c->set_hidden(hidden);
    on_stream_(place, u, hidden);
  };
  const bool queued = pool_->submit(
      std::move(req),
      [this, place, run, q](runner::Reply reply) mutable { finish(place, std::move(run), q, std::move(reply)); },
      std::move(progress));
  if (!queued) {
    std::lock_guard lock(mu_);
    --in_flight_[room];
    pending_.erase(id);
    return make_error(Errc::busy, "the code runner is busy; retry shortly");
  }
  if (on_update_) on_update_(place, run);
  log::info("runs", "run queued", {{"place", room}, {"run", id}, {"language", language}});
  return id;
}

void RunService::finish(const RunPlace& place, json run, const runner::QuestionTests* q, runner::Reply reply) {
  using runner::Verdict;
  std::string verdict = "OK";
  size_t passed = 0, total = 0;
  json tests = json::array();
  if (reply.error) {
    verdict = std::string(runner::verdict_name(reply.error_verdict));
    run["error"] = *reply.error;
  } else if (reply.compile && reply.compile->verdict != Verdict::ok) {
    verdict = std::string(runner::verdict_name(reply.compile->verdict));
  } else {
    for (const auto& c : reply.cases) {
      json t = case_json(c);
      const runner::TestCase* tc = nullptr;
      if (q)
        for (const auto& x : q->tests)
          if (x.name == c.name) tc = &x;
      if (tc) {
        t["hidden"] = tc->hidden;
        t["stdin"] = tc->stdin_data;
        t["expected"] = tc->expected;
        if (c.verdict == Verdict::ok && !runner::output_matches(q->mode, tc->expected, c.stdout_data))
          t["verdict"] = "WRONG_ANSWER";
      } else {
        t["hidden"] = false;
      }
      ++total;
      if (t["verdict"] == "OK") ++passed;
      else if (verdict == "OK") verdict = t["verdict"];
      tests.push_back(std::move(t));
    }
  }
  if (reply.compile) {
    run["compile"] = {{"verdict", runner::verdict_name(reply.compile->verdict)},
                      {"timeMs", reply.compile->time_ms},
                      {"stderr", reply.compile->stderr_data}};
  }
  // Marks for the pad: the compiler's messages, else the first failing visible test's error.
  const std::string language = run.value("language", "");
  std::vector<runner::Diagnostic> diags;
  if (reply.compile) diags = runner::diagnostics_of(language, reply.compile->stderr_data);
  if (diags.empty()) {
    for (const auto& t : tests) {
      if (!t.value("hidden", false) && t.value("verdict", "") != "OK" && t.value("verdict", "") != "WRONG_ANSWER") {
        diags = runner::diagnostics_of(language, t.value("stderr", ""));
        if (!diags.empty()) break;
      }
    }
  }
  run["diagnostics"] = json::array();
  for (const auto& d : diags)
    run["diagnostics"].push_back(
        {{"line", d.line}, {"column", d.column}, {"severity", d.severity}, {"message", d.message}});
  run["tests"] = tests;
  run["status"] = "done";
  run["verdict"] = verdict;
  run["passed"] = passed;
  run["total"] = total;
  {
    std::lock_guard lock(mu_);
    store(place, run);
    pending_.erase(run["runId"].get<std::string>());
    auto& n = in_flight_[place.key()];
    if (n > 0) --n;
  }
  log::info("runs", "run done", {{"run", run["runId"].get<std::string>()}, {"verdict", verdict}});
  if (on_update_) on_update_(place, run);
}

void RunService::store(const RunPlace& place, const json& run) {
  const std::string data = run.dump(-1, ' ', false, json::error_handler_t::replace);
  auto st = place.study()
                ? db_.prepare("INSERT INTO study_runs (id, study_id, author, created_at_ms, language, code_sha256,"
                              " verdict, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")
                : db_.prepare("INSERT INTO runs (id, loop_id, round_index, author, created_at_ms, language,"
                              " code_sha256, tests_mode, question_id, verdict, passed, total, data)"
                              " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)");
  if (!st) {
    log::error("runs", "cannot store run", {{"cause", st.error().message}});
    return;
  }
  if (place.study()) {
    st->bind_text(1, run["runId"].get<std::string>())
        .bind_text(2, place.study_id)
        .bind_text(3, run["by"].get<std::string>())
        .bind_int64(4, run["createdAtMs"].get<int64_t>())
        .bind_text(5, run["language"].get<std::string>())
        .bind_text(6, run["codeSha256"].get<std::string>())
        .bind_text(7, run["verdict"].get<std::string>())
        .bind_text(8, data);
  } else {
    st->bind_text(1, run["runId"].get<std::string>())
        .bind_text(2, place.loop_id)
        .bind_int64(3, place.round)
        .bind_text(4, run["by"].get<std::string>())
        .bind_int64(5, run["createdAtMs"].get<int64_t>())
        .bind_text(6, run["language"].get<std::string>())
        .bind_text(7, run["codeSha256"].get<std::string>())
        .bind_text(8, run["testsMode"].get<std::string>())
        .bind_text(9, run["questionId"].get<std::string>())
        .bind_text(10, run["verdict"].get<std::string>())
        .bind_int64(11, run["passed"].get<int64_t>())
        .bind_int64(12, run["total"].get<int64_t>())
        .bind_text(13, data);
  }
  if (auto r = st->run(); !r) log::error("runs", "cannot store run", {{"cause", r.error().message}});
}

Result<std::string> RunService::settings(const Principal& p, const std::string& loop_id, uint32_t round) {
  if (auto ok = may_run(p, RunPlace::of_round(loop_id, round)); !ok) return ok.error();
  std::lock_guard lock(mu_);
  auto it = hidden_allowed_.find({loop_id, round});
  return json{{"candidateMayRunHidden", it != hidden_allowed_.end() && it->second}}.dump();
}

Result<std::string> RunService::put_settings(const Principal& p, const std::string& loop_id, uint32_t round,
                                             const std::string& body) {
  auto access = may_run(p, RunPlace::of_round(loop_id, round));
  if (!access) return access.error();
  if (!*access)
    return make_error(Errc::forbidden, "only the round's interviewers may change its run settings");
  json b = json::parse(body.empty() ? "{}" : body, nullptr, false);
  if (b.is_discarded() || !b.is_object() || !b.contains("candidateMayRunHidden") ||
      !b["candidateMayRunHidden"].is_boolean())
    return make_error(Errc::invalid_argument, "body must be {\"candidateMayRunHidden\": true|false}");
  const bool allowed = b["candidateMayRunHidden"].get<bool>();
  {
    std::lock_guard lock(mu_);
    hidden_allowed_[{loop_id, round}] = allowed;
  }
  if (on_stream_) {
    v1::RunUpdate u;
    u.mutable_settings()->set_candidate_may_run_hidden(allowed);
    on_stream_(RunPlace::of_round(loop_id, round), u, false);
  }
  log::info("runs", "run settings changed", {{"loop", loop_id}, {"round", std::to_string(round)},
                                             {"candidateMayRunHidden", allowed ? "true" : "false"}});
  return json{{"candidateMayRunHidden", allowed}}.dump();
}

Result<std::string> RunService::get(const Principal& p, const RunPlace& place, const std::string& run_id) {
  auto access = may_run(p, place);
  if (!access) return access.error();
  const bool staff = *access;
  std::lock_guard lock(mu_);
  if (auto it = pending_.find(run_id); it != pending_.end() && RunPlace::of_run(it->second).key() == place.key())
    return run_view(it->second, staff).dump(-1, ' ', false, json::error_handler_t::replace);
  auto st = place.study() ? db_.prepare("SELECT data FROM study_runs WHERE id = ?1 AND study_id = ?2")
                          : db_.prepare("SELECT data FROM runs WHERE id = ?1 AND loop_id = ?2 AND round_index = ?3");
  if (!st) return st.error();
  st->bind_text(1, run_id).bind_text(2, place.study() ? place.study_id : place.loop_id);
  if (!place.study()) st->bind_int64(3, place.round);
  auto row = st->step();
  if (!row) return row.error();
  if (!*row) return make_error(Errc::not_found, "no such run");
  json full = json::parse(st->column_text(0), nullptr, false);
  return run_view(full, staff).dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<std::string> RunService::list(const Principal& p, const RunPlace& place) {
  auto access = may_run(p, place);
  if (!access) return access.error();
  const bool staff = *access;
  json runs = json::array();
  std::lock_guard lock(mu_);
  for (const auto& [id, r] : pending_)
    if (RunPlace::of_run(r).key() == place.key()) runs.push_back(run_view(r, staff));
  auto st = place.study()
                ? db_.prepare("SELECT data FROM study_runs WHERE study_id = ?1 ORDER BY created_at_ms DESC LIMIT ?2")
                : db_.prepare("SELECT data FROM runs WHERE loop_id = ?1 AND round_index = ?3"
                              " ORDER BY created_at_ms DESC LIMIT ?2");
  if (!st) return st.error();
  st->bind_text(1, place.study() ? place.study_id : place.loop_id).bind_int64(2, kMaxRunsListed);
  if (!place.study()) st->bind_int64(3, place.round);
  for (;;) {
    auto row = st->step();
    if (!row) return row.error();
    if (!*row) break;
    runs.push_back(run_view(json::parse(st->column_text(0), nullptr, false), staff));
  }
  return json{{"runs", runs}}.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace mockloop::loop
