// mockloop: parses flags (and MOCKLOOP_* variables and --config; app/options.hpp), finds
// the content folder and web client (app/install_paths.hpp), opens the database and content, wires the modules into one
// Server and runs it until SIGINT/SIGTERM; `mockloop admin ...` runs an operator's command
// instead (app/admin.hpp). Exit codes: 0 clean shutdown, 1 start-up
// error, 2 bad flags.
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "app/admin.hpp"
#include "app/admin_users.hpp"
#include "app/install_paths.hpp"
#include "app/options.hpp"
#include "app/services.hpp"
#include "common/log.hpp"
#include "loop/openapi.hpp"

#ifndef MOCKLOOP_VERSION
#define MOCKLOOP_VERSION "dev"
#endif

// An exception escaping main is a bug: it should end in std::terminate (a core dump with
// the stack), not be turned into a tidy exit code here.
int main(int argc, char** argv) {  // NOLINT(bugprone-exception-escape)
  using namespace mockloop;
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.size() >= 2 && args[0] == "admin" && args[1] == "create-user")
    return app::run_admin_create_user(std::vector<std::string>(args.begin() + 2, args.end()));
  if (!args.empty() && args[0] == "admin")
    return app::run_admin(std::vector<std::string>(args.begin() + 1, args.end()), app::process_environment());
  auto parsed = app::parse_options(args, app::process_environment());
  if (!parsed) {
    std::fprintf(stderr, "mockloop: %s\n", parsed.error().message.c_str());
    return 2;
  }
  app::Options& opts = *parsed;
  if (opts.show_help) {
    std::fputs(app::help_text().c_str(), stdout);
    return 0;
  }
  if (opts.show_openapi) {
    std::fputs(loop::openapi_json(loop::kApiVersion).c_str(), stdout);
    return 0;
  }
  if (opts.show_version) {
    std::printf("mockloop %s\n", MOCKLOOP_VERSION);
    return 0;
  }
  log::Level level{};
  log::parse_level(opts.log_level, level);
  log::set_level(level);
  log::set_json(opts.log_json);
  const char* journal = std::getenv("JOURNAL_STREAM");  // set by systemd for the unit's stderr
  log::set_journal(journal && *journal);
  if (auto found = app::resolve_install_paths(opts, app::current_executable()); !found) {
    std::fprintf(stderr, "mockloop: %s\n", found.error().message.c_str());
    return 1;
  }
  log::info("app", "paths", {{"content", opts.content_dir},
                             {"web", opts.net.static_dir.empty() ? "(none)" : opts.net.static_dir},
                             {"db", opts.db_path},
                             {"config", opts.config_file.empty() ? "(none)" : opts.config_file}});

  app::Services services(opts, MOCKLOOP_VERSION);
  if (auto started = services.start(); !started) {
    log::error("app", "start-up failed", {{"reason", started.error().message}});
    std::fprintf(stderr, "mockloop: %s\n", started.error().message.c_str());
    return 1;
  }
  std::printf("MockLoop %s listening on http://%s:%u/\n", MOCKLOOP_VERSION, opts.net.host.c_str(),
              static_cast<unsigned>(services.port()));
  if (!services.setup_path().empty()) {
    std::printf("No account yet. Create the first admin at http://%s:%u%s (one-time link, valid 24 h),\n"
                "or stop the server and run: mockloop admin create-user --email you@example.com --admin\n",
                opts.net.host.c_str(), static_cast<unsigned>(services.port()), services.setup_path().c_str());
  }
  std::fflush(stdout);
  services.run();
  log::info("app", "stopped cleanly");
  return 0;
}
