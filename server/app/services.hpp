// Services: every module of one MockLoop process, built from Options and wired into the
// transport (routes, tickers). Owns them all; destroyed after run() returns, in reverse
// order of construction, so the database is flushed and closed last.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "app/options.hpp"
#include "common/result.hpp"
#include "net/server.hpp"

namespace mockloop::app {

class Services {
 public:
  Services(Options options, std::string version);
  ~Services();

  // Opens the database and content, registers the routes and binds the port.
  Result<void> start();
  uint16_t port() const { return server_->port(); }

  // When the server has no account yet: the path of a one-time link that makes the first
  // admin ("/signup?code=..."), made by start(); "" once an account exists.
  const std::string& setup_path() const { return setup_path_; }

  // Blocks until shutdown; then flushes pending writes.
  void run();

 private:
  Result<void> start_loop();
  Result<void> start_runs();
  Result<void> start_webhooks();  // --webhook-url: events from the loop service to the operator's URL
  // /healthz (ready=false) or /readyz; runs on the health worker.
  net::Response check_health(bool ready);

  struct State;
  Options options_;
  std::string version_;
  std::chrono::steady_clock::time_point started_at_;
  std::string setup_path_;
  // Declared before server_ so that it is destroyed after it: sessions hold DocConnections.
  std::unique_ptr<State> state_;
  std::unique_ptr<net::Server> server_;
};

}  // namespace mockloop::app
