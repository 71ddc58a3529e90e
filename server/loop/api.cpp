#include "loop/api.hpp"

#include "loop/account_api.hpp"
#include "loop/oidc_api.hpp"
#include "loop/progress_api.hpp"
#include "loop/home_api.hpp"
#include "loop/api_call.hpp"

#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>
#include <nlohmann/json.hpp>

#include "common/log.hpp"
#include "common/metrics.hpp"
#include "loop/limits.hpp"
#include "loop/openapi.hpp"
#include "loop/route_table.hpp"
#include "loop/replay_service.hpp"
#include "loop/run_service.hpp"

namespace mockloop::loop {

namespace pbu = google::protobuf::util;

enum class Auth { none, token };   // token: a valid invite token is required (else 401)
// worker: touches SQLite or round documents; outbound: also waits on another server (the
// OIDC provider), on its own pool so a slow provider never holds the store-bound workers.
enum class Runs { io, worker, outbound };

// The descriptor of a route's request or response message (for the OpenAPI document).
using DescriptorFn = const google::protobuf::Descriptor* (*)();

struct ApiRouter::Spec {
  Auth auth;
  Runs runs;
  net::Response (*handler)(ApiRouter::Call&);
  int status;                 // on success
  const char* summary;
  DescriptorFn request;       // JSON body, or nullptr
  DescriptorFn response;      // JSON body, or nullptr
  bool html = false;          // also text/html when the client accepts it
};

namespace {

using Call = ApiRouter::Call;

using api_detail::fail;
using api_detail::json_response;
using api_detail::parse_json;

template <typename T>
net::Response reply(Call& c, const Result<T>& r, int status = 200) {
  if (!r) return fail(c, r.error());
  return json_response(c, status, *r);
}

Result<uint32_t> parse_round(std::string_view s) {
  if (s.empty() || s.size() > 4 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return make_error(Errc::not_found, "no such round");
  return static_cast<uint32_t>(std::stoul(std::string(s)));
}

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return c == '-' ? '_' : std::toupper(c); });
  return s;
}

Result<content::QuestionFilter> parse_filter(const std::map<std::string, std::string>& q) {
  content::QuestionFilter f;
  if (auto it = q.find("round_kind"); it != q.end() && !it->second.empty()) {
    std::string name = upper(it->second);
    if (name.rfind("ROUND_KIND_", 0) != 0) name = "ROUND_KIND_" + name;
    if (!v1::RoundKind_Parse(name, &f.round_kind)) return make_error(Errc::invalid_argument, "unknown round_kind");
  }
  if (auto it = q.find("lp"); it != q.end()) f.lp_id = it->second;
  if (auto it = q.find("level"); it != q.end() && !it->second.empty()) {
    std::string name = upper(it->second);
    if (name.rfind("LEVEL_", 0) != 0) name = "LEVEL_" + name;
    if (!v1::Level_Parse(name, &f.level)) return make_error(Errc::invalid_argument, "unknown level");
  }
  return f;
}

// The refusals in front of creating a loop or a study room: who may create
// (account_api::creator: a signed-in user, or anonymous where allowed), then the quota per
// user or, for anonymous callers, per client address. Empty when creation may go ahead (one
// unit of `quota` taken under `quota_key`).
std::optional<net::Response> creation_gate(Call& c, CreationQuota& quota, std::string_view what, size_t per_hour,
                                           const std::string& client, std::optional<account::SessionUser>& user,
                                           std::string& quota_key) {
  auto who = account_api::creator(c, what);
  if (who.refusal) return who.refusal;
  user = std::move(who.user);
  quota_key = user ? "user:" + user->user.id : client;
  if (int64_t wait = quota.try_take(quota_key, c.service.now_ms()); wait > 0) {
    net::Response r = net::json_error(Errc::rate_limited,
                                      "at most " + std::to_string(per_hour) + " " + std::string(what) +
                                          " per " + (user ? "user" : "client address") + " per hour; retry after " +
                                          std::to_string(wait) + " s");
    r.headers.emplace_back("Retry-After", std::to_string(wait));
    return r;
  }
  return std::nullopt;
}

// ---------------------------------------------------------------- handlers

net::Response templates(Call& c) { return json_response(c, 200, c.service.templates()); }

net::Response create_loop(Call& c) {
  v1::CreateLoopRequest body;
  if (auto r = parse_json(c.req.body, body); !r) return fail(c, r.error());
  const std::string client = c.req.client_ip(c.options.trust_proxy);
  std::optional<account::SessionUser> user;
  std::string quota_key;
  if (auto refused = creation_gate(c, c.loop_quota, "loops", c.options.max_loops_per_ip_hour, client, user, quota_key))
    return *refused;
  auto created = c.service.create_loop(body);
  if (!created) {
    c.loop_quota.give_back(quota_key);
    return fail(c, created.error());
  }
  log::info("audit", "loop created",
            {{"loop", created->loop().id()}, {"template", created->loop().template_id()}, {"client", client},
             {"user", user ? user->user.id : std::string()}});
  if (user && created->invites_size() > 0)
    account_api::attach_created(c, *user, created->loop().id(), created->invites(0).token_id());
  for (const auto& inv : created->invites())
    log::info("audit", "invite issued",
              {{"loop", created->loop().id()}, {"token_id", inv.token_id()}, {"role", v1::Role_Name(inv.role())}});
  net::Response r = json_response(c, 201, *created);
  r.headers.emplace_back("Location", "/api/v1/loops/" + created->loop().id());
  return r;
}

