#include "app/services.hpp"

#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>
#include <unistd.h>
#include <optional>

#include "account/account_service.hpp"
#include "account/oidc_client.hpp"
#include "account/profile_service.hpp"
#include "app/database_setup.hpp"
#include "app/loop_endpoints.hpp"
#include "app/yjs_endpoint.hpp"
#include "content/catalog.hpp"
#include "loop/api.hpp"
#include "loop/crdt_round_docs.hpp"
#include "loop/doc_access.hpp"
#include "loop/loop_service.hpp"
#include "loop/session_hub.hpp"
#include "loop/study_hub.hpp"
#include "loop/study_service.hpp"
#include "loop/replay_service.hpp"
#include "loop/run_service.hpp"
#include "runner/cgroup_probe.hpp"
#include "runner/pool.hpp"
#include "runner/test_catalog.hpp"
#include "loop/worker_pool.hpp"
#include "store/database.hpp"
#include "store/process_lock.hpp"
#include "common/log.hpp"
#include "common/metrics.hpp"
#include "loop/webhooks.hpp"
#include "store/webhook_log.hpp"
#include "common/process_metrics.hpp"
#include "room/authorizer.hpp"
#include "room/doc_registry.hpp"
#include "room/room_metrics.hpp"

namespace mockloop::app {

// Declaration order is construction order; destruction runs backwards, so the databases
// close last.
struct Services::State {
  std::optional<store::ProcessLock> db_lock;  // first in, last out: held while any connection is open
  std::unique_ptr<store::Database> loop_db;   // LoopService's own connection
  std::unique_ptr<store::Database> docs_db;   // CrdtRoundDocs' own connection (debrief reports)
  std::unique_ptr<store::Database> study_db;  // StudyService's own connection
  std::unique_ptr<store::Database> runs_db;   // RunService's own connection
  std::unique_ptr<store::Database> replay_db; // ReplayService's own connection (history reads)
  std::unique_ptr<store::Database> accounts_db;  // AccountService's own connection
  std::unique_ptr<store::Database> webhooks_db;  // the webhook thread's (delivery log); after webhooks stop
  std::unique_ptr<account::AccountService> accounts;
  std::unique_ptr<account::OidcClient> oidc;  // --oidc-issuer; null: single sign-on off
  std::unique_ptr<store::Database> profiles_db;  // ProfileService's own connection
  std::unique_ptr<account::ProfileService> profiles;
  std::unique_ptr<loop::LoopService> service;
  std::shared_ptr<loop::Webhooks> webhooks;     // --webhook-url; also held by the service's listener
  std::unique_ptr<loop::ApiRouter> api;
  std::unique_ptr<loop::SessionHub> hub;
  std::unique_ptr<loop::StudyService> study;
  std::unique_ptr<loop::StudyHub> study_hub;
  std::unique_ptr<room::DocRegistry> registry;
  std::unique_ptr<room::Authorizer> authorizer;  // loop::DocAccess
  std::unique_ptr<loop::WorkerPool> doc_auth;    // /yjs token checks (uses authorizer, registry)
  int access_listener = 0;                       // service -> registry.close_principal
  metrics::Gauge* sessions_gauge = nullptr;
  metrics::Gauge* rooms_gauge = nullptr;
  // /healthz and /readyz: their own connection, used only on health_pool's one thread.
  std::unique_ptr<store::Database> health_db;
  std::unique_ptr<loop::WorkerPool> health_pool;
  size_t templates_loaded = 0;
  runner::TestCatalog coding_tests;
  std::unique_ptr<loop::RunService> runs;
  std::unique_ptr<loop::ReplayService> replay;
  // Last: destroyed first, so no run's callback outlives the hub or the run service.
  std::unique_ptr<runner::RunnerPool> runner_pool;
};

// Health checks queued at most (more get 503 at once); one thread runs them.
constexpr size_t kMaxQueuedHealthChecks = 16;
// How long /readyz waits for the write lock before calling the database not writable.
constexpr int kReadyzBusyTimeoutMs = 1000;

namespace {

Result<void> ensure_parent_dir(const std::string& path) {
  std::error_code ec;
  auto parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  if (ec) return make_error(Errc::db, "cannot create directory '" + parent.string() + "': " + ec.message());
  return {};
}

// 405 for the operational endpoints, with Allow.
net::Response get_only() {
  net::Response r = net::json_error(Errc::method_not_allowed, "use GET");
  r.headers.emplace_back("Allow", "GET, HEAD");
  return r;
}

}  // namespace

Services::Services(Options options, std::string version)
    : options_(std::move(options)),
      version_(std::move(version)),
      started_at_(std::chrono::steady_clock::now()),
      state_(std::make_unique<State>()),
      server_(std::make_unique<net::Server>(options_.net)) {}

Services::~Services() = default;

Result<void> Services::start() {
  metrics::gauge("mockloop_build_info", "Build information (always 1)",
                 "version=\"" + version_ + "\",compiler=\"gcc " + __VERSION__ + "\"")
      .set(1);
  // /healthz: the process answers and the database reads; /readyz: the database takes a
  // write lock (then rolls back) and the content is loaded. 503 with the failing check.
  auto health = [this](bool ready) {
    return [this, ready](const net::Request& req, const net::HttpReply& reply) {
      if (req.method != "GET" && req.method != "HEAD") return reply(get_only());
      bool queued = state_->health_pool && state_->health_pool->post([this, ready, reply] { reply(check_health(ready)); });
      if (!queued) reply(net::json_error(Errc::busy, "health check queue full or stopping"));
    };
  };
  server_->add_async_http_route("/healthz", health(false));
  server_->add_async_http_route("/readyz", health(true));
  server_->add_http_route("/metrics", [](const net::Request& req) {
    if (req.method != "GET" && req.method != "HEAD") return get_only();
    net::Response r;
    r.content_type = "text/plain; version=0.0.4; charset=utf-8";
    r.body = metrics::render() + metrics::process_text();
    return r;
  });
  room::RoomMetrics::get();  // listed in /metrics from the start
  // One server per database file (the loop tables persist even with --no-persist).
  if (auto made = ensure_parent_dir(options_.db_path); !made) return made;
  auto lock = lock_and_check_database(options_);
  if (!lock) return lock.error();
  state_->db_lock.emplace(std::move(*lock));
  room::RegistryOptions ropts;
  ropts.limits = options_.room;
  if (options_.persist) {
    ropts.db_path = options_.db_path;
    ropts.database = database_options(options_, DbUse::documents);
    ropts.writer.commit_on_caller = true;  // io threads commit and broadcast their own updates
    ropts.history = options_.history;
    ropts.history.keeps = [](std::string_view doc) { return loop::doc_names::keeps_history(doc); };
  }
  {
    store::DatabaseOptions hopts = database_options(options_, DbUse::reads);
    hopts.busy_timeout_ms = kReadyzBusyTimeoutMs;
    auto hdb = store::Database::open(options_.db_path, hopts);
    if (!hdb) return make_error(Errc::db, "cannot open database '" + options_.db_path + "': " + hdb.error().message);
    state_->health_db = std::move(*hdb);
    state_->health_pool = std::make_unique<loop::WorkerPool>(1, kMaxQueuedHealthChecks);
  }
  auto registry = room::DocRegistry::open(std::move(ropts));
  if (!registry) return make_error(Errc::db, "cannot open database '" + options_.db_path + "': " + registry.error().message);
  state_->registry = std::move(*registry);
  if (auto loop = start_loop(); !loop) return loop;
  state_->authorizer = std::make_unique<loop::DocAccess>(*state_->service, options_.allow_anonymous_docs);
  // Revoking or expiring an invite closes its /yjs connections too (the hub closes its
  // sessions): DocAccess tracks each connection under its token id.
  state_->access_listener = state_->service->on_revoke(
      [registry = state_->registry.get()](const std::string& token_id, const std::string& reason, uint16_t code) {
        registry->close_principal(token_id, code, reason);
      });
  const DocAuthLimits& doc_auth = options_.doc_auth;
  state_->doc_auth = std::make_unique<loop::WorkerPool>(doc_auth.workers, doc_auth.max_queued);
  server_->add_ws_route("/yjs", make_yjs_route(*state_->registry, *state_->authorizer, *state_->doc_auth));
  server_->add_ws_route("/session", make_session_route(*state_->hub));
  server_->add_ws_route(kStudySessionPath, make_study_route(*state_->study_hub));
  server_->add_async_http_route("/api", make_api_route(*state_->api));
  server_->add_http_route("/api/runtimes", [this](const net::Request& req) {
    if (req.method != "GET") return net::json_error(Errc::method_not_allowed, "GET only");
    net::Response r;
    r.body = state_->runs->runtimes_json();
    return r;
  });
  server_->add_ticker(std::chrono::seconds(1), [this] { state_->registry->tick_in_background(); });
  server_->add_ticker(std::chrono::milliseconds(250), [this] {
    state_->hub->tick(std::chrono::system_clock::now());
    state_->study_hub->tick(std::chrono::system_clock::now());
    state_->sessions_gauge->set(static_cast<int64_t>(state_->hub->session_count()));
    state_->rooms_gauge->set(static_cast<int64_t>(state_->hub->room_count()));
  });

  auto listening = server_->start();
  if (!listening) return listening;
  log::info("app", "listening", {{"addr", options_.net.host + ":" + std::to_string(server_->port())}});
  return {};
}

net::Response Services::check_health(bool ready) {
  auto up = std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - started_at_);
  std::string db = "ok";
  if (auto r = state_->health_db->exec("SELECT COUNT(*) FROM schema_migrations"); !r) db = "unreadable: " + r.error().message;
  if (ready && db == "ok") {
    if (auto r = state_->health_db->exec("BEGIN IMMEDIATE"); !r) {
      db = "not writable: " + r.error().message;
    } else {
      state_->health_db->rollback();
    }
  }
  const bool content_ok = state_->templates_loaded > 0;
  const bool ok = db == "ok" && (!ready || content_ok);
  nlohmann::json body = {{"status", ok ? "ok" : "failing"},
                         {"version", version_},
                         {"uptime_seconds", up.count()},
                         {"database", db}};
  if (ready) body["content"] = content_ok ? "ok" : "no loop templates loaded";
  net::Response r;
  r.status = ok ? 200 : 503;
  r.body = body.dump();
  return r;
}

