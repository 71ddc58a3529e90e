// `mockloop admin COMMAND [options] [server flags]`: the operator's commands, run against
// the database the server's own flags, MOCKLOOP_* variables and --config name (--db ...).
//
//   list-loops [--json] [--limit N]        every loop, newest first (default limit 100)
//   show-loop --loop ID [--json]           its people, rounds and links (never the tokens)
//   reissue-link --loop ID --participant PID|host [--base-url URL]
//                                          a new invite link (the old ones stop working);
//                                          the way back into a loop whose host link is lost
//   backup --out FILE                      a consistent copy of the database (VACUUM INTO)
//   check                                  PRAGMA quick_check and the schema versions
//
// Reading commands (list-loops, show-loop, backup, check) run beside a live server.
// reissue-link writes: it takes the database's process lock and refuses, naming the pid,
// while a server runs on the file (stop it first, or reissue from the loop's settings page).
// Exit codes: 0 done, 1 failed (the reason on stderr), 2 bad usage.
#pragma once

#include <string>
#include <vector>

#include "app/options.hpp"

namespace mockloop::app {

// `args` are the words after "admin".
int run_admin(const std::vector<std::string>& args, const Environment& env);

// The usage text printed by `mockloop admin` and on bad usage.
std::string admin_help_text();

}  // namespace mockloop::app
