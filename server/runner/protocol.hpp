// The runner protocol's messages (server <-> mockloop-runner), carried as JSON in frames
// (frame.hpp). One request, one reply, in order, per runner process. The runner only
// executes: it never sees expected outputs; the server compares (checker.hpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/result.hpp"

namespace mockloop::runner {

// Verdict names as the API spells them.
enum class Verdict : uint8_t {
  ok, wrong_answer, time_limit, memory_limit, output_limit, runtime_error, compile_error, sandbox_error
};
std::string_view verdict_name(Verdict v);  // "OK", "WRONG_ANSWER", ...
std::optional<Verdict> verdict_of(std::string_view name);

struct CaseInput {
  std::string name;
  std::string stdin_data;
};

// {"op":"run"} or {"op":"probe"} (probe: is the sandbox usable, which runtimes work).
struct Request {
  enum class Op : uint8_t { run, probe } op = Op::run;
  uint64_t id = 0;
  std::string language;
  std::string code;
  std::vector<CaseInput> cases;  // at least one; stdin-only runs send one unnamed case
  // Per-question CPU limit (content's cpuSeconds); 0 = the runner's own. The runner uses
  // the smaller of this and its --cpu-seconds, so a request can only tighten the limit.
  uint32_t cpu_seconds = 0;
  // Stream stdout while the run goes (progress frames before the reply, see Progress).
  bool stream = false;
};

// Streaming: while a run with `stream` set is in progress, the runner may send progress
// frames before its one reply: {"id", "progress": {"case", "stdout"}}. The pieces of one
// case come in order and never add up to more than the output kept per test; the reply
// still carries the whole kept output, so a reader that missed pieces loses nothing.
struct Progress {
  uint64_t id = 0;
  std::string case_name;
  std::string stdout_chunk;
};
std::string encode_progress(const Progress& p);
// The frame as a Progress, or nullopt when it is something else (a reply).
std::optional<Progress> decode_progress(std::string_view json);

// One process's outcome. stdout/stderr are cut to the kept size, with a marker.
struct CaseOutput {
  std::string name;
  Verdict verdict = Verdict::ok;  // as the runner sees it: never wrong_answer
  int exit_code = 0;
  int signal = 0;
  uint32_t time_ms = 0;    // wall
  uint32_t cpu_ms = 0;
  uint32_t memory_kb = 0;  // peak RSS
  std::string stdout_data;
  std::string stderr_data;
  bool output_cut = false;
};

struct RuntimeInfo {
  std::string id;        // "python", "javascript", "cpp", ...
  std::string language;  // "Python 3"
  std::string version;   // first line of the toolchain's --version, run in the sandbox
  bool available = false;
  std::string reason;    // why not available
};

struct Reply {
  uint64_t id = 0;
  // Run: set when nothing could run (bad request, sandbox failure): the reason.
  std::optional<std::string> error;
  Verdict error_verdict = Verdict::sandbox_error;
  std::optional<CaseOutput> compile;  // compiled languages only
  std::vector<CaseOutput> cases;
  // Probe.
  bool sandbox_ok = false;
  std::string sandbox_reason;
  std::vector<RuntimeInfo> runtimes;
};

std::string encode_request(const Request& r);
Result<Request> decode_request(std::string_view json);
std::string encode_reply(const Reply& r);
Result<Reply> decode_reply(std::string_view json);

}  // namespace mockloop::runner
