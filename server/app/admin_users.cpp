#include "app/admin_users.hpp"

#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

#include "account/account_service.hpp"
#include "app/database_setup.hpp"
#include "app/options.hpp"
#include "store/database.hpp"

namespace mockloop::app {
namespace {

// One line from stdin with echo off when it is a terminal. False at end of input.
bool read_secret(const char* prompt, std::string& out) {
  const bool tty = isatty(STDIN_FILENO) != 0;
  termios old{};
  if (tty) {
    std::fputs(prompt, stderr);
    std::fflush(stderr);
    tcgetattr(STDIN_FILENO, &old);
    termios quiet = old;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
  }
  const bool got = static_cast<bool>(std::getline(std::cin, out));
  if (tty) {
    tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::fputs("\n", stderr);
  }
  if (!out.empty() && out.back() == '\r') out.pop_back();
  return got;
}

}  // namespace

int run_admin_create_user(const std::vector<std::string>& args) {
  std::string email, name;
  bool admin = false;
  std::vector<std::string> server_flags;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if ((a == "--email" || a == "--name") && i + 1 < args.size()) {
      (a == "--email" ? email : name) = args[++i];
    } else if (a == "--admin") {
      admin = true;
    } else {
      server_flags.push_back(a);
    }
  }
  if (email.empty()) {
    std::fputs("usage: mockloop admin create-user --email ADDRESS [--admin] [--name NAME] [--db FILE ...]\n"
               "  the password is read from stdin (prompted when it is a terminal)\n",
               stderr);
    return 2;
  }
  auto opts = parse_options(server_flags, process_environment());
  if (!opts) {
    std::fprintf(stderr, "mockloop admin create-user: %s\n", opts.error().message.c_str());
    return 2;
  }
  std::string password;
  if (!read_secret("Password: ", password)) {
    std::fputs("mockloop admin create-user: no password on stdin\n", stderr);
    return 1;
  }
  if (isatty(STDIN_FILENO)) {
    std::string again;
    if (!read_secret("Password again: ", again) || again != password) {
      std::fputs("mockloop admin create-user: the passwords differ\n", stderr);
      return 1;
    }
  }
  auto lock = lock_and_check_database(*opts);
  if (!lock) {
    std::fprintf(stderr, "mockloop admin create-user: %s (is a server running on this database?)\n",
                 lock.error().message.c_str());
    return 1;
  }
  auto db = store::Database::open(opts->db_path, database_options(*opts, DbUse::decisions));
  if (!db) {
    std::fprintf(stderr, "mockloop admin create-user: %s\n", db.error().message.c_str());
    return 1;
  }
  auto accounts = account::AccountService::create(**db, opts->accounts);
  if (!accounts) {
    std::fprintf(stderr, "mockloop admin create-user: %s\n", accounts.error().message.c_str());
    return 1;
  }
  auto user = (*accounts)->create_user(email, password, name, admin);
  if (!user) {
    std::fprintf(stderr, "mockloop admin create-user: %s\n", user.error().message.c_str());
    return 1;
  }
  std::printf("created %s%s (id %s)\n", user->email().c_str(), user->admin() ? " as an admin" : "", user->id().c_str());
  return 0;
}

}  // namespace mockloop::app
