#include "app/options.hpp"

#include "account/http_fetch.hpp"

#include <charconv>
#include <fstream>
#include <cstdlib>
#include <functional>
#include <limits>
#include <sstream>

extern char** environ;  // POSIX

namespace mockloop::app {
namespace {

// Sets one flag's value; Errc::usage with what is wrong with the value (parse_options adds
// the flag's name and the value).
using Setter = std::function<Result<void>(Options&, const std::string&)>;

Result<void> usage(std::string what) { return make_error(Errc::usage, std::move(what)); }
Result<void> check(bool ok, std::string what) { return ok ? Result<void>() : usage(std::move(what)); }

struct Flag {
  const char* name;
  const char* arg;  // nullptr for boolean switches
  std::string help;
  Setter set;
};

template <typename T>
bool parse_uint(const std::string& s, T& out, T min, T max) {
  unsigned long long v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || s.empty()) return false;
  if (v < static_cast<unsigned long long>(min) || v > static_cast<unsigned long long>(max)) return false;
  out = static_cast<T>(v);
  return true;
}

Setter room_size_flag(std::size_t room::Limits::*field, std::size_t min, std::size_t max) {
  return [=](Options& o, const std::string& v) -> Result<void> {
    return check(parse_uint(v, o.room.*field, min, max), "expects an integer in [" + std::to_string(min) + ", " +
                                                              std::to_string(max) + "]");
  };
}

Setter room_seconds_flag(std::chrono::milliseconds room::Limits::*field, long max) {
  return [=](Options& o, const std::string& v) -> Result<void> {
    long n = 0;
    if (!parse_uint<long>(v, n, 1, max)) return usage("expects whole seconds in [1, " + std::to_string(max) + "]");
    o.room.*field = std::chrono::seconds(n);
    return {};
  };
}

// "(default N)" for help lines, from the structs that hold the defaults.
std::string dflt(double v) {
  std::ostringstream s;
  s << "(default " << v << ")";
  return s.str();
}
std::string dflt_count(size_t v) { return "(default " + std::to_string(v) + ")"; }
std::string dflt_seconds(std::chrono::milliseconds v) { return dflt(static_cast<double>(v.count()) / 1000); }

Setter net_size_flag(std::size_t net::Limits::*field, std::size_t min, std::size_t max) {
  return [=](Options& o, const std::string& v) -> Result<void> {
    return check(parse_uint(v, o.net.limits.*field, min, max), "expects an integer in [" + std::to_string(min) +
                                                                   ", " + std::to_string(max) + "]");
  };
}

Setter seconds_flag(const std::function<std::chrono::seconds&(Options&)>& field, long max) {
  return [=](Options& o, const std::string& v) -> Result<void> {
    long n = 0;
    if (!parse_uint<long>(v, n, 1, max)) return usage("expects whole seconds in [1, " + std::to_string(max) + "]");
    field(o) = std::chrono::seconds(n);
    return {};
  };
}

// A shared secret: given inline (secret_flag) or as the first line of a file, trailing
// spaces and CR dropped (secret_file_flag, which keeps it out of the process list).
inline constexpr size_t kMaxSecretBytes = 1024;  // --turn-secret, --webhook-secret: 1 to 1024 bytes
Setter secret_flag(const std::function<std::string&(Options&)>& field) {
  return [=](Options& o, const std::string& v) -> Result<void> {
    if (v.empty() || v.size() > kMaxSecretBytes) return usage("expects 1 to 1024 bytes");
    field(o) = v;
    return {};
  };
}
Setter secret_file_flag(const std::function<std::string&(Options&)>& field) {
  return [=](Options& o, const std::string& v) -> Result<void> {
    std::ifstream in(v);
    std::string line;
    if (!in || !std::getline(in, line)) return usage("cannot read a secret from the file");
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.empty() || line.size() > kMaxSecretBytes) return usage("expects 1 to 1024 bytes on the first line");
    field(o) = line;
    return {};
  };
}

// A worker pool's thread count.
inline constexpr size_t kMaxWorkers = 64;
Setter workers_flag(const std::function<size_t&(Options&)>& field) {
  return [=](Options& o, const std::string& v) -> Result<void> {
    return check(parse_uint<size_t>(v, field(o), 1, kMaxWorkers),
                 "expects an integer in [1, " + std::to_string(kMaxWorkers) + "]");
  };
}

Setter rate_flag(double room::Limits::*field) {
  return [=](Options& o, const std::string& v) -> Result<void> {
    try {
      size_t used = 0;
      double d = std::stod(v, &used);
      if (used != v.size() || !(d > 0) || d > 1e7) return usage("expects a positive number");
      o.room.*field = d;
      return {};
    } catch (...) {
      return usage("expects a positive number");
    }
  };
}