Result<void> Services::start_loop() {
  auto catalog = content::load_catalog(options_.content_dir);
  if (!catalog) return make_error(Errc::invalid_content, catalog.error().message);
  state_->templates_loaded = (*catalog)->templates().size();
  // The loop tables live in the same SQLite file as the documents (in memory for --no-persist
  // would lose loops, so they always persist). start() made its directory and holds its lock.
  for (auto* slot : {&state_->loop_db, &state_->docs_db, &state_->study_db, &state_->runs_db, &state_->replay_db,
                     &state_->accounts_db, &state_->profiles_db}) {
    auto db = store::Database::open(options_.db_path, database_options(options_, slot == &state_->loop_db
                                                                                      || slot == &state_->study_db
                                                                                      || slot == &state_->accounts_db
                                                                                      || slot == &state_->profiles_db
                                                                                      ? DbUse::decisions
                                                                                      : DbUse::reads));
    if (!db) return make_error(Errc::db, "cannot open database '" + options_.db_path + "': " + db.error().message);
    *slot = std::move(*db);
  }
  auto docs = loop::CrdtRoundDocs::open(*state_->docs_db);
  if (!docs) return make_error(Errc::db, docs.error().message);
  auto service = loop::LoopService::create(*state_->loop_db, *catalog, std::chrono::system_clock::now, *docs);
  if (!service) return make_error(Errc::db, "loop tables: " + service.error().message);
  state_->service = std::move(*service);
  auto accounts = account::AccountService::create(*state_->accounts_db, options_.accounts);
  if (!accounts) return make_error(Errc::db, "account tables: " + accounts.error().message);
  state_->accounts = std::move(*accounts);
  auto setup = state_->accounts->setup_code_if_empty();
  if (!setup) return make_error(Errc::db, "account tables: " + setup.error().message);
  setup_path_ = *setup ? (*setup)->link() : std::string();
  auto profiles = account::ProfileService::create(*state_->profiles_db, *catalog);
  if (!profiles) return make_error(Errc::db, "profile tables: " + profiles.error().message);
  state_->profiles = std::move(*profiles);
  loop::ApiOptions api = options_.api;
  // Default off: creating a loop or a study room needs a signed-in user (issue 20).
  api.allow_anonymous_create = options_.allow_anonymous_create.value_or(false);
  state_->api = std::make_unique<loop::ApiRouter>(*state_->service, api);
  if (!options_.webhooks.url.empty()) {
    if (auto r = start_webhooks(); !r) return r;
  }
  state_->api->set_accounts(state_->accounts.get());
  state_->api->set_doc_remover([this](const std::vector<std::string>& families) -> Result<size_t> {
    if (!state_->registry) return size_t{0};
    return state_->registry->remove_families(families, close_code(Errc::not_found), "document deleted");
  });
  if (options_.oidc.enabled()) {
    state_->oidc = std::make_unique<account::OidcClient>(options_.oidc);
    state_->api->set_oidc(state_->oidc.get());
    log::info("app", "single sign-on", {{"issuer", options_.oidc.issuer},
                                        {"password_login", options_.accounts.password_login ? "on" : "off"}});
  }
  state_->api->set_profiles(state_->profiles.get());
  if (!api.allow_anonymous_create) log::info("app", "creating loops and study rooms needs a signed-in user");
  state_->hub = std::make_unique<loop::SessionHub>(*state_->service, options_.sessions, options_.call);
  if (options_.call.ice_servers.empty())
    log::info("app", "calls: no --ice-server; peers connect directly (LAN), strict NATs may not connect");
  auto study = loop::StudyService::create(*state_->study_db, *catalog);
  if (!study) return make_error(Errc::db, "study tables: " + study.error().message);
  state_->study = std::move(*study);
  state_->study_hub = std::make_unique<loop::StudyHub>(*state_->service, *state_->study, options_.study);
  if (auto r = start_runs(); !r) return r;
  auto replay = loop::ReplayService::open(*state_->service, *state_->replay_db);
  if (!replay) return make_error(Errc::db, "replay: " + replay.error().message);
  state_->replay = std::move(*replay);
  state_->api->set_replay_service(state_->replay.get());
  // Restoring a snapshot changes the live round doc through the registry's normal path.
  state_->replay->set_doc_editor([registry = state_->registry.get()](const std::string& doc, const std::string& actor,
                                                                     const loop::ReplayService::MakeUpdate& make) {
    return registry->server_edit(doc, make, actor);
  });
  // Phase boundaries checkpoint the round doc's history (a no-op for an unchanged doc).
  state_->service->set_phase_listener([registry = state_->registry.get()](const std::string& doc, const std::string& label) {
    registry->checkpoint(doc, label);
  });
  state_->sessions_gauge = &metrics::gauge("mockloop_session_connections", "Interview session connections");
  state_->rooms_gauge = &metrics::gauge("mockloop_rooms_active", "Interview rooms with at least one live session");
  return {};
}

