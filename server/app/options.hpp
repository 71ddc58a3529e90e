// The server's command line: every flag, its default, and its help line, parsed into
// Options. Parsing never exits or prints; main() decides what to do with the result.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "net/config.hpp"

namespace mockloop::app {

struct Options {
  net::Config net;                       // --listen, --static-dir, --threads, transport limits
  std::string db_path = "./data/mockloop.db";
  std::string content_dir = "./content";
  std::string log_level = "info";
  bool log_json = false;
  bool allow_anonymous_docs = false;     // open any /yjs doc without a token (study, benchmarks)
  bool persist = true;                   // --no-persist: keep docs in memory only (benchmarks)
  // Room limits (see room::Limits); defaults beside them.
  std::size_t max_docs = 10000;              // live documents in memory
  std::size_t max_conns_per_doc = 200;       // WebSocket connections on one doc
  double updates_per_second = 200;           // per connection, sustained (token bucket)
  double update_burst = 400;                 // per connection, burst
  std::chrono::seconds awareness_timeout{30};
  std::chrono::seconds doc_idle_unload{60};  // unload a doc with no connections after this
  std::size_t compact_after_updates = 1000;  // snapshot the log when it passes this many rows
  bool show_help = false;
  bool show_version = false;
};

// Parses argv[1..]. Errors (code "usage") name the flag and what was wrong with it.
Result<Options> parse_options(const std::vector<std::string>& args);

// The --help text.
std::string help_text();

}  // namespace mockloop::app