net::Response create_study_room(Call& c) {
  v1::CreateStudyRoomRequest body;
  if (auto r = parse_json(c.req.body, body); !r) return fail(c, r.error());
  const std::string client = c.req.client_ip(c.options.trust_proxy);
  std::optional<account::SessionUser> user;
  std::string quota_key;
  if (auto refused = creation_gate(c, c.study_quota, "study rooms", c.options.max_study_rooms_per_ip_hour, client,
                                   user, quota_key))
    return *refused;
  auto created = c.service.create_study_room(body);
  if (!created) {
    c.study_quota.give_back(quota_key);
    return fail(c, created.error());
  }
  log::info("audit", "study room created", {{"study_room", created->id()}, {"client", client}});
  net::Response r = json_response(c, 201, *created);
  r.headers.emplace_back("Location", "/study/" + created->id());  // the room's page (no REST resource)
  return r;
}

net::Response questions(Call& c) {
  auto query = c.req.query_params();
  if (!query) return fail(c, query.error());
  auto filter = parse_filter(*query);
  if (!filter) return fail(c, filter.error());
  return reply(c, c.service.questions(c.p(), *filter));
}

net::Response list_loops(Call& c) { return reply(c, c.service.list_loops(c.p())); }

net::Response get_loop(Call& c) { return reply(c, c.service.get_loop(c.p(), c.param("id"))); }

// Puts <base href="`origin`/"> first in the report's <head> (nothing when origin is "";
// request_origin allows no character that needs escaping in an attribute).
void with_base(std::string& html, const std::string& origin) {
  if (origin.empty()) return;
  if (const auto at = html.find("<head>"); at != std::string::npos)
    html.insert(at + 6, "<base href=\"" + origin + "/\">");
}

constexpr std::string_view kDebriefCsp =
    "sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'";

net::Response debrief(Call& c) {
  if (c.req.accept.find("text/html") != std::string::npos) {
    auto html = c.service.debrief_html(c.p(), c.param("id"));
    if (!html) return fail(c, html.error());
    // Its links (cited moments: "/replay/...") are relative; a <base> naming this server
    // keeps them working in a copy saved to disk (the browser fetched it from this origin).
    with_base(*html, api_detail::request_origin(c));
    // The report quotes what participants typed: it is a sandboxed document (an opaque
    // origin, no scripts, nothing loaded from anywhere) wherever it is opened.
    return net::Response{200, "text/html; charset=utf-8", std::move(*html),
                         {{"Content-Security-Policy", std::string(kDebriefCsp)}}};
  }
  return reply(c, c.service.debrief(c.p(), c.param("id")));
}

net::Response revoke(Call& c) { return reply(c, c.service.revoke(c.p(), c.param("id"), c.param("token"))); }

net::Response get_scorecard(Call& c) {
  auto round = parse_round(c.param("r"));
  if (!round) return fail(c, round.error());
  return reply(c, c.service.get_scorecard(c.p(), c.param("id"), *round));
}

