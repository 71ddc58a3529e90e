#include "app/admin.hpp"

#include <cstdio>
#include <ctime>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include <google/protobuf/util/json_util.h>

#include "app/database_setup.hpp"
#include "app/install_paths.hpp"
#include "content/catalog.hpp"
#include "loop/crdt_round_docs.hpp"
#include "loop/loop_service.hpp"
#include "store/database.hpp"
#include "store/database_check.hpp"
#include "store/doc_families.hpp"
#include "store/loop_store.hpp"
#include "store/webhook_log.hpp"
#include "store/process_lock.hpp"
#include "loop.pb.h"

namespace mockloop::app {
namespace {

// The admin command's own options; everything else is a server flag.
struct AdminArgs {
  std::string command;
  std::map<std::string, std::string> values;  // "--loop" -> "ab12"
  bool json = false;
  bool yes = false;  // --yes: delete's confirmation
  std::vector<std::string> server_flags;
};

constexpr const char* kValueFlags[] = {"--loop", "--participant", "--out", "--base-url", "--limit"};
constexpr int64_t kDefaultListLimit = 100;      // list-loops without --limit: 100
constexpr int64_t kMaxListLimit = 1'000'000;    // --limit at most 1,000,000

int usage(const std::string& why) {
  std::fprintf(stderr, "mockloop admin: %s\n\n%s", why.c_str(), admin_help_text().c_str());
  return 2;
}

int failed(const std::string& why) {
  std::fprintf(stderr, "mockloop admin: %s\n", why.c_str());
  return 1;
}

std::optional<AdminArgs> split_args(const std::vector<std::string>& args, std::string& error) {
  AdminArgs out;
  out.command = args.empty() ? "" : args[0];
  for (size_t i = 1; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--json" || a == "--yes") {
      (a == "--json" ? out.json : out.yes) = true;
      continue;
    }
    bool taken = false;
    for (const char* f : kValueFlags) {
      if (a == f) {
        if (i + 1 >= args.size()) {
          error = std::string(f) + " needs a value";
          return std::nullopt;
        }
        out.values[f] = args[++i];
        taken = true;
      } else if (a.rfind(std::string(f) + "=", 0) == 0) {
        out.values[f] = a.substr(std::string(f).size() + 1);
        taken = true;
      }
    }
    if (!taken) out.server_flags.push_back(a);
  }
  return out;
}

std::string utc(int64_t ms) {
  std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M", &tm);
  return buf;
}

std::string role_name(int role) {
  std::string n = v1::Role_Name(static_cast<v1::Role>(role));
  if (n.rfind("ROLE_", 0) == 0) n = n.substr(5);
  for (auto& c : n) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return n;
}

Result<std::unique_ptr<store::Database>> open_for_reading(const Options& o) {
  auto db = store::Database::open(o.db_path, database_options(o, DbUse::reads));
  if (!db) return make_error(Errc::db, "database " + o.db_path + ": " + db.error().message);
  return db;
}

// --limit N (kDefaultListLimit when absent); nullopt when it is not a number in range.
std::optional<int64_t> limit_arg(const AdminArgs& a) {
  int64_t limit = kDefaultListLimit;
  if (auto it = a.values.find("--limit"); it != a.values.end()) {
    try {
      limit = std::stoll(it->second);
    } catch (...) {
      limit = -1;
    }
    if (limit < 1 || limit > kMaxListLimit) return std::nullopt;
  }
  return limit;
}

int list_loops(const AdminArgs& a, const Options& o) {
  auto parsed = limit_arg(a);
  if (!parsed) return usage("--limit must be a number from 1 to 1000000");
  const int64_t limit = *parsed;
  auto db = open_for_reading(o);
  if (!db) return failed(db.error().message);
  auto store = store::LoopStore::open(**db);
  if (!store) return failed(store.error().message);
  auto rows = (*store)->all_loops(limit);
  if (!rows) return failed(rows.error().message);
  nlohmann::json list = nlohmann::json::array();
  if (!a.json) std::printf("%-24s %-16s %-8s %-7s %s\n", "ID", "CREATED (UTC)", "PEOPLE", "ROUNDS", "TITLE");
  for (const auto& row : *rows) {
    v1::Loop loop;
    if (!loop.ParseFromString(row.data)) return failed("loop " + row.id + ": its stored record does not decode");
    if (a.json) {
      list.push_back({{"id", row.id}, {"createdAtMs", row.created_at_ms}, {"title", loop.title()},
                      {"templateId", loop.template_id()}, {"participants", loop.participants_size()},
                      {"rounds", loop.rounds_size()}});
    } else {
      std::printf("%-24s %-16s %-8d %-7d %s\n", row.id.c_str(), utc(row.created_at_ms).c_str(), loop.participants_size(),
                  loop.rounds_size(), loop.title().c_str());
    }
  }
  if (a.json) std::printf("%s\n", list.dump(2).c_str());
  return 0;
}

int show_loop(const AdminArgs& a, const Options& o) {
  auto id = a.values.find("--loop");
  if (id == a.values.end()) return usage("show-loop needs --loop ID");
  auto db = open_for_reading(o);
  if (!db) return failed(db.error().message);
  auto store = store::LoopStore::open(**db);
  if (!store) return failed(store.error().message);
  auto data = (*store)->load_loop(id->second);
  if (!data) return failed(data.error().message);
  if (!*data) return failed("no loop " + id->second + " in " + o.db_path);
  v1::Loop loop;
  if (!loop.ParseFromString(**data)) return failed("loop " + id->second + ": its stored record does not decode");
  auto tokens = (*store)->tokens_of_loop(id->second);
  if (!tokens) return failed(tokens.error().message);
  nlohmann::json out{{"id", loop.id()}, {"title", loop.title()}, {"templateId", loop.template_id()}};
  for (const auto& p : loop.participants())
    out["participants"].push_back({{"id", p.id()}, {"name", p.display_name()}, {"role", role_name(p.role())}});
  for (const auto& r : loop.rounds())
    out["rounds"].push_back({{"index", r.index()}, {"title", r.title()}, {"startsAtMs", r.starts_at_ms()}});
  const int64_t now = std::chrono::duration_cast<std::chrono::milliseconds>(
                          std::chrono::system_clock::now().time_since_epoch()).count();
  auto state_of = [now](const store::TokenRecord& t) -> std::string {
    return t.revoked ? "revoked" : (t.expires_at_ms > 0 && now >= t.expires_at_ms) ? "expired" : "live";
  };
  for (const auto& t : *tokens) {
    const std::string state = state_of(t);
    out["links"].push_back({{"tokenId", t.id}, {"participantId", t.participant_id}, {"role", role_name(t.role)},
                            {"state", state}, {"createdAtMs", t.created_at_ms}, {"joinedAtMs", t.joined_at_ms}});
  }
  if (a.json) {
    std::printf("%s\n", out.dump(2).c_str());
    return 0;
  }
  std::printf("%s  %s (template %s)\n\nPeople:\n", loop.id().c_str(), loop.title().c_str(), loop.template_id().c_str());
  for (const auto& p : out["participants"])
    std::printf("  %-24s %-12s %s\n", p["id"].get<std::string>().c_str(), p["role"].get<std::string>().c_str(),
                p["name"].get<std::string>().c_str());
  std::printf("\nLinks (tokens are stored hashed; reissue-link makes a new one):\n");
  for (const auto& t : *tokens) {
    const std::string state = state_of(t);
    std::printf("  %-24s %-24s %-8s created %s%s\n", t.id.c_str(), t.participant_id.c_str(), state.c_str(),
                utc(t.created_at_ms).c_str(), t.joined_at_ms ? (", joined " + utc(t.joined_at_ms)).c_str() : "");
  }
  return 0;
}

int reissue_link(const AdminArgs& a, Options& o) {
  auto id = a.values.find("--loop");
  auto who = a.values.find("--participant");
  if (id == a.values.end() || who == a.values.end()) return usage("reissue-link needs --loop ID and --participant PID|host");
  if (auto found = resolve_install_paths(o, current_executable()); !found) return failed(found.error().message);
  auto lock = store::ProcessLock::acquire(o.db_path);
  if (!lock)
    return failed(lock.error().message + " (reissue-link writes: stop the server first, or reissue from the loop's settings page)");
  auto catalog = content::load_catalog(o.content_dir);
  if (!catalog) return failed(catalog.error().message);
  auto db = store::Database::open(o.db_path, database_options(o, DbUse::decisions));
  if (!db) return failed("database " + o.db_path + ": " + db.error().message);
  auto service = loop::LoopService::create(**db, *catalog);
  if (!service) return failed(service.error().message);
  std::string participant = who->second;
  if (participant == "host") {
    auto data = store::LoopStore::open(**db);
    if (!data) return failed(data.error().message);
    auto bytes = (*data)->load_loop(id->second);
    if (!bytes) return failed(bytes.error().message);
    if (!*bytes) return failed("no loop " + id->second + " in " + o.db_path);
    v1::Loop loop;
    if (!loop.ParseFromString(**bytes)) return failed("loop " + id->second + ": its stored record does not decode");
    participant.clear();
    for (const auto& p : loop.participants())
      if (p.role() == v1::ROLE_HOST) participant = p.id();
    if (participant.empty()) return failed("loop " + id->second + " has no host");
  }
  auto invite = (*service)->reissue_by_operator(id->second, participant);
  if (!invite) return failed(invite.error().message);
  std::string base = "http://" + o.net.host + ":" + std::to_string(o.net.port);
  if (auto b = a.values.find("--base-url"); b != a.values.end()) base = b->second;
  while (!base.empty() && base.back() == '/') base.pop_back();
  std::printf("%s%s\n", base.c_str(), invite->link().c_str());
  return 0;
}

// The loop service over the database at o.db_path, with the content it needs (the debrief's
// rubrics). `use` says whether this command writes (then the caller holds the lock).
struct ServiceAt {
  std::unique_ptr<store::Database> db;
  std::unique_ptr<store::Database> docs_db;  // the report's round documents (own connection)
  std::shared_ptr<const content::Catalog> catalog;
  std::unique_ptr<loop::LoopService> service;
};

Result<ServiceAt> service_at(Options& o, DbUse use) {
  if (auto found = resolve_install_paths(o, current_executable()); !found) return found.error();
  auto catalog = content::load_catalog(o.content_dir);
  if (!catalog) return catalog.error();
  ServiceAt out;
  out.catalog = std::move(*catalog);
  auto db = store::Database::open(o.db_path, database_options(o, use));
  if (!db) return make_error(Errc::db, "database " + o.db_path + ": " + db.error().message);
  out.db = std::move(*db);
  auto docs_db = store::Database::open(o.db_path, database_options(o, DbUse::reads));
  if (!docs_db) return make_error(Errc::db, "database " + o.db_path + ": " + docs_db.error().message);
  out.docs_db = std::move(*docs_db);
  auto docs = loop::CrdtRoundDocs::open(*out.docs_db);
  if (!docs) return docs.error();
  auto service = loop::LoopService::create(*out.db, out.catalog, std::chrono::system_clock::now, *docs);
  if (!service) return service.error();
  out.service = std::move(*service);
  return out;
}

// export --loop ID [--out FILE]: what the host's Export gives (the loop as its host sees it,
// the debrief and the HTML report) as JSON. Reads only: safe while the server runs.
int export_loop(const AdminArgs& a, Options& o) {
  auto id = a.values.find("--loop");
  if (id == a.values.end()) return usage("export needs --loop ID");
  auto at = service_at(o, DbUse::reads);
  if (!at) return failed(at.error().message);
  auto host = at->service->host_for_operator(id->second);
  if (!host) return failed("loop " + id->second + ": " + host.error().message);
  auto out = at->service->export_loop(*host, id->second);
  if (!out) return failed("loop " + id->second + ": " + out.error().message);
  std::string json;
  if (!google::protobuf::util::MessageToJsonString(*out, &json).ok()) return failed("JSON encoding of the export failed");
  auto file = a.values.find("--out");
  if (file == a.values.end()) {
    std::printf("%s\n", json.c_str());
    return 0;
  }
  std::FILE* f = std::fopen(file->second.c_str(), "wx");  // never overwrites
  if (f == nullptr) return failed(file->second + ": cannot create it (exists already, or no such folder)");
  const bool ok = std::fwrite(json.data(), 1, json.size(), f) == json.size() && std::fputc('\n', f) != EOF;
  if (std::fclose(f) != 0 || !ok) return failed(file->second + ": write failed");
  std::printf("loop %s exported to %s\n", id->second.c_str(), file->second.c_str());
  return 0;
}

// delete --loop ID --yes: the loop and every row and document of it, as the host's Delete
// does (LoopService::delete_loop, then the documents). Writes: the server must be stopped.
int delete_loop(const AdminArgs& a, Options& o) {
  auto id = a.values.find("--loop");
  if (id == a.values.end()) return usage("delete needs --loop ID");
  if (!a.yes) return usage("delete removes the loop, its documents, history, scorecards and links for good: add --yes");
  auto lock = store::ProcessLock::acquire(o.db_path);
  if (!lock) return failed(lock.error().message + " (delete writes: stop the server first, or delete from the host's account)");
  auto at = service_at(o, DbUse::decisions);
  if (!at) return failed(at.error().message);
  auto gone = at->service->delete_loop(id->second);
  if (!gone) return failed("loop " + id->second + ": " + gone.error().message);
  auto docs = store::remove_doc_families(*at->db, gone->doc_families);
  if (!docs) return failed("loop " + id->second + ": its rows are gone but its documents are not: " + docs.error().message);
  std::printf("deleted loop %s: %lld rows, %zu documents\n", id->second.c_str(), static_cast<long long>(gone->rows), *docs);
  return 0;
}

int backup(const AdminArgs& a, const Options& o) {
  auto out = a.values.find("--out");
  if (out == a.values.end()) return usage("backup needs --out FILE");
  auto db = open_for_reading(o);
  if (!db) return failed(db.error().message);
  if (auto r = store::backup_to(**db, out->second); !r) return failed(r.error().message);
  std::printf("backup written to %s\n", out->second.c_str());
  return 0;
}

int webhook_log(const AdminArgs& a, const Options& o) {
  auto limit = limit_arg(a);
  if (!limit) return usage("--limit must be a number from 1 to 1000000");
  auto db = open_for_reading(o);
  if (!db) return failed(db.error().message);
  auto version = (*db)->schema_version("webhooks");
  if (!version) return failed(version.error().message);
  std::vector<store::WebhookDeliveryRow> rows;
  if (*version > 0) {  // 0: webhooks never ran against this database
    auto r = store::recent_webhook_deliveries(**db, *limit);
    if (!r) return failed(r.error().message);
    rows = std::move(*r);
  }
  if (a.json) {
    nlohmann::json list = nlohmann::json::array();
    for (const auto& r : rows)
      list.push_back({{"id", r.id}, {"type", r.type}, {"createdAtMs", r.created_at_ms}, {"updatedAtMs", r.updated_at_ms},
                      {"attempts", r.attempts}, {"lastStatus", r.last_status}, {"lastError", r.last_error},
                      {"outcome", r.outcome}});
    std::printf("%s\n", list.dump(2).c_str());
    return 0;
  }
  std::printf("%-16s %-22s %-20s %-9s %-8s %s\n", "CREATED (UTC)", "ID", "TYPE", "OUTCOME", "ATTEMPTS", "LAST");
  for (const auto& r : rows) {
    const std::string last = r.last_error.empty() ? std::to_string(r.last_status) : r.last_error;
    std::printf("%-16s %-22s %-20s %-9s %-8d %s\n", utc(r.created_at_ms).c_str(), r.id.c_str(), r.type.c_str(),
                r.outcome.c_str(), r.attempts, last.c_str());
  }
  return 0;
}

int check(const Options& o) {
  auto db = open_for_reading(o);
  if (!db) return failed(db.error().message);
  if (auto r = store::quick_check(**db); !r) return failed(r.error().message);
  std::printf("%s: quick_check ok\n", o.db_path.c_str());
  for (const char* component : {"loop", "docs", "accounts", "webhooks"}) {
    auto v = (*db)->schema_version(component);
    if (v) std::printf("schema %s: version %lld\n", component, static_cast<long long>(*v));
  }
  return 0;
}

}  // namespace

