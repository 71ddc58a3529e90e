// mockloop-runner: reads framed requests (runner/protocol.hpp) on stdin, answers each with
// one framed reply on stdout, until stdin closes. Started by the server's RunnerPool, one
// process per pool slot; flags in runner/flags.hpp. Log lines go to stderr.
#include <cstdio>
#include <string>
#include <sys/prctl.h>
#include <unistd.h>
#include <vector>

#include "runner/flags.hpp"
#include "runner/frame.hpp"
#include "runner/protocol.hpp"
#include "runner/runner.hpp"

// An exception escaping main is a bug: it should end in std::terminate (a core dump with
// the stack; the pool starts a new runner), not be turned into a tidy exit code here.
int main(int argc, char** argv) {  // NOLINT(bugprone-exception-escape)
  using namespace mockloop::runner;
  std::vector<std::string> args(argv + 1, argv + argc);
  auto config = parse_flags(args);
  if (!config) {
    std::fprintf(stderr, "mockloop-runner: %s\n", config.error().message.c_str());
    return 2;
  }
  // Never run user code as root: without --uid, a root runner uses uid 60000 (the pool
  // gives each slot its own, 60000 + slot; that range must belong to nobody else).
  if (::geteuid() == 0 && config->uid == 0) config->uid = 60000;
  // Orphans of a sandbox (bwrap's inner init) are reparented to us and reaped (reap_children).
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  Runner runner(*config);
  while (auto frame = read_frame(0, kMaxFrameBytes)) {
    Reply reply;
    auto req = decode_request(*frame);
    if (req) {
      reply = runner.handle(*req, [](const Progress& p) { (void)write_frame(1, encode_progress(p)); });
    } else {
      reply.error = req.error().message;
    }
    if (!write_frame(1, encode_reply(reply))) return 1;
  }
  return 0;
}