Setter run_limit_flag(uint32_t runner::RunLimits::*field, uint32_t min, uint32_t max) {
  return [=](Options& o, const std::string& v) -> Result<void> {
    return check(parse_uint(v, o.runner.config.limits.*field, min, max),
                 "expects an integer in [" + std::to_string(min) + ", " + std::to_string(max) + "]");
  };
}

// The defaults the help text prints.
const room::Limits kRoom;
const loop::ApiOptions kApi;
const account::AccountOptions kAccounts;
const loop::SessionHubOptions kHub;
const DocAuthLimits kDocAuth;
const runner::RunLimits kRun;

const std::vector<Flag>& flags() {
  static const std::vector<Flag> table = {
      {"--listen", "HOST:PORT", "address to listen on (default 127.0.0.1:8080; port 0 picks a free one)",
       [](Options& o, const std::string& v) -> Result<void> {
         auto colon = v.rfind(':');
         if (colon == std::string::npos || colon == 0) return usage("expects HOST:PORT");
         std::string host = v.substr(0, colon);
         if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
         uint16_t port = 0;
         if (!parse_uint<uint16_t>(v.substr(colon + 1), port, 0, 65535)) return usage("has an invalid port");
         o.net.host = host;
         o.net.port = port;
         return {};
       }},
      {"--db", "PATH", "SQLite database file (default ./data/mockloop.db; its folder is created)",
       [](Options& o, const std::string& v) -> Result<void> {
         if (v.empty()) return usage("expects a path");
         o.db_path = v;
         return {};
       }},
      {"--static-dir", "DIR", "serve the built web client from DIR (default: none)",
       [](Options& o, const std::string& v) -> Result<void> {
         o.net.static_dir = v;
         o.static_dir_given = true;
         return {};
       }},
      {"--content-dir", "DIR", "loop templates, rubrics and questions (default ./content)",
       [](Options& o, const std::string& v) -> Result<void> {
         if (v.empty()) return usage("expects a directory");
         o.content_dir = v;
         o.content_dir_given = true;
         return {};
       }},
      {"--threads", "N", "I/O threads, each with its share of the connections (default 1: no hand-offs; more spreads big fan-outs over cores)",
       [](Options& o, const std::string& v) -> Result<void> {
         return check(parse_uint(v, o.net.threads, 1, 256), "expects an integer in [1, 256]");
       }},
      {"--no-io-uring", nullptr, "write a broadcast one connection at a time even where io_uring could write it in one system call",
       [](Options& o, const std::string&) -> Result<void> {
         o.net.io_uring = false;
         return {};
       }},
      {"--log-level", "LEVEL", "debug, info, warn, error or off (default info)",
       [](Options& o, const std::string& v) -> Result<void> {
         if (v != "debug" && v != "info" && v != "warn" && v != "error" && v != "off")
           return usage("expects debug, info, warn, error or off");
         o.log_level = v;
         return {};
       }},
      {"--log-json", nullptr, "log one JSON object per line",
       [](Options& o, const std::string&) -> Result<void> {
         o.log_json = true;
         return {};
       }},
      {"--allow-anonymous-docs", nullptr, "let anyone open any /yjs document without a token (off by default)",
       [](Options& o, const std::string&) -> Result<void> {
         o.allow_anonymous_docs = true;
         return {};
       }},
      {"--no-persist", nullptr, "keep documents in memory only (benchmarks; loses data on exit)",
       [](Options& o, const std::string&) -> Result<void> {
         o.persist = false;
         return {};
       }},
      {"--skip-db-check", nullptr, "start without PRAGMA quick_check of the database file (checked by default)",
       [](Options& o, const std::string&) -> Result<void> {
         o.check_db = false;
         return {};
       }},
      {"--sync", "MODE",
       "document commits: normal survives a crash of the process, full (fsync each commit) a power loss too "
       "(default normal; scorecards and loop changes are always full)",
       [](Options& o, const std::string& v) -> Result<void> {
         if (v != "normal" && v != "full") return usage("expects normal or full");
         o.sync_full = v == "full";
         return {};
       }},
      {"--max-header-bytes", "N", "HTTP request line + headers limit, over it 431 (default 16384)",
       net_size_flag(&net::Limits::max_header_bytes, 1024, 1 << 20)},
      {"--max-body-bytes", "N", "HTTP request body limit, over it 413 (default 1048576)",
       net_size_flag(&net::Limits::max_body_bytes, 1024, 64 << 20)},
      {"--max-message-bytes", "N", "WebSocket message limit, over it close 1009 (default 8388608)",
       net_size_flag(&net::Limits::max_ws_message_bytes, 1024, 256 << 20)},
      {"--send-queue-frames", "N", "frames queued per connection, over it close 1013 (default 4096)",
       net_size_flag(&net::Limits::send_queue_max_frames, 1, 1 << 20)},
      {"--send-queue-bytes", "N", "bytes queued per connection, over it close 1013 (default 33554432)",
       net_size_flag(&net::Limits::send_queue_max_bytes, 1024, size_t{1} << 32)},
      {"--max-connections", "N", "open connections per process (default 20000)",
       net_size_flag(&net::Limits::max_connections, 1, 1 << 22)},
      {"--max-connections-per-ip", "N", "open sockets from one IP address, also before their first request; 0 = no limit (default 64)",
       net_size_flag(&net::Limits::max_connections_per_ip, 0, 1 << 22)},
      {"--per-ip-limit-loopback", nullptr, "count loopback clients under --max-connections-per-ip too (default: not counted, as behind a reverse proxy all clients come from there)",
       [](Options& o, const std::string&) -> Result<void> {
         o.net.limits.per_ip_counts_loopback = true;
         return {};
       }},
      {"--max-connections-per-token", "N", "open WebSockets of one token (on anonymous docs: one IP), all routes; 0 = no limit (default 256)",
       net_size_flag(&net::Limits::max_connections_per_principal, 0, 1 << 22)},
      {"--allowed-origin", "ORIGIN", "repeatable: a browser origin (e.g. https://app.example.com) allowed to open WebSockets and send POST/PUT/PATCH/DELETE besides the server's own Host (default: only its own)",
       [](Options& o, const std::string& v) -> Result<void> {
         if (v.empty()) return usage("expects an origin like https://host:port");
         o.net.origins.allowed_origins.push_back(v);
         return {};
       }},
      {"--allowed-host", "HOST", "repeatable: serve only requests whose Host header is one of these (host or host:port); others get 403 (default: any Host)",
       [](Options& o, const std::string& v) -> Result<void> {
         if (v.empty()) return usage("expects a host name");
         o.net.origins.allowed_hosts.push_back(v);
         return {};
       }},
      {"--handshake-timeout", "SECONDS", "to receive a request or finish a WebSocket handshake (default 10)",
       seconds_flag([](Options& o) -> std::chrono::seconds& { return o.net.limits.handshake_timeout; }, 3600)},
      {"--idle-timeout", "SECONDS", "close a silent WebSocket after this (pings keep it alive; default 60)",
       seconds_flag([](Options& o) -> std::chrono::seconds& { return o.net.limits.ws_idle_timeout; }, 86400)},
      {"--max-docs", "N", "documents held in memory " + dflt(static_cast<double>(kRoom.max_docs_in_memory)),
       room_size_flag(&room::Limits::max_docs_in_memory, 1, 1 << 24)},
      {"--max-conns-per-doc", "N", "connections on one document " + dflt(static_cast<double>(kRoom.max_connections_per_doc)),
       room_size_flag(&room::Limits::max_connections_per_doc, 1, 1 << 20)},
      {"--updates-per-second", "R",
       "sustained update rate per connection, over it its reads pause " + dflt(kRoom.max_updates_per_second),
       rate_flag(&room::Limits::max_updates_per_second)},
      {"--update-burst", "N", "update burst per connection " + dflt(kRoom.update_burst),
       rate_flag(&room::Limits::update_burst)},
      {"--max-update-debt", "N", "updates a connection may send past its rate while paused before it is closed with 4429 " + dflt(kRoom.max_update_debt),
       rate_flag(&room::Limits::max_update_debt)},
      {"--awareness-timeout", "SECONDS",
       "drop awareness states not renewed for this long " + dflt_seconds(kRoom.awareness_timeout),
       room_seconds_flag(&room::Limits::awareness_timeout, 3600)},
      {"--doc-idle-unload", "SECONDS",
       "compact and unload a document unused for this long " + dflt_seconds(kRoom.idle_unload_after),
       room_seconds_flag(&room::Limits::idle_unload_after, 86400)},
      {"--compact-after", "N",
       "snapshot a document's update log past this many updates (and the size of its last snapshot) " + dflt(static_cast<double>(kRoom.compact_after_updates)),
       room_size_flag(&room::Limits::compact_after_updates, 10, 1 << 30)},
      {"--history-retention-days", "N",
       "round history for replay (every document update with its time and author): -1 keeps it forever, "
       "0 records none (stored history stays), N > 0 deletes a round document's whole history N days after its "
       "last change; study rooms and written work keep none (default " +
           std::to_string(room::HistoryOptions{}.retention_days) + ")",
       [](Options& o, const std::string& v) -> Result<void> {
         if (v == "-1" || v == "forever") {
           o.history.retention_days = room::kHistoryForever;
           return {};
         }
         return check(parse_uint(v, o.history.retention_days, 0, 36500), "expects -1 (forever), 0 (off) or days in [1, 36500]");
       }},
      {"--history-checkpoint-every", "N",
       "write a history checkpoint (the encoded document) after this many updates, so a moment is rebuilt from at "
       "most N updates; also at every phase change " + dflt_count(room::HistoryOptions{}.checkpoint_every),
       [](Options& o, const std::string& v) -> Result<void> {
         return check(parse_uint<size_t>(v, o.history.checkpoint_every, 10, 1000000), "expects an integer in [10, 1000000]");
       }},
      {"--max-docs-per-principal", "N",
       "documents one token (anonymous: one IP) may have open at once " + dflt_count(kRoom.max_docs_per_principal),
       room_size_flag(&room::Limits::max_docs_per_principal, 1, 1 << 20)},
      {"--max-conns-per-principal", "N",
       "connections one token (anonymous: one IP) may have on one document " + dflt_count(kRoom.max_connections_per_principal_per_doc),
       room_size_flag(&room::Limits::max_connections_per_principal_per_doc, 1, 1 << 20)},
      {"--max-doc-bytes", "N", "stored bytes of one document (log + snapshot), over it updates are refused " + dflt_count(kRoom.max_doc_bytes),
       room_size_flag(&room::Limits::max_doc_bytes, 1024, size_t{1} << 40)},
      {"--max-awareness-bytes", "N", "awareness state bytes per connection " + dflt_count(kRoom.max_awareness_bytes_per_connection),
       room_size_flag(&room::Limits::max_awareness_bytes_per_connection, 64, size_t{1} << 30)},
      {"--max-read-only-awareness-bytes", "N", "the same for a read-only connection " + dflt_count(kRoom.max_read_only_awareness_bytes),
       room_size_flag(&room::Limits::max_read_only_awareness_bytes, 0, size_t{1} << 30)},
      {"--max-doc-awareness-bytes", "N", "awareness state bytes per document, all connections " + dflt_count(kRoom.max_awareness_bytes_per_doc),
       room_size_flag(&room::Limits::max_awareness_bytes_per_doc, 1024, size_t{1} << 30)},
      {"--max-loops-per-ip-hour", "N", "loops one client address may create per hour, over it 429 " + dflt_count(kApi.max_loops_per_ip_hour),
       [](Options& o, const std::string& v) -> Result<void> {
         return check(parse_uint<size_t>(v, o.api.max_loops_per_ip_hour, 1, 1000000), "expects an integer in [1, 1000000]");
       }},
      {"--max-study-rooms-per-ip-hour", "N", "study rooms one client address may create per hour, over it 429 " + dflt_count(kApi.max_study_rooms_per_ip_hour),
       [](Options& o, const std::string& v) -> Result<void> {
         return check(parse_uint<size_t>(v, o.api.max_study_rooms_per_ip_hour, 1, 1000000), "expects an integer in [1, 1000000]");
       }},
      {"--allow-anonymous-create", "on|off", "let clients without an account create loops and study rooms (default off: creating needs a signed-in user)",
       [](Options& o, const std::string& v) -> Result<void> {
         if (v != "on" && v != "off") return usage("expects on or off");
         o.allow_anonymous_create = v == "on";
         return {};
       }},
      {"--signup", "open|invite|off", "who may create an account: anyone, holders of a one-time sign-up code, or nobody (admins use `mockloop admin create-user`) (default invite)",
       [](Options& o, const std::string& v) -> Result<void> {
         if (v == "open") o.accounts.signup = account::SignupMode::open;
         else if (v == "invite") o.accounts.signup = account::SignupMode::invite;
         else if (v == "off") o.accounts.signup = account::SignupMode::off;
         else return usage("expects open, invite or off");
         return {};
       }},
      {"--secure-cookies", nullptr, "mark the session cookie Secure on every response (default: only when --trust-proxy and X-Forwarded-Proto is https)",
       [](Options& o, const std::string&) -> Result<void> {
         o.accounts.secure_cookies = true;
         return {};
       }},
      {"--pwhash-ops", "N", "Argon2id passes of a password hash " + dflt_count(kAccounts.pwhash_opslimit),
       [](Options& o, const std::string& v) -> Result<void> {
         return check(parse_uint<unsigned long long>(v, o.accounts.pwhash_opslimit, 1, 20), "expects an integer in [1, 20]");
       }},
      {"--pwhash-mem-mib", "N", "Argon2id memory of a password hash in MiB " + dflt_count(kAccounts.pwhash_memlimit >> 20),
       [](Options& o, const std::string& v) -> Result<void> {
         size_t mib = 0;
         if (!parse_uint<size_t>(v, mib, 8, 4096)) return usage("expects an integer in [8, 4096]");
         o.accounts.pwhash_memlimit = mib << 20;
         return {};
       }},
      {"--max-failed-logins", "N", "consecutive failed sign-ins that lock an account " + dflt_count(static_cast<size_t>(kAccounts.max_failed_logins)),
       [](Options& o, const std::string& v) -> Result<void> {
         return check(parse_uint<int>(v, o.accounts.max_failed_logins, 1, 1000), "expects an integer in [1, 1000]");
       }},
      {"--lockout-minutes", "N", "how long a locked account stays locked " + dflt_count(static_cast<size_t>(kAccounts.lockout_ms / 60000)),
       [](Options& o, const std::string& v) -> Result<void> {
         int64_t m = 0;
         if (!parse_uint<int64_t>(v, m, 1, 100000)) return usage("expects an integer in [1, 100000]");
         o.accounts.lockout_ms = m * 60000;
         return {};
       }},
      {"--session-days", "N", "how long a sign-in lasts " + dflt_count(static_cast<size_t>(kAccounts.session_ttl_ms / 86400000)),
       [](Options& o, const std::string& v) -> Result<void> {
         int64_t d = 0;
         if (!parse_uint<int64_t>(v, d, 1, 3650)) return usage("expects an integer in [1, 3650]");
         o.accounts.session_ttl_ms = d * 86400000;
         return {};
       }},
      {"--password-login", "on|off", "sign-up and sign-in with e-mail and password (default on; off: single sign-on only, needs --oidc-issuer)",
       [](Options& o, const std::string& v) -> Result<void> {
         if (v != "on" && v != "off") return usage("expects on or off");
         o.accounts.password_login = v == "on";
         return {};
       }},
      {"--oidc-issuer", "URL", "single sign-on: the OpenID Connect provider's issuer (https://, or http:// on a loopback host); its discovery document is read on first use (default: none, off)",
       [](Options& o, const std::string& v) -> Result<void> {
         if (v.size() > account::kMaxOidcUrlBytes || !account::outbound_url_allowed(v))
           return usage("expects an https:// URL (http:// only on 127.0.0.1, localhost or [::1])");
         o.oidc.issuer = v;
         return {};
       }},
      {"--oidc-client-id", "ID", "this server's client id at the provider (needed with --oidc-issuer)",
       [](Options& o, const std::string& v) -> Result<void> {
         if (v.empty() || v.size() > 255) return usage("expects 1 to 255 bytes");
         o.oidc.client_id = v;
         return {};
       }},
      {"--oidc-client-secret", "SECRET", "the client secret (client_secret_basic; default: none, a public client with PKCE; prefer --oidc-client-secret-file)",
       secret_flag([](Options& o) -> std::string& { return o.oidc.client_secret; })},
      {"--oidc-client-secret-file", "PATH", "read --oidc-client-secret from the first line of a file (kept out of the process list)",
       secret_file_flag([](Options& o) -> std::string& { return o.oidc.client_secret; })},
      {"--oidc-redirect-url", "URL", "the callback registered at the provider (default: <scheme>://<Host>/api/v1/auth/oidc/callback from each request)",
       [](Options& o, const std::string& v) -> Result<void> {
         if (v.size() > account::kMaxOidcUrlBytes || !(v.starts_with("https://") || v.starts_with("http://")))
           return usage("expects an http:// or https:// URL");
         o.oidc.redirect_url = v;
         return {};
       }},
      {"--oidc-name", "NAME", "the provider's name on the sign-in page, 'Sign in with NAME' (default: the issuer's host)",
       [](Options& o, const std::string& v) -> Result<void> {
         if (v.empty() || v.size() > 64) return usage("expects 1 to 64 bytes");
         o.oidc.name = v;
         return {};
       }},
      {"--trust-proxy", nullptr, "take the client address from X-Forwarded-For's last entry (behind the shipped nginx site; off by default)",
       [](Options& o, const std::string&) -> Result<void> {
         o.api.trust_proxy = true;
         return {};
       }},
      {"--max-update-bytes", "N", "one update, over it close 1009 " + dflt_count(kRoom.max_update_bytes),
       room_size_flag(&room::Limits::max_update_bytes, 1024, size_t{1} << 30)},
      {"--max-type-depth", "N", "nesting of shared types, deeper is refused with 1009 " + dflt_count(kRoom.max_type_depth),
       room_size_flag(&room::Limits::max_type_depth, 1, 100000)},
      {"--max-map-keys", "N", "keys of one Y.Map, more is refused with 1009 " + dflt_count(kRoom.max_map_keys),
       room_size_flag(&room::Limits::max_map_keys, 1, size_t{1} << 30)},
      {"--api-workers", "N", "threads running the REST API's store-bound requests " + dflt_count(kApi.workers),
       workers_flag([](Options& o) -> size_t& { return o.api.workers; })},
      {"--session-workers", "N", "threads running /session messages and the loop timer tick " + dflt_count(kHub.workers),
       workers_flag([](Options& o) -> size_t& { return o.sessions.workers; })},
      {"--study-workers", "N", "threads running /session/study messages and the study timer tick " + dflt_count(kHub.workers),
       workers_flag([](Options& o) -> size_t& { return o.study.workers; })},
      {"--doc-auth-workers", "N", "threads checking /yjs tokens before a document opens " + dflt_count(kDocAuth.workers),
       workers_flag([](Options& o) -> size_t& { return o.doc_auth.workers; })},
      {"--runner", "PATH", "the mockloop-runner executable (default: the one next to this executable)",
       [](Options& o, const std::string& v) -> Result<void> {
         if (v.empty()) return usage("expects a path");
         o.runner.runner_path = v;
         return {};
       }},
      {"--runner-bwrap", "PATH", "bubblewrap for the code sandbox; runs are refused when it does not work (default /usr/bin/bwrap)",
       [](Options& o, const std::string& v) -> Result<void> {
         if (v.empty()) return usage("expects a path");
         o.runner.config.bwrap = v;
         return {};
       }},
      {"--run-slots", "N", "code runs at once, each in its own runner process (default: the number of cores)",
       [](Options& o, const std::string& v) -> Result<void> {
         return check(parse_uint<size_t>(v, o.runner.slots, 1, 256), "expects an integer in [1, 256]");
       }},
      {"--run-base-uid", "UID", "when root: run slot i's sandbox as uid UID + i; the range must belong to no one else (default 60000)",
       [](Options& o, const std::string& v) -> Result<void> {
         return check(parse_uint<uint32_t>(v, o.runner.base_uid, 1000, 4000000000u), "expects a uid in [1000, 4000000000]");
       }},
      {"--run-cpu-seconds", "N", "CPU seconds of one test's process " + dflt_count(kRun.cpu_seconds),
       run_limit_flag(&runner::RunLimits::cpu_seconds, 1, 600)},
      {"--run-wall-ms", "N", "wall-clock milliseconds of one test, then its process group is killed " + dflt_count(kRun.wall_ms),
       run_limit_flag(&runner::RunLimits::wall_ms, 100, 600000)},
      {"--run-memory-mib", "N", "address space of one test's process in MiB " + dflt_count(kRun.memory_mib),
       run_limit_flag(&runner::RunLimits::memory_mib, 32, 65536)},
      {"--run-processes", "N", "processes (and threads) of one run " + dflt_count(kRun.processes),
       run_limit_flag(&runner::RunLimits::processes, 4, 4096)},
      {"--run-file-mib", "N", "largest file a run may write, MiB " + dflt_count(kRun.file_mib),
       run_limit_flag(&runner::RunLimits::file_mib, 1, 1024)},
      {"--run-tmpfs-mib", "N", "size of the run's /tmp, the only writable place, MiB " + dflt_count(kRun.tmpfs_mib),
       run_limit_flag(&runner::RunLimits::tmpfs_mib, 1, 4096)},
      {"--run-output-kib", "N", "stdout and stderr kept per test, KiB; the rest is cut with a marker " + dflt_count(kRun.output_kib),
       run_limit_flag(&runner::RunLimits::output_kib, 1, 65536)},
      {"--ice-server", "URL", "repeatable: a STUN or TURN server for calls (stun:host:3478, turn:host:3478?transport=udp, turns:host:443?transport=tcp); TURN URLs get short-lived credentials from --turn-secret (default: none, calls work on a LAN)",
       [](Options& o, const std::string& v) -> Result<void> {
         if (!(v.starts_with("stun:") || v.starts_with("stuns:") || v.starts_with("turn:") || v.starts_with("turns:")))
           return usage("expects a stun:, stuns:, turn: or turns: URL");
         if (v.size() > loop::kMaxIceServerUrlBytes)
           return usage("expects at most " + std::to_string(loop::kMaxIceServerUrlBytes) + " bytes");
         if (o.call.ice_servers.size() >= loop::kMaxIceServers)
           return usage("at most " + std::to_string(loop::kMaxIceServers) + " ICE servers");
         o.call.ice_servers.push_back(v);
         return {};
       }},
      {"--turn-secret", "SECRET", "coturn's static-auth-secret (use-auth-secret): calls get TURN credentials for the turn: URLs of --ice-server (default: none; prefer --turn-secret-file)",
       secret_flag([](Options& o) -> std::string& { return o.call.turn_secret; })},
      {"--turn-secret-file", "PATH", "read --turn-secret from the first line of a file (kept out of the process list)",
       secret_file_flag([](Options& o) -> std::string& { return o.call.turn_secret; })},
      {"--turn-ttl", "SECONDS", "life of the TURN credentials handed to each participant (default 3600; pages ask for fresh ones before they expire)",
       seconds_flag([](Options& o) -> std::chrono::seconds& { return o.call.turn_ttl; }, 7 * 24 * 3600)},
      {"--webhook-url", "URL", "POST events (scorecard.submitted, debrief.ready) as JSON to this http:// or https:// URL (default: none)",
       [](Options& o, const std::string& v) -> Result<void> {
         if (!(v.starts_with("http://") || v.starts_with("https://"))) return usage("expects an http:// or https:// URL");
         if (v.size() > loop::kMaxWebhookUrlBytes)
           return usage("expects at most " + std::to_string(loop::kMaxWebhookUrlBytes) + " bytes");
         o.webhooks.url = v;
         return {};
       }},
      {"--webhook-secret", "SECRET", "sign each webhook body: X-MockLoop-Signature: sha256=HMAC (default: none; prefer --webhook-secret-file)",
       secret_flag([](Options& o) -> std::string& { return o.webhooks.secret; })},
      {"--webhook-secret-file", "PATH", "read --webhook-secret from the first line of a file (kept out of the process list)",
       secret_file_flag([](Options& o) -> std::string& { return o.webhooks.secret; })},
      {"--config", "FILE", "read `name = value` lines (flag names without --) from FILE (default: none)",
       [](Options& o, const std::string& v) -> Result<void> {
         if (v.empty()) return usage("expects a file");
         o.config_file = v;
         return {};
       }},
      {"--help", nullptr, "print this help and exit",
       [](Options& o, const std::string&) -> Result<void> {
         o.show_help = true;
         return {};
       }},
      {"--openapi", nullptr, "print the REST API's OpenAPI 3.1 document (docs/openapi.json) and exit",
       [](Options& o, const std::string&) -> Result<void> {
         o.show_openapi = true;
         return {};
       }},
      {"--version", nullptr, "print the version and exit",
       [](Options& o, const std::string&) -> Result<void> {
         o.show_version = true;
         return {};
       }},
  };
  return table;
}


