// The server's configuration: every flag, its default, and its help line, parsed into
// Options. Each flag can also be given as an environment variable (MOCKLOOP_<NAME>:
// --max-body-bytes is MOCKLOOP_MAX_BODY_BYTES) or as `name = value` in a config file
// (--config FILE or MOCKLOOP_CONFIG; config_file.hpp). Precedence, per flag:
// command line > environment > config file > default; the winning source's value(s) are
// the only ones applied (a repeatable flag's list is not merged across sources).
// Parsing never exits or prints; main() decides what to do with the result.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "account/account_options.hpp"
#include "account/oidc_options.hpp"
#include "app/doc_auth_limits.hpp"
#include "app/config_file.hpp"
#include "common/result.hpp"
#include "loop/api_options.hpp"
#include "loop/call_limits.hpp"
#include "loop/webhooks.hpp"
#include "loop/session_hub_options.hpp"
#include "net/config.hpp"
#include "room/history_options.hpp"
#include "room/limits.hpp"
#include "runner/pool.hpp"

namespace mockloop::app {

struct Options {
  net::Config net;                       // --listen, --static-dir, --threads, transport limits
  std::string db_path = "./data/mockloop.db";
  std::string content_dir = "./content";  // see content_dir_given
  bool content_dir_given = false;         // set by some source; else found by app/install_paths
  bool static_dir_given = false;          // likewise for net.static_dir (the built web client)
  std::string config_file;               // --config / MOCKLOOP_CONFIG; empty: none
  std::string log_level = "info";
  bool log_json = false;
  bool allow_anonymous_docs = false;     // open any /yjs doc without a token (study, benchmarks)
  bool persist = true;                   // --no-persist: keep docs in memory only (benchmarks)
  bool check_db = true;                  // --skip-db-check: no PRAGMA quick_check at start
  bool sync_full = false;                // --sync full: document commits survive power loss too
  room::Limits room;                     // --max-docs ... --compact-after (defaults in room::Limits)
  room::HistoryOptions history;          // --history-retention-days, --history-checkpoint-every (room/history_options.hpp)
  loop::ApiOptions api;                  // --max-loops-per-ip-hour ... --api-workers (defaults in loop::ApiOptions)
  loop::SessionHubOptions sessions;      // --session-workers (defaults in loop::SessionHubOptions)
  loop::SessionHubOptions study;         // --study-workers (the same defaults)
  DocAuthLimits doc_auth;                // --doc-auth-workers (defaults in app/doc_auth_limits.hpp)
  loop::CallOptions call;                // --ice-server, --turn-secret[-file], --turn-ttl (loop/call_limits.hpp)
  loop::WebhookOptions webhooks;         // --webhook-url, --webhook-secret[-file] (loop/webhooks.hpp)
  // --allow-anonymous-create on|off; unset: off (creating needs a signed-in user).
  std::optional<bool> allow_anonymous_create;
  account::AccountOptions accounts;      // --signup, --secure-cookies, --pwhash-*, lockout, sessions
  account::OidcOptions oidc;             // --oidc-* single sign-on (account/oidc_options.hpp); off by default
  // The code runner (--runner, --runner-bwrap, --run-*; defaults in runner/limits.hpp and
  // runner/pool.hpp). runner.runner_path empty: mockloop-runner next to this executable.
  // slots 0: one per core.
  runner::PoolOptions runner{.runner_path = "", .config = {}, .slots = 0, .max_queued = 64, .base_uid = 60000};
  bool show_help = false;
  bool show_version = false;
  bool show_openapi = false;             // --openapi: print the REST API's OpenAPI document
};

// Parses argv[1..] only (no environment, no config file). Errors (code "usage") name the
// flag and what was wrong with it.
Result<Options> parse_options(const std::vector<std::string>& args);

using Environment = std::map<std::string, std::string>;
using ConfigReader = std::function<Result<std::vector<ConfigEntry>>(const std::string& file)>;

// Flags, then the MOCKLOOP_* variables of `env`, then the config file named by --config or
// MOCKLOOP_CONFIG (read with `read`), then defaults. Errors name their source: the flag,
// the variable, or FILE:LINE. Other variables (MOCKLOOP_BIN, ...) are ignored.
Result<Options> parse_options(const std::vector<std::string>& args, const Environment& env,
                              const ConfigReader& read = read_config_file);

// The process environment as an Environment (MOCKLOOP_* variables only).
Environment process_environment();

// The environment variable for a flag: "--max-body-bytes" -> "MOCKLOOP_MAX_BODY_BYTES".
std::string env_name(const std::string& flag);

// The --help text.
std::string help_text();

}  // namespace mockloop::app
