#include "runner/protocol.hpp"

#include <array>
#include <nlohmann/json.hpp>

#include "runner/limits.hpp"

namespace mockloop::runner {
namespace {

using nlohmann::json;

constexpr std::array<std::string_view, 8> kVerdicts = {
    "OK", "WRONG_ANSWER", "TIME_LIMIT", "MEMORY_LIMIT", "OUTPUT_LIMIT", "RUNTIME_ERROR", "COMPILE_ERROR",
    "SANDBOX_ERROR"};

json case_json(const CaseOutput& c) {
  return {{"name", c.name},         {"verdict", verdict_name(c.verdict)},
          {"exitCode", c.exit_code}, {"signal", c.signal},
          {"timeMs", c.time_ms},     {"cpuMs", c.cpu_ms},
          {"memoryKb", c.memory_kb}, {"stdout", c.stdout_data},
          {"stderr", c.stderr_data}, {"outputCut", c.output_cut}};
}

CaseOutput case_of(const json& j) {
  CaseOutput c;
  c.name = j.value("name", "");
  c.verdict = verdict_of(j.value("verdict", "SANDBOX_ERROR")).value_or(Verdict::sandbox_error);
  c.exit_code = j.value("exitCode", 0);
  c.signal = j.value("signal", 0);
  c.time_ms = j.value("timeMs", 0u);
  c.cpu_ms = j.value("cpuMs", 0u);
  c.memory_kb = j.value("memoryKb", 0u);
  c.stdout_data = j.value("stdout", "");
  c.stderr_data = j.value("stderr", "");
  c.output_cut = j.value("outputCut", false);
  return c;
}

}  // namespace

std::string_view verdict_name(Verdict v) { return kVerdicts[static_cast<size_t>(v)]; }

std::optional<Verdict> verdict_of(std::string_view name) {
  for (size_t i = 0; i < kVerdicts.size(); ++i)
    if (kVerdicts[i] == name) return static_cast<Verdict>(i);
  return std::nullopt;
}

std::string encode_request(const Request& r) {
  json j = {{"op", r.op == Request::Op::probe ? "probe" : "run"}, {"id", r.id}};
  if (r.op == Request::Op::run) {
    j["language"] = r.language;
    j["code"] = r.code;
    if (r.cpu_seconds) j["cpuSeconds"] = r.cpu_seconds;
    if (r.stream) j["stream"] = true;
    j["cases"] = json::array();
    for (const auto& c : r.cases) j["cases"].push_back({{"name", c.name}, {"stdin", c.stdin_data}});
  }
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<Request> decode_request(std::string_view text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return make_error(Errc::invalid_argument, "request is not a JSON object");
  try {
    Request r;
    const std::string op = j.value("op", "");
    if (op == "probe") {
      r.op = Request::Op::probe;
    } else if (op != "run") {
      return make_error(Errc::invalid_argument, "op must be run or probe");
    }
    r.id = j.value("id", uint64_t{0});
    if (r.op == Request::Op::probe) return r;
    r.language = j.value("language", "");
    r.code = j.value("code", "");
    if (r.code.size() > kMaxCodeBytes) return make_error(Errc::payload_too_large, "code is too long");
    r.cpu_seconds = j.value("cpuSeconds", 0u);
    r.stream = j.value("stream", false);
    for (const auto& c : j.value("cases", json::array())) {
      CaseInput in{c.value("name", ""), c.value("stdin", "")};
      if (in.stdin_data.size() > kMaxStdinBytes) return make_error(Errc::payload_too_large, "stdin is too long");
      r.cases.push_back(std::move(in));
    }
    if (r.cases.empty() || r.cases.size() > kMaxCases)
      return make_error(Errc::invalid_argument, "a run has 1 to " + std::to_string(kMaxCases) + " cases");
    return r;
  } catch (const json::exception& e) {
    return make_error(Errc::invalid_argument, std::string("bad request: ") + e.what());
  }
}

std::string encode_progress(const Progress& p) {
  json j = {{"id", p.id}, {"progress", {{"case", p.case_name}, {"stdout", p.stdout_chunk}}}};
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

std::optional<Progress> decode_progress(std::string_view text) {
  // Fast path for replies (up to kMaxFrameBytes): a progress frame names "progress" right
  // after its id (keys are written sorted), so only short-headed frames are parsed here.
  if (text.substr(0, 64).find("\"progress\":") == std::string_view::npos) return std::nullopt;
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("progress") || !j["progress"].is_object()) return std::nullopt;
  try {
    Progress p;
    p.id = j.value("id", uint64_t{0});
    p.case_name = j["progress"].value("case", "");
    p.stdout_chunk = j["progress"].value("stdout", "");
    return p;
  } catch (const json::exception&) {
    return std::nullopt;
  }
}

std::string encode_reply(const Reply& r) {
  json j = {{"id", r.id}};
  if (r.error) {
    j["error"] = *r.error;
    j["errorVerdict"] = verdict_name(r.error_verdict);
  }
  if (r.compile) j["compile"] = case_json(*r.compile);
  j["cases"] = json::array();
  for (const auto& c : r.cases) j["cases"].push_back(case_json(c));
  j["sandboxOk"] = r.sandbox_ok;
  j["sandboxReason"] = r.sandbox_reason;
  j["runtimes"] = json::array();
  for (const auto& rt : r.runtimes) {
    j["runtimes"].push_back({{"id", rt.id},
                             {"language", rt.language},
                             {"version", rt.version},
                             {"available", rt.available},
                             {"reason", rt.reason}});
  }
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<Reply> decode_reply(std::string_view text) {
  json j = json::parse(text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) return make_error(Errc::invalid_argument, "reply is not a JSON object");
  try {
    Reply r;
    r.id = j.value("id", uint64_t{0});
    if (j.contains("error")) {
      r.error = j["error"].get<std::string>();
      r.error_verdict = verdict_of(j.value("errorVerdict", "SANDBOX_ERROR")).value_or(Verdict::sandbox_error);
    }
    if (j.contains("compile")) r.compile = case_of(j["compile"]);
    for (const auto& c : j.value("cases", json::array())) r.cases.push_back(case_of(c));
    r.sandbox_ok = j.value("sandboxOk", false);
    r.sandbox_reason = j.value("sandboxReason", "");
    for (const auto& rt : j.value("runtimes", json::array()))
      r.runtimes.push_back({rt.value("id", ""), rt.value("language", ""), rt.value("version", ""),
                            rt.value("available", false), rt.value("reason", "")});
    return r;
  } catch (const json::exception& e) {
    return make_error(Errc::invalid_argument, std::string("bad reply: ") + e.what());
  }
}

}  // namespace mockloop::runner