// Only on the command line: what to do, not how to run.
bool command_line_only(const Flag& f) {
  std::string n = f.name;
  return n == "--help" || n == "--version" || n == "--openapi";
}
bool repeatable(const Flag& f) {
  std::string n = f.name;
  return n == "--allowed-origin" || n == "--allowed-host";
}

const Flag* find_flag(const std::string& name) {
  for (const auto& f : flags())
    if (name == f.name) return &f;
  return nullptr;
}

// A switch's value in the environment or a config file.
std::optional<bool> parse_bool(const std::string& v) {
  if (v == "true" || v == "on" || v == "yes" || v == "1") return true;
  if (v == "false" || v == "off" || v == "no" || v == "0") return false;
  return std::nullopt;
}

// One value for a flag and where it came from (for error messages).
struct Given {
  std::string value;
  std::string source;  // "--db", "MOCKLOOP_DB", "FILE:3"
  bool from_command_line = false;
};

// Applies one value; errors read "<source> <what is wrong> (got 'value')".
Result<void> apply(Options& o, const Flag& f, const Given& g) {
  std::string value = g.value;
  if (!f.arg && !g.from_command_line) {
    auto b = parse_bool(value);
    if (!b) return make_error(Errc::usage, g.source + " expects true or false (got '" + value + "')");
    if (!*b) return {};
  }
  if (auto set = f.set(o, value); !set)
    return make_error(Errc::usage, g.source + " " + set.error().message + " (got '" + value + "')");
  return {};
}