std::string admin_help_text() {
  return "Usage: mockloop admin COMMAND [options] [server flags such as --db FILE or --config FILE]\n\n"
         "  list-loops [--json] [--limit N]      every loop, newest first (default 100)\n"
         "  show-loop --loop ID [--json]         its people, rounds and links (never the tokens)\n"
         "  reissue-link --loop ID --participant PID|host [--base-url URL]\n"
         "                                       a new invite link; the participant's old links stop working.\n"
         "                                       Writes: stop the server first.\n"
         "  export --loop ID [--out FILE]        the loop as its host sees it, its debrief and HTML report, as JSON\n"
         "                                       (stdout, or a new FILE); safe while the server runs\n"
         "  delete --loop ID --yes               the loop and all its data: documents, history, scorecards, links.\n"
         "                                       Writes: stop the server first.\n"
         "  backup --out FILE                    a consistent copy of the database (safe while the server runs)\n"
         "  check                                the database's integrity check and schema versions\n"
         "  webhook-log [--json] [--limit N]     the newest webhook deliveries and how each went (default 100)\n"
         "  create-user --email ADDRESS [--admin] [--name NAME]\n"
         "                                       an account (password on stdin; app/admin_users.hpp).\n"
         "                                       Writes: stop the server first.\n";
}

int run_admin(const std::vector<std::string>& args, const Environment& env) {
  if (args.empty() || args[0] == "--help" || args[0] == "help") {
    std::fputs(admin_help_text().c_str(), args.empty() ? stderr : stdout);
    return args.empty() ? 2 : 0;
  }
  std::string error;
  auto a = split_args(args, error);
  if (!a) return usage(error);
  auto opts = parse_options(a->server_flags, env);
  if (!opts) return usage(opts.error().message);
  if (a->command == "list-loops") return list_loops(*a, *opts);
  if (a->command == "show-loop") return show_loop(*a, *opts);
  if (a->command == "reissue-link") return reissue_link(*a, *opts);
  if (a->command == "backup") return backup(*a, *opts);
  if (a->command == "check") return check(*opts);
  if (a->command == "export") return export_loop(*a, *opts);
  if (a->command == "delete") return delete_loop(*a, *opts);
  if (a->command == "webhook-log") return webhook_log(*a, *opts);
  return usage("unknown command '" + a->command + "'");
}

}  // namespace mockloop::app
