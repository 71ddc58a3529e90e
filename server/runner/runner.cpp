#include "runner/runner.hpp"

#include <chrono>
#include <csignal>
#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

#include "runner/exec.hpp"
#include "runner/languages.hpp"
#include "runner/sandbox_args.hpp"
#include "runner/seccomp_filter.hpp"

namespace mockloop::runner {
namespace {

namespace fs = std::filesystem;

bool contains(const std::string& s, std::string_view needle) { return s.find(needle) != std::string::npos; }

// bwrap reports its own failures as "bwrap: ..." with exit status 1.
bool sandbox_failed(const ExecResult& r) {
  return !r.started || (r.signal == 0 && r.exit_code == 1 && r.err.rfind("bwrap: ", 0) == 0);
}

Verdict verdict_of_exec(const ExecResult& r, uint32_t cpu_seconds) {
  if (sandbox_failed(r)) return Verdict::sandbox_error;
  if (r.output_killed) return Verdict::output_limit;
  if (r.wall_killed) return Verdict::time_limit;
  // bwrap passes a signal death on as 128 + signal.
  const int sig = r.signal ? r.signal : (r.exit_code > 128 ? r.exit_code - 128 : 0);
  // SIGKILL that we did not send (wall and output kills are flagged above) comes from the
  // CPU limit's hard value: nothing else here kills (no cgroup OOM killer; RLIMIT_AS makes
  // allocations fail instead). cpu_ms cannot decide it: the sandboxed process is a
  // grandchild whose usage need not reach our wait4.
  if (sig == SIGXCPU || sig == SIGKILL) return Verdict::time_limit;
  if (contains(r.err, "MemoryError") || contains(r.err, "std::bad_alloc") ||
      contains(r.err, "heap out of memory") || contains(r.err, "Fatal process out of memory"))
    return Verdict::memory_limit;
  if (sig != 0 || r.exit_code != 0) return Verdict::runtime_error;
  if (contains(r.err, "File size limit exceeded") || sig == SIGXFSZ) return Verdict::runtime_error;
  return Verdict::ok;
}

CaseOutput case_of(std::string name, const ExecResult& r, uint32_t cpu_seconds) {
  CaseOutput c;
  c.name = std::move(name);
  c.verdict = verdict_of_exec(r, cpu_seconds);
  c.signal = r.signal ? r.signal : (r.exit_code > 128 ? r.exit_code - 128 : 0);
  c.exit_code = r.exit_code;
  c.time_ms = r.time_ms;
  c.cpu_ms = r.cpu_ms;
  c.memory_kb = r.max_rss_kb;
  c.stdout_data = r.out;
  c.stderr_data = r.started ? r.err : r.error;
  c.output_cut = r.out_cut || r.err_cut;
  return c;
}

}  // namespace

Runner::Runner(SandboxConfig config) : config_(std::move(config)) {}

Runner::~Runner() {
  if (seccomp_fd_ >= 0) ::close(seccomp_fd_);
}

const std::string& Runner::sandbox_problem() {
  if (checked_) return problem_;
  checked_ = true;
  if (::access(config_.bwrap.c_str(), X_OK) != 0) {
    problem_ = "bubblewrap not found at '" + config_.bwrap + "' (install the bubblewrap package)";
    return problem_;
  }
  auto fd = seccomp_program_fd();
  if (!fd) {
    problem_ = fd.error().message;
    return problem_;
  }
  seccomp_fd_ = *fd;
  std::error_code ec;
  fs::create_directories(config_.scratch, ec);
  ::chmod(config_.scratch.c_str(), 0711);
  if (ec) {
    problem_ = "cannot create scratch folder '" + config_.scratch + "': " + ec.message();
    return problem_;
  }
  // A trivial command must run in the full sandbox (user namespaces, seccomp, tmpfs).
  SandboxCall call;
  call.bwrap = config_.bwrap;
  call.box_dir = config_.scratch;
  call.tmpfs_mib = config_.limits.tmpfs_mib;
  call.seccomp_fd = 3;
  call.argv = {"/usr/bin/true"};
  ExecSpec spec;
  spec.argv = bwrap_argv(call);
  spec.uid = config_.uid;
  spec.pass_fd = seccomp_fd_;
  spec.wall_ms = 10000;
  ::lseek(seccomp_fd_, 0, SEEK_SET);
  ExecResult r = exec_limited(spec);
  if (!r.started) {
    problem_ = "cannot start bubblewrap: " + r.error;
  } else if (r.signal != 0 || r.exit_code != 0) {
    problem_ = "the sandbox does not work on this machine (user namespaces refused?): " +
               (r.err.empty() ? "exit status " + std::to_string(r.exit_code) : r.err.substr(0, 300));
    while (!problem_.empty() && (problem_.back() == '\n')) problem_.pop_back();
  }
  return problem_;
}

Reply Runner::handle(const Request& request, const ProgressSink& progress) {
  Reply r = request.op == Request::Op::probe ? probe() : run(request, progress);
  r.id = request.id;
  return r;
}

Reply Runner::probe() {
  Reply reply;
  const std::string& problem = sandbox_problem();
  reply.sandbox_ok = problem.empty();
  reply.sandbox_reason = problem;
  for (const auto& lang : languages()) {
    RuntimeInfo info{lang.id, lang.name, "", false, ""};
    if (::access(lang.toolchain.c_str(), X_OK) != 0) {
      info.reason = lang.toolchain + " is not installed";
    } else if (!lang.supported) {
      info.reason = lang.unsupported_reason;
    } else if (!problem.empty()) {
      info.reason = "sandbox unavailable: " + problem;
    } else {
      SandboxCall call;
      call.bwrap = config_.bwrap;
      call.box_dir = config_.scratch;
      call.tmpfs_mib = config_.limits.tmpfs_mib;
      call.seccomp_fd = 3;
      call.argv = lang.version_argv;
      call.ro_binds = lang.ro_binds;
      ExecSpec spec;
      spec.argv = bwrap_argv(call);
      spec.uid = config_.uid;
      spec.pass_fd = seccomp_fd_;
      spec.address_space = uint64_t{config_.compile.memory_mib} << 20;
      spec.wall_ms = 10000;
      ::lseek(seccomp_fd_, 0, SEEK_SET);
      ExecResult r = exec_limited(spec);
      if (r.started && r.signal == 0 && r.exit_code == 0) {
        info.available = true;
        info.version = r.out.substr(0, r.out.find('\n'));
      } else {
        info.reason = "does not start in the sandbox: " + (r.started ? r.err.substr(0, 200) : r.error);
      }
    }
    reply.runtimes.push_back(std::move(info));
  }
  return reply;
}

Reply Runner::run(const Request& request, const ProgressSink& progress) {
  Reply reply;
  const Language* lang = find_language(request.language);
  if (!lang || !lang->supported) {
    reply.error = "unknown or unsupported language '" + request.language + "'";
    return reply;
  }
  if (const std::string& problem = sandbox_problem(); !problem.empty()) {
    reply.error = "sandbox unavailable: " + problem;
    return reply;
  }
  const RunLimits& lim = config_.limits;
  // A question may ask for less CPU than the server allows, never more.
  const uint32_t cpu_seconds =
      request.cpu_seconds ? std::min(request.cpu_seconds, lim.cpu_seconds) : lim.cpu_seconds;
  const fs::path box = fs::path(config_.scratch) / ("run-" + std::to_string(::getpid()) + "-" + std::to_string(++counter_));
  std::error_code ec;
  fs::remove_all(box, ec);
  if (!fs::create_directory(box, ec)) {
    reply.error = "cannot create the run's folder: " + ec.message();
    return reply;
  }
  struct Cleanup {
    fs::path p;
    ~Cleanup() {
      std::error_code e;
      fs::remove_all(p, e);
    }
  } cleanup{box};
  {
    std::ofstream f(box / lang->source, std::ios::binary);
    f << request.code;
    if (!f) {
      reply.error = "cannot write the source file";
      return reply;
    }
  }
  if (config_.uid != 0) {
    (void)!::chown(box.c_str(), config_.uid, config_.uid);
    (void)!::chown((box / lang->source).c_str(), config_.uid, config_.uid);
  }
  ::chmod(box.c_str(), 0700);

  auto spec_for = [&](std::vector<std::string> argv, bool writable) {
    SandboxCall call;
    call.bwrap = config_.bwrap;
    call.box_dir = box.string();
    call.box_writable = writable;
    call.ro_binds = lang->ro_binds;
    call.tmpfs_mib = lim.tmpfs_mib;
    call.seccomp_fd = 3;
    call.argv = std::move(argv);
    ExecSpec spec;
    spec.argv = bwrap_argv(call);
    spec.uid = config_.uid;
    spec.pass_fd = seccomp_fd_;
    spec.processes = lim.processes;
    spec.open_files = lim.open_files;
    spec.output_keep = size_t{lim.output_kib} << 10;
    spec.output_kill = spec.output_keep * lim.output_kill_factor;
    return spec;
  };

  if (!lang->compile_argv.empty()) {
    ExecSpec spec = spec_for(lang->compile_argv, true);
    spec.cpu_seconds = config_.compile.cpu_seconds;
    spec.address_space = uint64_t{config_.compile.memory_mib} << 20;
    spec.file_size = uint64_t{config_.compile.file_mib} << 20;
    spec.wall_ms = config_.compile.wall_ms;
    ::lseek(seccomp_fd_, 0, SEEK_SET);
    ExecResult r = exec_limited(spec);
    reap_children(2000);
    CaseOutput c = case_of("compile", r, config_.compile.cpu_seconds);
    if (c.verdict == Verdict::runtime_error) c.verdict = Verdict::compile_error;
    const bool ok = c.verdict == Verdict::ok;
    reply.compile = std::move(c);
    if (!ok) return reply;
  }

  for (const auto& in : request.cases) {
    ExecSpec spec = spec_for(run_argv(*lang, lim), false);
    spec.stdin_data = in.stdin_data;
    spec.cpu_seconds = cpu_seconds;
    spec.address_space = address_space_bytes(*lang, lim);
    spec.file_size = uint64_t{lim.file_mib} << 20;
    spec.wall_ms = lim.wall_ms;
    // Streaming: pieces are batched to at most one frame per tick or per 4 KiB.
    std::string pending;
    auto last = std::chrono::steady_clock::now();
    auto flush = [&] {
      if (pending.empty()) return;
      progress(Progress{request.id, in.name, std::move(pending)});
      pending.clear();
      last = std::chrono::steady_clock::now();
    };
    if (request.stream && progress) {
      spec.on_stdout = [&](std::string_view piece) {
        pending.append(piece);
        if (pending.size() >= 4096 ||
            std::chrono::steady_clock::now() - last >= std::chrono::milliseconds(kStreamTickMs))
          flush();
      };
    }
    ::lseek(seccomp_fd_, 0, SEEK_SET);
    ExecResult result = exec_limited(spec);
    if (request.stream && progress) flush();
    reply.cases.push_back(case_of(in.name, result, cpu_seconds));
    reap_children(2000);
  }
  return reply;
}

}  // namespace mockloop::runner