// The command line as (flag, value) pairs in order, not applied yet.
Result<std::vector<std::pair<const Flag*, Given>>> scan_args(const std::vector<std::string>& args) {
  std::vector<std::pair<const Flag*, Given>> out;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string name = args[i];
    std::string value;
    bool has_inline = false;
    if (auto eq = name.find('='); name.rfind("--", 0) == 0 && eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
      has_inline = true;
    }
    if (name == "-h") name = "--help";
    const Flag* flag = find_flag(name);
    if (!flag) return make_error(Errc::usage, "unknown flag '" + args[i] + "' (see --help)");
    if (flag->arg) {
      if (!has_inline) {
        if (i + 1 >= args.size()) return make_error(Errc::usage, name + " needs a value: " + flag->arg);
        value = args[++i];
      }
    } else if (has_inline) {
      return make_error(Errc::usage, name + " takes no value");
    }
    out.emplace_back(flag, Given{value, name, true});
  }
  return out;
}

}  // namespace

std::string env_name(const std::string& flag) {
  std::string out = "MOCKLOOP_";
  for (char c : flag.substr(flag.rfind("--", 0) == 0 ? 2 : 0))
    out += c == '-' ? '_' : static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
  return out;
}

Environment process_environment() {
  Environment env;
  for (char** e = environ; e && *e; ++e) {
    std::string kv = *e;
    if (kv.rfind("MOCKLOOP_", 0) != 0) continue;
    auto eq = kv.find('=');
    if (eq != std::string::npos) env[kv.substr(0, eq)] = kv.substr(eq + 1);
  }
  return env;
}

