// ApiRouter: the REST API under /api/ (docs/api.md) over the LoopService. Routes are one
// table (api.cpp: method, pattern, who may call, where it runs, handler); 404 and 405
// (with Allow) follow from it. Bodies are the protobuf JSON mapping of the messages in
// proto/; errors are {"error":{"code","message"}} with a 4xx/5xx status, and every 5xx is
// logged with its cause.
//
// Where the work runs (issue 23 item 6): handle_async() answers routes that need no
// SQLite (GET /api/templates, 404/405, refusals decided from the request alone) on the
// caller's thread, the io thread; every other route (each one authenticates a token or
// writes a row, and the debrief replays round documents) runs on the router's worker pool
// and answers through the reply. handle() runs everything on the caller's thread (tests,
// tools). Thread-safe; stop() before the transport that holds replies goes away.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "loop/api_options.hpp"
#include "loop/creation_quota.hpp"
#include "loop/loop_service.hpp"
#include "loop/worker_pool.hpp"
#include "net/endpoints.hpp"

namespace mockloop::loop {

class ReplayService;
class RunService;
}  // namespace mockloop::loop
namespace mockloop::account {
class AccountService;
class OidcClient;
class ProfileService;
}  // namespace mockloop::account
namespace mockloop::loop {

class ApiRouter {
 public:
  explicit ApiRouter(LoopService& service, ApiOptions options = {});
  ~ApiRouter();

  // Answers every path under /api/ on the caller's thread. Never throws.
  net::Response handle(const net::Request& req);
  // Answers through `reply`, on a worker for store-bound routes (see above). Never throws
  // or blocks; `reply` is called exactly once unless stop() drops the request unrun.
  void handle_async(net::Request req, net::HttpReply reply);
  // Lets running requests finish, drops queued ones, joins the workers. Idempotent.
  void stop();

  // The code runs (issue 16); null: the run routes answer 409 "code runs are off".
  // REQUIRES: before the first request; `runs` outlives the router.
  void set_run_service(RunService* runs) { runs_ = runs; }
  // The replay (issue 19); null: the replay routes answer 409 "replay is off".
  // REQUIRES: before the first request; `replay` outlives the router.
  void set_replay_service(ReplayService* replay) { replay_ = replay; }
  // Accounts (issue 20); null: the account routes answer 404 "accounts are off" and only
  // anonymous creation (ApiOptions::allow_anonymous_create) exists.
  // REQUIRES: before the first request; `accounts` outlives the router.
  void set_accounts(account::AccountService* accounts) { accounts_ = accounts; }
  // Single sign-on (needs accounts); null: its routes answer 404. Starts the outbound pool
  // (account::kOidcWorkers threads) that runs the routes making requests to the provider.
  // REQUIRES: before the first request; `oidc` outlives the router.
  void set_oidc(account::OidcClient* oidc);
  // Candidate profiles and the preparation tools (issue 20, loop/progress_api.hpp); null:
  // those routes answer 404. REQUIRES: with set_accounts, before the first request.
  void set_profiles(account::ProfileService* profiles) { profiles_ = profiles; }

  // Deletes the documents of a deleted loop (room::DocRegistry::remove_families, given the
  // doc_names bases); returns how many went. Unset: documents are left (tests of the API alone).
  // REQUIRES: before the first request.
  using DocRemover = std::function<Result<size_t>(const std::vector<std::string>& families)>;
  void set_doc_remover(DocRemover fn) { remove_docs_ = std::move(fn); }

  // Test hook: runs on the worker before each worker-bound request (may block there).
  void set_worker_hook_for_test(std::function<void(const net::Request&)> hook) { hook_ = std::move(hook); }

  struct Call;
  struct Spec;

 private:
  net::Response run(const net::Request& req, const Spec& spec, const std::map<std::string, std::string>& params);

  LoopService& service_;
  ApiOptions options_;
  CreationQuota loop_quota_;
  CreationQuota study_quota_;
  std::function<void(const net::Request&)> hook_;
  RunService* runs_ = nullptr;
  ReplayService* replay_ = nullptr;
  account::AccountService* accounts_ = nullptr;
  account::OidcClient* oidc_ = nullptr;
  account::ProfileService* profiles_ = nullptr;
  DocRemover remove_docs_;
  std::unique_ptr<WorkerPool> pool_;
  std::unique_ptr<WorkerPool> outbound_pool_;  // set_oidc(): requests to the OIDC provider
};

// Renders an Error as its HTTP status and JSON error body (the table in common/error.hpp;
// 5xx messages are replaced by "internal error"; the cause is logged).
// A 401 carries WWW-Authenticate: Bearer.
net::Response error_response(const Error& e);

// "/api/v1/loops" -> "/api/loops": the versioned paths are the documented ones, the
// unversioned ones their aliases (one route table serves both).
std::string unversioned_path(std::string_view path);

}  // namespace mockloop::loop
