// `mockloop admin create-user --email ADDRESS [--admin] [--name NAME] [server flags]`:
// makes an account directly in the database (the first admin of a server whose sign-up is
// by invitation or off). The password is read from stdin: the first line when stdin is not
// a terminal, else prompted twice without echo. Server flags (--db, --config, MOCKLOOP_*
// variables, --pwhash-*) say which database and which hash cost. Takes the database's
// lock, so it refuses while a server runs on the same file (stop it, or use the first-start
// setup link / an admin's sign-up code instead).
#pragma once

#include <string>
#include <vector>

namespace mockloop::app {

// `args`: what follows "admin create-user". Returns the process exit code (0 made, 1
// failed, 2 bad flags); messages go to stdout/stderr.
int run_admin_create_user(const std::vector<std::string>& args);

}  // namespace mockloop::app