Result<Options> parse_options(const std::vector<std::string>& args) {
  return parse_options(args, Environment{}, [](const std::string& f) -> Result<std::vector<ConfigEntry>> {
    return read_config_file(f);
  });
}

Result<Options> parse_options(const std::vector<std::string>& args, const Environment& env, const ConfigReader& read) {
  auto cli = scan_args(args);
  if (!cli) return cli.error();

  // The config file: --config, else MOCKLOOP_CONFIG.
  std::string config_file;
  for (const auto& [f, g] : *cli)
    if (std::string(f->name) == "--config") config_file = g.value;
  if (config_file.empty())
    if (auto it = env.find("MOCKLOOP_CONFIG"); it != env.end()) config_file = it->second;
  std::vector<std::pair<const Flag*, Given>> from_file;
  if (!config_file.empty()) {
    auto entries = read(config_file);
    if (!entries) return entries.error();
    for (const auto& e : *entries) {
      std::string where = config_file + ":" + std::to_string(e.line);
      const Flag* f = find_flag("--" + e.key);
      if (!f || command_line_only(*f) || e.key == "config")
        return make_error(Errc::usage, where + ": unknown key '" + e.key + "' (keys are the flags of --help without --)");
      from_file.emplace_back(f, Given{e.value, where + ": " + e.key, false});
    }
  }

  Options o;
  for (const auto& f : flags()) {
    std::vector<Given> winner;
    for (const auto& [flag, g] : *cli)
      if (flag == &f) winner.push_back(g);
    if (winner.empty() && !command_line_only(f)) {
      std::string var = env_name(f.name);
      if (auto it = env.find(var); it != env.end()) {
        if (repeatable(f)) {
          std::stringstream list(it->second);
          for (std::string item; std::getline(list, item, ',');)
            if (!item.empty()) winner.push_back(Given{item, var, false});
        } else {
          winner.push_back(Given{it->second, var, false});
        }
      }
    }
    if (winner.empty())
      for (const auto& [flag, g] : from_file)
        if (flag == &f) winner.push_back(g);
    for (const auto& g : winner)
      if (auto applied = apply(o, f, g); !applied) return applied.error();
  }
  if (o.oidc.enabled() && o.oidc.client_id.empty())
    return make_error(Errc::usage, "--oidc-issuer needs --oidc-client-id");
  if (!o.oidc.enabled() && (!o.oidc.client_id.empty() || !o.oidc.client_secret.empty() || !o.oidc.redirect_url.empty()))
    return make_error(Errc::usage, "--oidc-client-id, --oidc-client-secret and --oidc-redirect-url need --oidc-issuer");
  if (!o.accounts.password_login && !o.oidc.enabled())
    return make_error(Errc::usage, "--password-login off needs single sign-on (--oidc-issuer): nobody could sign in");
  return o;
}