// The code runner (issue 16): the coding tests from content/coding_tests, a pool of
// mockloop-runner processes, a probe of the sandbox (blocking, at start only) whose answer
// GET /api/runtimes serves. A sandbox that does not work leaves runs refused, with the reason.
Result<void> Services::start_runs() {
  auto tests = runner::TestCatalog::load(options_.content_dir + "/coding_tests");
  if (!tests) return tests.error();
  state_->coding_tests = std::move(*tests);
  runner::PoolOptions po = options_.runner;
  if (po.runner_path.empty()) {
    std::error_code ec;
    auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
    po.runner_path = (ec ? std::filesystem::path(".") : self.parent_path()) / "mockloop-runner";
  }
  if (po.slots == 0) po.slots = std::max(1u, std::thread::hardware_concurrency());
  state_->runner_pool = std::make_unique<runner::RunnerPool>(po);
  runner::Reply probe = state_->runner_pool->probe();
  std::string problem;
  if (!probe.sandbox_ok)
    problem = probe.error ? *probe.error : probe.sandbox_reason.empty() ? "the sandbox check failed" : probe.sandbox_reason;
  nlohmann::json rt = nlohmann::json::array();
  for (const auto& r : probe.runtimes) {
    nlohmann::json j = {{"id", r.id}, {"language", r.language}, {"version", r.version}, {"available", r.available}};
    if (!r.available) j["reason"] = r.reason;
    rt.push_back(std::move(j));
  }
  nlohmann::json body = {{"runtimes", rt}, {"sandbox", {{"ok", problem.empty()}}}};
  // cgroup memory/pids limits: what the machine offers, and why runs use rlimits only.
  const runner::CgroupSupport cg = runner::probe_cgroup();
  body["cgroup"] = {{"version", cg.version}, {"delegated", cg.delegated}, {"applied", cg.applied}, {"reason", cg.reason}};
  if (!problem.empty()) {
    body["sandbox"]["reason"] = problem;
    log::warn("runs", "code runs are refused: " + problem);
  } else {
    log::info("runs", "code runner ready", {{"slots", std::to_string(po.slots)}, {"runner", po.runner_path}});
  }
  state_->runs = std::make_unique<loop::RunService>(*state_->service, state_->runner_pool.get(), state_->coding_tests,
                                                    *state_->runs_db, body.dump(), problem);
  // Rounds: each receiver's view (staff or not) and the run.finished webhook; study rooms:
  // one view for every peer (no webhook: they belong to no loop).
  state_->runs->set_on_update([hub = state_->hub.get(), study = state_->study_hub.get(), hooks = state_->webhooks](
                                  const loop::RunPlace& place, const nlohmann::json& full) {
    const std::string id = full.value("runId", "");
    auto view = [&](bool staff) {
      return loop::RunService::run_view(full, staff).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    };
    if (place.study()) {
      v1::RunUpdate u;
      u.set_run_id(id);
      u.set_json(view(false));
      return study->broadcast_run_update(place.study_id, u);
    }
    hub->broadcast_run(place.loop_id, place.round, id, view);
    // run.finished: who ran what and how it went; never the code, the output or any test.
    if (hooks && full.value("status", "") == "done") {
      nlohmann::json data = {{"loopId", place.loop_id},
                             {"roundIndex", place.round},
                             {"runId", id},
                             {"language", full.value("language", "")},
                             {"verdict", full.value("verdict", "")}};
      if (full.contains("passed")) data["passed"] = full["passed"];
      if (full.contains("total")) data["total"] = full["total"];
      hooks->send("run.finished", std::move(data));
    }
  });
  state_->runs->set_on_stream([hub = state_->hub.get(), study = state_->study_hub.get()](
                                  const loop::RunPlace& place, const v1::RunUpdate& update, bool staff_only) {
    if (place.study()) return study->broadcast_run_update(place.study_id, update);
    hub->broadcast_run_update(place.loop_id, place.round, update, staff_only);
  });
  state_->api->set_run_service(state_->runs.get());
  return {};
}

