#include "runner/diagnostics.hpp"

#include <regex>

namespace mockloop::runner {
namespace {

std::vector<std::string> lines_of(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t nl = s.find('\n', start);
    if (nl == std::string_view::npos) nl = s.size();
    out.emplace_back(s.substr(start, nl - start));
    start = nl + 1;
  }
  return out;
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r' || s.back() == '\t')) s.pop_back();
  size_t i = s.find_first_not_of(" \t");
  s = i == std::string::npos ? std::string() : s.substr(i);
  if (s.size() > kMaxDiagnosticChars) s.resize(kMaxDiagnosticChars);
  return s;
}

uint32_t num(const std::string& s) {
  try {
    return static_cast<uint32_t>(std::min<unsigned long>(std::stoul(s), 1u << 24));
  } catch (...) {
    return 0;
  }
}

void add(std::vector<Diagnostic>& out, uint32_t line, uint32_t col, std::string sev, std::string msg) {
  if (line == 0 || out.size() >= kMaxDiagnostics) return;
  for (const auto& d : out)
    if (d.line == line && d.message == msg) return;
  out.push_back({line, col, std::move(sev), trimmed(std::move(msg))});
}

// "main.cpp:12:5: error: msg", "./main.go:3:2: msg", "Main.java:4: error: msg".
std::vector<Diagnostic> compiler_style(std::string_view text, const std::string& file) {
  std::vector<Diagnostic> out;
  const std::regex re("^(?:\\./|/box/)?" + file + ":(\\d+):(?:(\\d+):)?\\s*(?:(fatal error|error|warning):)?\\s*(.*)$");
  std::smatch m;
  for (const auto& l : lines_of(text)) {
    if (!std::regex_match(l, m, re)) continue;
    std::string sev = m[3].matched ? m[3].str() : "error";
    if (sev == "fatal error") sev = "error";
    if (sev != "error" && sev != "warning") continue;
    add(out, num(m[1]), m[2].matched ? num(m[2]) : 0, sev, m[4]);
  }
  return out;
}

// The innermost frame in main.py and the exception line at the end of the traceback.
std::vector<Diagnostic> python_style(std::string_view text) {
  std::vector<Diagnostic> out;
  const std::regex frame("^\\s*File \"(?:/box/)?main\\.py\", line (\\d+).*$");
  std::smatch m;
  uint32_t line = 0;
  std::string message;
  for (const auto& l : lines_of(text)) {
    if (std::regex_match(l, m, frame)) {
      line = num(m[1]);
      continue;
    }
    // The exception closes the traceback: the last unindented line after a frame
    // ("ZeroDivisionError: division by zero", "SyntaxError: invalid syntax").
    if (line && !l.empty() && l[0] != ' ' && l.rfind("Traceback", 0) != 0) message = l;
  }
  if (line) add(out, line, 0, "error", message.empty() ? "error" : message);
  return out;
}

// "/box/main.js:7" (syntax error header) or "at fn (/box/main.js:7:3)" / "at /box/main.js:7:3".
std::vector<Diagnostic> node_style(std::string_view text) {
  std::vector<Diagnostic> out;
  const std::regex header("^/box/main\\.js:(\\d+)$");
  const std::regex at("^\\s*at .*?/box/main\\.js:(\\d+):(\\d+)\\)?$");
  const std::regex error_line("^[A-Za-z]*Error\\b");
  std::smatch m;
  uint32_t line = 0, col = 0;
  std::string message;
  for (const auto& l : lines_of(text)) {
    if (!line && std::regex_match(l, m, header)) {
      line = num(m[1]);
    } else if (!line && std::regex_match(l, m, at)) {
      line = num(m[1]);
      col = num(m[2]);
    } else if (message.empty() && !l.empty() && l[0] != ' ' &&
               std::regex_search(l, error_line)) {
      message = l;
    }
  }
  if (line) add(out, line, col, "error", message.empty() ? "error" : message);
  return out;
}

}  // namespace

std::vector<Diagnostic> diagnostics_of(std::string_view language, std::string_view stderr_text) {
  if (stderr_text.size() > (256u << 10)) stderr_text = stderr_text.substr(0, 256u << 10);
  if (language == "cpp") return compiler_style(stderr_text, "main\\.cpp");
  if (language == "go") return compiler_style(stderr_text, "main\\.go");
  if (language == "java") return compiler_style(stderr_text, "Main\\.java");
  if (language == "python") return python_style(stderr_text);
  if (language == "javascript") return node_style(stderr_text);
  return {};
}

}  // namespace mockloop::runner