std::string help_text() {
  std::ostringstream out;
  out << "Usage: mockloop [flags]\n\n"
         "MockLoop: a self-hosted, real-time collaborative mock-interview server.\n"
         "One port serves the web client, the REST API (/api), Yjs documents (/yjs/<doc>)\n"
         "and the interview session protocol (/session).\n\nFlags:\n";
  for (const auto& f : flags()) {
    std::string lhs = std::string(f.name) + (f.arg ? std::string(" ") + f.arg : "");
    out << "  " << lhs;
    for (size_t n = lhs.size(); n < 32; ++n) out << ' ';
    out << ' ' << f.help << '\n';
  }
  out << "\nEvery flag but --help and --version can also be set as an environment variable\n"
         "(MOCKLOOP_ + the name in capitals, - as _: --max-body-bytes is MOCKLOOP_MAX_BODY_BYTES;\n"
         "switches take true/false; repeatable flags a comma-separated list) or in the config file\n"
         "(--config FILE or MOCKLOOP_CONFIG; `max-body-bytes = 2048` per line, # comments).\n"
         "Precedence, per flag: command line > environment > config file > default.\n"
         "\nWithout --content-dir the content folder is the first of: PREFIX/share/mockloop/content\n"
         "(PREFIX = the binary's folder's parent), content/ next to the binary or in a parent\n"
         "folder of it (a checkout's build), ./content. Without --static-dir the web client is\n"
         "PREFIX/share/mockloop/web, web/ next to the binary or client-web/dist in a parent\n"
         "folder of it, else none (API and WebSockets only).\n";
  out << "\nExit codes: 0 after a clean shutdown (SIGINT/SIGTERM), 1 on a start-up error, 2 on bad flags.\n";
  return out.str();
}

}  // namespace mockloop::app