Result<void> Services::start_webhooks() {
  // The delivery log (store/webhook_log.hpp), written on the webhook thread only.
  auto db = store::Database::open(options_.db_path, database_options(options_, DbUse::decisions));
  if (!db) return make_error(Errc::db, "cannot open database '" + options_.db_path + "': " + db.error().message);
  if (auto r = store::migrate_webhook_log(**db); !r) return make_error(Errc::db, "webhook log: " + r.error().message);
  state_->webhooks_db = std::move(*db);
  auto record = [db = state_->webhooks_db.get()](const loop::WebhookRecord& r) {
    const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::system_clock::now().time_since_epoch()).count();
    if (auto ok = store::record_webhook_delivery(*db, store::WebhookDeliveryRow{r.id, r.type, r.created_at_ms, now,
                                                                               r.attempts, r.last_status, r.last_error,
                                                                               r.outcome});
        !ok)
      log::error("webhooks", "delivery log write failed", {{"why", ok.error().message}});
  };
  auto hooks = std::make_shared<loop::Webhooks>(options_.webhooks, version_, loop::curl_post, std::move(record));
  loop::LoopService* service = state_->service.get();
  // loop.created, round.started, round.finished: under the service's mutex; send() only queues.
  service->set_milestone_listener([hooks](std::string_view type, const std::string& loop_id, uint32_t round) {
    nlohmann::json data = {{"loopId", loop_id}};
    if (type != "loop.created") data["roundIndex"] = round;
    hooks->send(std::string(type), std::move(data));
  });
  // Runs where the submission ran (an API or session worker), after the service's mutex.
  service->on_panel_changed([hooks, service](const std::string& loop_id, uint32_t round) {
    hooks->send("scorecard.submitted", {{"loopId", loop_id}, {"roundIndex", round}});
    auto d = service->decision(loop_id);
    if (!d || (d->outcome() != v1::DECISION_OUTCOME_HIRE && d->outcome() != v1::DECISION_OUTCOME_NO_HIRE)) return;
    nlohmann::json reasons = nlohmann::json::array();
    for (const auto& r : d->reasons()) reasons.push_back(r);
    hooks->send("debrief.ready", {{"loopId", loop_id},
                                  {"outcome", d->outcome() == v1::DECISION_OUTCOME_HIRE ? "hire" : "no_hire"},
                                  {"barRaiserVetoed", d->bar_raiser_vetoed()},
                                  {"reasons", std::move(reasons)}});
  });
  state_->webhooks = std::move(hooks);
  log::info("app", "webhooks on", {{"signed", options_.webhooks.secret.empty() ? "no" : "yes"}});
  return {};
}

void Services::run() {
  server_->run();
  if (state_->health_pool) state_->health_pool->stop();
  if (state_->api) state_->api->stop();  // no reply reaches a connection after this
  if (state_->runner_pool) state_->runner_pool->stop();  // ends runs in progress; their results reach no one
  if (state_->hub) state_->hub->stop();  // nor a session message's
  if (state_->doc_auth) state_->doc_auth->stop();  // nor a /yjs token check's
  if (state_->registry) state_->registry->stop_loading();  // no join completes after this
  server_.reset();  // destroys every session (and so every DocConnection) first
  if (state_->service) state_->service->remove_revoke_listener(state_->access_listener);
  if (state_->registry) state_->registry->flush();
  state_.reset();   // then the registry: drains the writer and closes the database
}

}  // namespace mockloop::app