// ?base_revision=N: the Scorecard.revision an edit started from (absent: no check).
Result<std::optional<uint64_t>> parse_base_revision(const net::Request& req) {
  const std::string v = req.query_param("base_revision");
  if (v.empty()) return std::optional<uint64_t>();
  if (v.size() > 19 || !std::all_of(v.begin(), v.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
    return make_error(Errc::invalid_argument, "base_revision: must be a non-negative integer");
  return std::optional<uint64_t>(std::stoull(v));
}

net::Response save_scorecard(Call& c) {
  auto round = parse_round(c.param("r"));
  if (!round) return fail(c, round.error());
  auto base = parse_base_revision(c.req);
  if (!base) return fail(c, base.error());
  v1::ScorecardDraft draft;
  if (auto r = parse_json(c.req.body, draft); !r) return fail(c, r.error());
  return reply(c, c.service.save_scorecard(c.p(), c.param("id"), *round, draft, *base));
}

net::Response submit_scorecard(Call& c) {
  auto round = parse_round(c.param("r"));
  if (!round) return fail(c, round.error());
  auto base = parse_base_revision(c.req);
  if (!base) return fail(c, base.error());
  return reply(c, c.service.submit_scorecard(c.p(), c.param("id"), *round, *base));
}

// ---- the panel after creation (loop settings page; host only) ----

net::Response add_participant(Call& c) {
  v1::ParticipantSpec body;
  if (auto r = parse_json(c.req.body, body); !r) return fail(c, r.error());
  net::Response r = reply(c, c.service.add_participant(c.p(), c.param("id"), body), 201);
  if (r.status == 201) {
    v1::AddParticipantResponse created;
    if (pbu::JsonStringToMessage(r.body, &created).ok())
      r.headers.emplace_back("Location", "/api/v1/loops/" + c.param("id") + "/participants/" + created.participant().id());
  }
  return r;
}

net::Response update_participant(Call& c) {
  v1::UpdateParticipantRequest body;
  if (auto r = parse_json(c.req.body, body); !r) return fail(c, r.error());
  return reply(c, c.service.update_participant(c.p(), c.param("id"), c.param("pid"), body));
}

net::Response remove_participant(Call& c) {
  return reply(c, c.service.remove_participant(c.p(), c.param("id"), c.param("pid")));
}

net::Response reissue_invite(Call& c) {
  net::Response r = reply(c, c.service.reissue_invite(c.p(), c.param("id"), c.param("pid")), 201);
  // The invite belongs to the participant: its resource is the participant's.
  if (r.status == 201) r.headers.emplace_back("Location", "/api/v1/loops/" + c.param("id") + "/participants/" + c.param("pid"));
  return r;
}

net::Response set_schedule(Call& c) {
  v1::SetScheduleRequest body;
  if (auto r = parse_json(c.req.body, body); !r) return fail(c, r.error());
  return reply(c, c.service.set_schedule(c.p(), c.param("id"), body));
}

// ---- the written work (issue 21) ----

net::Response list_written(Call& c) { return reply(c, c.service.list_written(c.p(), c.param("id"))); }

net::Response assign_written(Call& c) {
  v1::CreateWrittenRequest body;
  if (auto r = parse_json(c.req.body, body); !r) return fail(c, r.error());
  auto made = c.service.assign_written(c.p(), c.param("id"), body);
  net::Response r = reply(c, made, 201);
  if (r.status == 201)  // the assignment is listed (no GET of its own); its questions are its first sub-resource
    r.headers.emplace_back("Location", "/api/v1/loops/" + c.param("id") + "/written/" + made->id() + "/questions");
  return r;
}

net::Response written_questions(Call& c) {
  return reply(c, c.service.written_questions(c.p(), c.param("id"), c.param("aid")));
}

net::Response ask_written(Call& c) {
  v1::AskWrittenQuestionRequest body;
  if (auto r = parse_json(c.req.body, body); !r) return fail(c, r.error());
  return reply(c, c.service.ask_written(c.p(), c.param("id"), c.param("aid"), body), 201);
}

net::Response submit_written(Call& c) {
  v1::SubmitWrittenRequest body;
  if (auto r = parse_json(c.req.body, body); !r) return fail(c, r.error());
  auto made = c.service.submit_written(c.p(), c.param("id"), c.param("aid"), body);
  net::Response r = reply(c, made, 201);
  if (r.status == 201)
    r.headers.emplace_back("Location", "/api/v1/loops/" + c.param("id") + "/written/" + c.param("aid") + "/versions/" +
                                           std::to_string(made->version()));
  return r;
}

net::Response written_version(Call& c) {
  auto v = parse_round(c.param("v"));
  if (!v) return fail(c, make_error(Errc::not_found, "no such version"));
  return reply(c, c.service.written_version(c.p(), c.param("id"), c.param("aid"), *v));
}

net::Response written_report(Call& c) {
  auto html = c.service.written_report_html(c.p(), c.param("id"), c.param("aid"));
  if (!html) return fail(c, html.error());
  return net::Response{200, "text/html; charset=utf-8", std::move(*html),
                       {{"Content-Security-Policy", std::string(kDebriefCsp)}}};
}

// ---- code runs (issue 16; loop/run_service.hpp) ----

net::Response json_text(int status, std::string body) {
  net::Response r;
  r.status = status;
  r.body = std::move(body);
  return r;
}

net::Response runs_off(Call& c) {
  return fail(c, make_error(Errc::conflict, "code runs are off on this server (no runner)"));
}

net::Response start_run(Call& c) {
  if (!c.runs) return runs_off(c);
  auto round = parse_round(c.param("r"));
  if (!round) return fail(c, round.error());
  auto id = c.runs->start(c.p(), RunPlace::of_round(c.param("id"), *round), c.req.body);
  if (!id) return fail(c, id.error());
  net::Response r = json_text(202, nlohmann::json{{"runId", *id}}.dump());
  r.headers.emplace_back("Location", "/api/v1/loops/" + c.param("id") + "/rounds/" + c.param("r") + "/runs/" + *id);
  return r;
}

net::Response get_run(Call& c) {
  if (!c.runs) return runs_off(c);
  auto round = parse_round(c.param("r"));
  if (!round) return fail(c, round.error());
  auto run = c.runs->get(c.p(), RunPlace::of_round(c.param("id"), *round), c.param("run"));
  if (!run) return fail(c, run.error());
  return json_text(200, std::move(*run));
}

net::Response list_runs(Call& c) {
  if (!c.runs) return runs_off(c);
  auto round = parse_round(c.param("r"));
  if (!round) return fail(c, round.error());
  auto runs = c.runs->list(c.p(), RunPlace::of_round(c.param("id"), *round));
  if (!runs) return fail(c, runs.error());
  return json_text(200, std::move(*runs));
}

// A study room's runs: custom stdin only, every peer sees every run (loop/run_service.hpp).
net::Response start_study_run(Call& c) {
  if (!c.runs) return runs_off(c);
  auto id = c.runs->start(c.p(), RunPlace::of_study(c.param("id")), c.req.body);
  if (!id) return fail(c, id.error());
  net::Response r = json_text(202, nlohmann::json{{"runId", *id}}.dump());
  r.headers.emplace_back("Location", "/api/v1/study-rooms/" + c.param("id") + "/runs/" + *id);
  return r;
}

net::Response get_study_run(Call& c) {
  if (!c.runs) return runs_off(c);
  auto run = c.runs->get(c.p(), RunPlace::of_study(c.param("id")), c.param("run"));
  if (!run) return fail(c, run.error());
  return json_text(200, std::move(*run));
}

net::Response list_study_runs(Call& c) {
  if (!c.runs) return runs_off(c);
  auto runs = c.runs->list(c.p(), RunPlace::of_study(c.param("id")));
  if (!runs) return fail(c, runs.error());
  return json_text(200, std::move(*runs));
}

// ---- the replay (issue 19; loop/replay_service.hpp) ----

net::Response replay_off(Call& c) { return fail(c, make_error(Errc::conflict, "the replay is off on this server")); }

net::Response timeline(Call& c) {
  if (!c.replay) return replay_off(c);
  auto round = parse_round(c.param("r"));
  if (!round) return fail(c, round.error());
  auto t = c.replay->timeline(c.p(), c.param("id"), *round);
  if (!t) return fail(c, t.error());
  return json_text(200, std::move(*t));
}

net::Response replay_state(Call& c) {
  if (!c.replay) return replay_off(c);
  auto round = parse_round(c.param("r"));
  if (!round) return fail(c, round.error());
  const std::string at = c.req.query_param("at");
  if (at.empty() || at.size() > 13 || !std::all_of(at.begin(), at.end(), [](char ch) { return ch >= '0' && ch <= '9'; }))
    return fail(c, make_error(Errc::invalid_argument, "at: a moment in ms since the Unix epoch (query ?at=<ms>)"));
  auto s = c.replay->state(c.p(), c.param("id"), *round, std::stoll(at));
  if (!s) return fail(c, s.error());
  return json_text(200, std::move(*s));
}

net::Response list_snapshots(Call& c) {
  if (!c.replay) return replay_off(c);
  auto round = parse_round(c.param("r"));
  if (!round) return fail(c, round.error());
  auto s = c.replay->snapshots(c.p(), c.param("id"), *round);
  if (!s) return fail(c, s.error());
  return json_text(200, std::move(*s));
}

net::Response create_snapshot(Call& c) {
  if (!c.replay) return replay_off(c);
  auto round = parse_round(c.param("r"));
  if (!round) return fail(c, round.error());
  auto s = c.replay->create_snapshot(c.p(), c.param("id"), *round, c.req.body);
  if (!s) return fail(c, s.error());
  auto r = json_text(201, std::move(*s));
  r.headers.emplace_back("Location", "/api/v1/loops/" + c.param("id") + "/rounds/" + c.param("r") + "/snapshots");
  return r;
}

net::Response restore_snapshot(Call& c) {
  if (!c.replay) return replay_off(c);
  auto round = parse_round(c.param("r"));
  if (!round) return fail(c, round.error());
  auto s = c.replay->restore(c.p(), c.param("id"), *round, c.param("snap"), c.req.body);
  if (!s) return fail(c, s.error());
  return json_text(200, std::move(*s));
}

net::Response get_run_settings(Call& c) {
  if (!c.runs) return runs_off(c);
  auto round = parse_round(c.param("r"));
  if (!round) return fail(c, round.error());
  auto s = c.runs->settings(c.p(), c.param("id"), *round);
  if (!s) return fail(c, s.error());
  return json_text(200, std::move(*s));
}

net::Response put_run_settings(Call& c) {
  if (!c.runs) return runs_off(c);
  auto round = parse_round(c.param("r"));
  if (!round) return fail(c, round.error());
  auto s = c.runs->put_settings(c.p(), c.param("id"), *round, c.req.body);
  if (!s) return fail(c, s.error());
  return json_text(200, std::move(*s));
}

net::Response openapi(Call& c);

#define D(T) &T::descriptor

using Table = RouteTable<ApiRouter::Spec>;

// Every REST route. Every Auth::token route runs on a worker: authenticating reads SQLite.
const Table& routes() {
  static const Table table({
      {"GET", "/api/openapi.json", {Auth::none, Runs::io, openapi, 200, "this document (OpenAPI 3.1)", nullptr, nullptr}},
      {"GET", "/api/templates", {Auth::none, Runs::io, templates, 200, "loop templates", nullptr, D(v1::ListTemplatesResponse)}},
      {"POST", "/api/loops", {Auth::none, Runs::worker, create_loop, 201, "create a loop (invites with tokens; host first)", D(v1::CreateLoopRequest), D(v1::CreateLoopResponse)}},
      {"GET", "/api/loops", {Auth::token, Runs::worker, list_loops, 200, "the caller's loops", nullptr, D(v1::ListLoopsResponse)}},
      {"POST", "/api/study-rooms", {Auth::none, Runs::worker, create_study_room, 201, "create a study room", D(v1::CreateStudyRoomRequest), D(v1::StudyRoom)}},
      {"GET", "/api/questions", {Auth::token, Runs::worker, questions, 200, "question bank (query: round_kind, lp, level); interviewers only", nullptr, D(v1::ListQuestionsResponse)}},
      {"GET", "/api/loops/{id}", {Auth::token, Runs::worker, get_loop, 200, "a loop as the caller may see it", nullptr, D(v1::GetLoopResponse)}},
      {"GET", "/api/loops/{id}/debrief", {Auth::token, Runs::worker, debrief, 200, "the debrief (JSON, or an HTML report with Accept: text/html)", nullptr, D(v1::Debrief), true}},
      {"POST", "/api/loops/{id}/tokens/{token}/revoke", {Auth::token, Runs::worker, revoke, 200, "revoke an invite token (host)", nullptr, D(v1::Invite)}},
      {"POST", "/api/loops/{id}/participants", {Auth::token, Runs::worker, add_participant, 201, "add a participant (host)", D(v1::ParticipantSpec), D(v1::AddParticipantResponse)}},
      {"PUT", "/api/loops/{id}/participants/{pid}", {Auth::token, Runs::worker, update_participant, 200, "change a participant (host)", D(v1::UpdateParticipantRequest), D(v1::Participant)}},
      {"DELETE", "/api/loops/{id}/participants/{pid}", {Auth::token, Runs::worker, remove_participant, 200, "remove a participant (host)", nullptr, D(v1::Loop)}},
      {"POST", "/api/loops/{id}/participants/{pid}/invite", {Auth::token, Runs::worker, reissue_invite, 201, "reissue a participant's invite (host)", nullptr, D(v1::Invite)}},
      {"PUT", "/api/loops/{id}/schedule", {Auth::token, Runs::worker, set_schedule, 200, "set the rounds' schedule (host)", D(v1::SetScheduleRequest), D(v1::Loop)}},
      {"GET", "/api/loops/{id}/rounds/{r}/scorecard", {Auth::token, Runs::worker, get_scorecard, 200, "the caller's scorecard for a round", nullptr, D(v1::ScorecardView)}},
      {"PUT", "/api/loops/{id}/rounds/{r}/scorecard", {Auth::token, Runs::worker, save_scorecard, 200, "save a scorecard draft (query: base_revision)", D(v1::ScorecardDraft), D(v1::Scorecard)}},
      {"POST", "/api/loops/{id}/rounds/{r}/scorecard/submit", {Auth::token, Runs::worker, submit_scorecard, 200, "submit the scorecard (query: base_revision)", nullptr, D(v1::Scorecard)}},
      {"GET", "/api/loops/{id}/written", {Auth::token, Runs::worker, list_written, 200, "written assignments of a loop", nullptr, D(v1::ListWrittenResponse)}},
      {"POST", "/api/loops/{id}/written", {Auth::token, Runs::worker, assign_written, 201, "assign a written exercise (host)", D(v1::CreateWrittenRequest), D(v1::WrittenAssignment)}},
      {"GET", "/api/loops/{id}/written/{aid}/questions", {Auth::token, Runs::worker, written_questions, 200, "questions on an assignment", nullptr, D(v1::WrittenQuestions)}},
      {"POST", "/api/loops/{id}/written/{aid}/questions", {Auth::token, Runs::worker, ask_written, 201, "ask a question (candidate, until the cut-off)", D(v1::AskWrittenQuestionRequest), D(v1::WrittenQuestions)}},
      {"POST", "/api/loops/{id}/written/{aid}/submit", {Auth::token, Runs::worker, submit_written, 201, "submit a frozen version (candidate)", D(v1::SubmitWrittenRequest), D(v1::WrittenVersion)}},
      {"GET", "/api/loops/{id}/written/{aid}/versions/{v}", {Auth::token, Runs::worker, written_version, 200, "a submitted version", nullptr, D(v1::WrittenVersion)}},
      {"GET", "/api/loops/{id}/written/{aid}/report", {Auth::token, Runs::worker, written_report, 200, "the take-home report (HTML)", nullptr, nullptr}},
      {"POST", "/api/loops/{id}/rounds/{r}/runs", {Auth::token, Runs::worker, start_run, 202, "run the round's code pad (body: language, code, mode, stdin); answers with the run id", nullptr, nullptr}},
      {"GET", "/api/loops/{id}/rounds/{r}/runs", {Auth::token, Runs::worker, list_runs, 200, "the round's code runs, filtered by role", nullptr, nullptr}},
      // Accounts (issue 20, loop/account_api.hpp): a session cookie; state changes also
      // need the X-CSRF-Token header.
      {"POST", "/api/auth/signup", {Auth::none, Runs::worker, account_api::signup, 201, "create an account and sign in (session cookie)", D(v1::SignupRequest), D(v1::AuthResponse)}},
      {"POST", "/api/auth/login", {Auth::none, Runs::worker, account_api::login, 200, "sign in (session cookie); 429 + Retry-After while the account is locked", D(v1::LoginRequest), D(v1::AuthResponse)}},
      {"POST", "/api/auth/logout", {Auth::none, Runs::worker, account_api::logout, 200, "end this session (cookie + X-CSRF-Token)", nullptr, D(v1::LogoutResponse)}},
      {"POST", "/api/auth/logout-all", {Auth::none, Runs::worker, account_api::logout_all, 200, "end every session of the account (cookie + X-CSRF-Token)", nullptr, D(v1::LogoutResponse)}},
      {"POST", "/api/auth/password", {Auth::none, Runs::worker, account_api::change_password, 200, "change the password; other sessions end (cookie + X-CSRF-Token)", D(v1::ChangePasswordRequest), D(v1::AuthResponse)}},
      {"POST", "/api/auth/signup-codes", {Auth::none, Runs::worker, account_api::create_signup_code, 201, "a one-time sign-up code (admin; cookie + X-CSRF-Token)", D(v1::CreateSignupCodeRequest), D(v1::SignupCode)}},
      {"GET", "/api/auth/config", {Auth::none, Runs::io, oidc_api::config, 200, "how this server signs people in: passwords, sign-up mode, single sign-on", nullptr, D(v1::AuthConfig)}},
      {"GET", "/api/auth/oidc/start", {Auth::none, Runs::outbound, oidc_api::start, 302, "start single sign-on: 302 to the provider and the flow cookie (query: code = a sign-up code, link=1 = link to the signed-in account, return = a local path)", nullptr, nullptr}},
      {"GET", "/api/auth/oidc/callback", {Auth::none, Runs::outbound, oidc_api::callback, 302, "the provider's redirect back (query: code, state): the session cookie and a 302 to the page the sign-in started from", nullptr, nullptr}},
      {"GET", "/api/me", {Auth::none, Runs::worker, account_api::me, 200, "the signed-in user and the session's CSRF token (cookie)", nullptr, D(v1::AuthResponse)}},
      {"GET", "/api/me/loops", {Auth::none, Runs::worker, account_api::my_loops, 200, "the loops of the invites attached to the account, archived ones only with ?archived=1 (cookie)", nullptr, D(v1::ListMyLoopsResponse)}},
      {"POST", "/api/me/loops/{id}/participants/{pid}/invite", {Auth::none, Runs::worker, home_api::reissue, 201, "reissue anyone's link from the host's account, the host's own included (cookie + X-CSRF-Token)", nullptr, D(v1::Invite)}},
      {"PUT", "/api/me/loops/{id}/archive", {Auth::none, Runs::worker, home_api::archive, 200, "archive or unarchive a loop (host's account; cookie + X-CSRF-Token)", D(v1::ArchiveLoopRequest), D(v1::MyLoop)}},
      {"GET", "/api/me/loops/{id}/export", {Auth::none, Runs::worker, home_api::export_loop, 200, "the loop, its debrief and the HTML report as one JSON (host's account; cookie)", nullptr, D(v1::LoopExport)}},
      {"DELETE", "/api/me/loops/{id}", {Auth::none, Runs::worker, home_api::delete_loop, 200, "delete a loop with every document, history, scorecard, run, written work and token of it (host's account; cookie + X-CSRF-Token)", nullptr, D(v1::DeleteLoopResponse)}},
      {"POST", "/api/me/invites", {Auth::none, Runs::worker, account_api::attach_invite, 201, "attach an invite to the account (cookie + X-CSRF-Token)", D(v1::AttachInviteRequest), D(v1::MyLoop)}},
      // Candidate profiles, progress and the preparation tools (issue 20, loop/progress_api.hpp).
      {"GET", "/api/prep/self-assessment", {Auth::none, Runs::io, progress_api::self_assessment_form, 200, "the self-assessment: 12 statements and the study-plan bands", nullptr, D(v1::SelfAssessmentForm)}},
      {"GET", "/api/prep/story-guide", {Auth::none, Runs::io, progress_api::story_guide, 200, "the STAR story guide: Bar Raiser mix, five-whys follow-ups, weekly targets", nullptr, D(v1::StoryGuide)}},
      {"POST", "/api/me/profile", {Auth::none, Runs::worker, progress_api::own_profile, 200, "the caller's own candidate profile, made on first use (cookie + X-CSRF-Token)", nullptr, D(v1::CandidateProfile)}},
      {"GET", "/api/profiles", {Auth::none, Runs::worker, progress_api::list_profiles, 200, "the profiles the caller is the candidate of, keeps or mentors (cookie)", nullptr, D(v1::ListProfilesResponse)}},
      {"POST", "/api/profiles", {Auth::none, Runs::worker, progress_api::create_profile, 201, "a profile the caller keeps as a mentor (cookie + X-CSRF-Token)", D(v1::CreateProfileRequest), D(v1::CandidateProfile)}},
      {"GET", "/api/profiles/{pid}", {Auth::none, Runs::worker, progress_api::get_profile, 200, "a profile (its candidate, keeper or mentors; else 404)", nullptr, D(v1::CandidateProfile)}},
      {"PUT", "/api/profiles/{pid}/mentors", {Auth::none, Runs::worker, progress_api::set_mentors, 200, "who may see the profile (the candidate; the keeper of a mentor-kept one)", D(v1::SetMentorsRequest), D(v1::CandidateProfile)}},
      {"POST", "/api/profiles/{pid}/loops", {Auth::none, Runs::worker, progress_api::attach_loop, 201, "attach a loop the caller hosts to the profile (releases its scorecards to the profile's readers)", D(v1::AttachProfileLoopRequest), D(v1::CandidateProfile)}},
      {"POST", "/api/profiles/{pid}/handover", {Auth::none, Runs::worker, progress_api::create_handover, 201, "a one-time code (7 days) that hands a mentor-kept profile to the candidate's own account; the keeper only; replaces the previous code (cookie + X-CSRF-Token)", nullptr, D(v1::ProfileHandover)}},
      {"POST", "/api/me/profile/claim", {Auth::none, Runs::worker, progress_api::claim_profile, 200, "redeem a handover code: the kept profile becomes the caller's own (409 when their own profile holds anything; cookie + X-CSRF-Token)", D(v1::ClaimProfileRequest), D(v1::CandidateProfile)}},
      {"GET", "/api/profiles/{pid}/progress", {Auth::none, Runs::worker, progress_api::progress, 200, "progress across the profile's loops: ratings over time with median and spread, decisions, self-assessments, weekly goals, story coverage", nullptr, D(v1::ProgressResponse)}},
      {"GET", "/api/profiles/{pid}/assessments", {Auth::none, Runs::worker, progress_api::list_assessments, 200, "the profile's self-assessments, oldest first", nullptr, D(v1::ListAssessmentsResponse)}},
      {"POST", "/api/profiles/{pid}/assessments", {Auth::none, Runs::worker, progress_api::add_assessment, 201, "take the self-assessment (12 ratings 1-5): score 0-100 and band", D(v1::SubmitAssessmentRequest), D(v1::SelfAssessment)}},
      {"GET", "/api/profiles/{pid}/stories", {Auth::none, Runs::worker, progress_api::list_stories, 200, "the STAR stories the caller may read, with coverage and gaps", nullptr, D(v1::ListStoriesResponse)}},
      {"POST", "/api/profiles/{pid}/stories", {Auth::none, Runs::worker, progress_api::add_story, 201, "add a STAR story", D(v1::StoryDraft), D(v1::Story)}},
      {"PUT", "/api/profiles/{pid}/stories/{sid}", {Auth::none, Runs::worker, progress_api::update_story, 200, "change a STAR story", D(v1::StoryDraft), D(v1::Story)}},
      {"DELETE", "/api/profiles/{pid}/stories/{sid}", {Auth::none, Runs::worker, progress_api::delete_story, 200, "delete a STAR story; answers with the bank left", nullptr, D(v1::ListStoriesResponse)}},
      {"GET", "/api/loops/{id}/rounds/{r}/runs/{run}", {Auth::token, Runs::worker, get_run, 200, "one code run and its results, filtered by role", nullptr, nullptr}},
      {"GET", "/api/loops/{id}/rounds/{r}/timeline", {Auth::token, Runs::worker, timeline, 200, "the round's replay timeline {startMs, endMs, events: [{atMs, kind, participantId, summary}], phases, participants, activity}, filtered by role", nullptr, nullptr}},
      {"GET", "/api/loops/{id}/rounds/{r}/state", {Auth::token, Runs::worker, replay_state, 200, "the round as it was at ?at=<ms>: board (docs/board-model.md), code {text, language}, timer, question", nullptr, nullptr}},
      {"GET", "/api/loops/{id}/rounds/{r}/snapshots", {Auth::token, Runs::worker, list_snapshots, 200, "the round's snapshots {snapshots: [{id, name, atMs, kind, by}], maxPerRound}: one at every phase boundary and those taken on demand (staff)", nullptr, nullptr}},
      {"POST", "/api/loops/{id}/rounds/{r}/snapshots", {Auth::token, Runs::worker, create_snapshot, 201, "take a snapshot of the round (body {name?, atMs?}; staff; at most 50 per round)", nullptr, nullptr}},
      {"POST", "/api/loops/{id}/rounds/{r}/snapshots/{snap}/restore", {Auth::token, Runs::worker, restore_snapshot, 200, "restore the live board or code pad to a snapshot as a new change (body {target: board|code}; staff)", nullptr, nullptr}},
      {"GET", "/api/loops/{id}/rounds/{r}/run-settings", {Auth::token, Runs::worker, get_run_settings, 200, "the round's run settings: {candidateMayRunHidden}", nullptr, nullptr}},
      {"POST", "/api/study-rooms/{id}/runs", {Auth::token, Runs::worker, start_study_run, 202, "run the study room's code pad on custom stdin (body: language, code, stdin, tests: none, by); answers with the run id", nullptr, nullptr}},
      {"GET", "/api/study-rooms/{id}/runs", {Auth::token, Runs::worker, list_study_runs, 200, "the study room's code runs", nullptr, nullptr}},
      {"GET", "/api/study-rooms/{id}/runs/{run}", {Auth::token, Runs::worker, get_study_run, 200, "one code run of the study room", nullptr, nullptr}},
      {"PUT", "/api/loops/{id}/rounds/{r}/run-settings", {Auth::token, Runs::worker, put_run_settings, 200, "let the candidate run the hidden tests or not (the round's interviewers; body {candidateMayRunHidden})", nullptr, nullptr}},
  });
  return table;
}
#undef D

net::Response openapi(Call&) {
  static const std::string doc = openapi_json(kApiVersion);
  return net::Response{200, "application/json", doc, {}};
}

// The answer decided from the request alone, before any handler: 404, 405 + Allow, 413.
std::optional<net::Response> precheck(const net::Request& req, const Table::Match& m) {
  if (!m.route && m.allow.empty()) return error_response(make_error(Errc::not_found, "no such endpoint"));
  if (!m.route) {
    net::Response r = error_response(make_error(Errc::method_not_allowed, "method not allowed; allowed: " + m.allow));
    r.headers.emplace_back("Allow", m.allow);
    return r;
  }
  if (req.body.size() > kMaxRequestBodyBytes)
    return error_response(make_error(Errc::payload_too_large, "request body larger than 256 KiB"));
  return std::nullopt;
}

}  // namespace

namespace api_detail {

net::Response fail(ApiRouter::Call& c, const Error& e) {
  net::Response r = error_response(e);
  if (r.status >= 500) c.cause = std::string(name(e.code)) + ": " + e.message;
  return r;
}

net::Response json_response(ApiRouter::Call& c, int status, const google::protobuf::Message& msg) {
  net::Response r;
  r.status = status;
  pbu::JsonPrintOptions opts;
  // Fields at their default value are omitted (proto3 JSON): absence is how a reply shows
  // what a role may not see (no `token`, no `invites`, no others' scores), which the
  // policy tests check; a missing field means its default (loop/openapi.hpp).
  if (!pbu::MessageToJsonString(msg, &r.body, opts).ok())
    return fail(c, make_error(Errc::internal, std::string("JSON encoding of ") + msg.GetTypeName() + " failed"));
  return r;
}

Result<void> parse_json(const std::string& body, google::protobuf::Message& out) {
  if (body.size() > kMaxRequestBodyBytes) return make_error(Errc::payload_too_large, "request body larger than 256 KiB");
  pbu::JsonParseOptions opts;
  opts.ignore_unknown_fields = false;
  auto st = pbu::JsonStringToMessage(body.empty() ? std::string("{}") : body, &out, opts);
  if (!st.ok()) return make_error(Errc::invalid_argument, "malformed JSON: " + std::string(st.message()).substr(0, 200));
  return {};
}

}  // namespace api_detail

net::Response error_response(const Error& e) {
  // Internal details stay in the server (logged by the router); clients get a generic message.
  net::Response r = net::json_error(e.code, e.message);
  if (r.status == 401) r.headers.emplace_back("WWW-Authenticate", "Bearer realm=\"mockloop\"");
  return r;
}

std::string unversioned_path(std::string_view path) {
  constexpr std::string_view kV1 = "/api/v1";
  if (path.substr(0, kV1.size()) == kV1 && (path.size() == kV1.size() || path[kV1.size()] == '/'))
    return "/api" + std::string(path.substr(kV1.size()));
  return std::string(path);
}

const std::vector<RouteDoc>& api_route_docs() {
  static const std::vector<RouteDoc> docs = [] {
    std::vector<RouteDoc> out;
    for (const auto& r : routes().routes()) {
      const auto& s = r.payload;
      out.push_back(RouteDoc{r.method, r.pattern, s.auth == Auth::token, s.status, s.summary,
                             s.request ? s.request() : nullptr, s.response ? s.response() : nullptr, s.html});
    }
    return out;
  }();
  return docs;
}

ApiRouter::ApiRouter(LoopService& service, ApiOptions options)
    : service_(service),
      options_(options),
      loop_quota_(options.max_loops_per_ip_hour),
      study_quota_(options.max_study_rooms_per_ip_hour),
      pool_(std::make_unique<WorkerPool>(options.workers, options.max_queued_requests)) {}

ApiRouter::~ApiRouter() { stop(); }

void ApiRouter::stop() {
  pool_->stop();
  if (outbound_pool_) outbound_pool_->stop();
}

void ApiRouter::set_oidc(account::OidcClient* oidc) {
  oidc_ = oidc;
  if (oidc_ && !outbound_pool_)
    outbound_pool_ = std::make_unique<WorkerPool>(account::kOidcWorkers, account::kMaxQueuedOidcRequests);
}

net::Response ApiRouter::run(const net::Request& req, const Spec& spec,
                             const std::map<std::string, std::string>& params) {
  Call c{service_, options_, loop_quota_, study_quota_, req, params, nullptr, {}, runs_, replay_, accounts_, oidc_, profiles_,
         &remove_docs_};
  net::Response r;
  try {
    std::optional<Principal> principal;
    if (spec.auth == Auth::token) {
      auto p = service_.authenticate(req.bearer_token());
      if (p) principal = std::move(*p);
      else r = fail(c, p.error());
    }
    if (spec.auth == Auth::none || principal) {
      c.principal = principal ? &*principal : nullptr;
      r = spec.handler(c);
    }
  } catch (const std::exception& e) {
    c.cause = std::string("exception: ") + e.what();
    r = error_response(make_error(Errc::internal, c.cause));
  }
  if (r.status >= 500)
    log::error("api", "request failed",
               {{"method", req.method}, {"path", req.path}, {"status", std::to_string(r.status)}, {"cause", c.cause}});
  return r;
}

net::Response ApiRouter::handle(const net::Request& req) {
  auto m = routes().match(req.method, unversioned_path(req.path));
  if (auto early = precheck(req, m)) return *early;
  return run(req, m.route->payload, m.params);
}

void ApiRouter::handle_async(net::Request req, net::HttpReply reply) {
  auto m = routes().match(req.method, unversioned_path(req.path));
  if (auto early = precheck(req, m)) return reply(std::move(*early));
  const Spec* spec = &m.route->payload;
  // Time from routing to the answer, queue wait included, per route pattern.
  metrics::Histogram& took = metrics::histogram(
      "mockloop_api_request_duration_seconds", "REST requests by route, from routing to the answer (queue wait included)",
      "method=\"" + m.route->method + "\",route=\"" + m.route->pattern + "\"");
  reply = [reply = std::move(reply), &took, start = std::chrono::steady_clock::now()](net::Response r) {
    took.observe(std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
    reply(std::move(r));
  };
  if (spec->runs == Runs::io) return reply(run(req, *spec, m.params));
  const std::string method = req.method, path = req.path;  // req moves into the job
  auto job = [this, spec, params = std::move(m.params), req = std::move(req), reply]() mutable {
    if (hook_) hook_(req);
    reply(run(req, *spec, params));
  };
  WorkerPool& pool = spec->runs == Runs::outbound && outbound_pool_ ? *outbound_pool_ : *pool_;
  if (!pool.post(std::move(job))) {
    log::error("api", "request refused",
               {{"method", method}, {"path", path}, {"status", "503"}, {"cause", "worker queue full or stopped"}});
    net::Response r = error_response(make_error(Errc::busy, "the server is busy; retry shortly"));
    r.headers.emplace_back("Retry-After", "1");
    reply(std::move(r));
  }
}

}  // namespace mockloop::loop
