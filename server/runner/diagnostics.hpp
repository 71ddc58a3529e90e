// Diagnostics: compiler and interpreter messages mapped to lines of the candidate's source,
// so the pad can mark them (issue 16). Pure text parsing of the stderr a run produced in the
// sandbox, where the source is /box/main.<ext> (languages.cpp); nothing here runs code.
// Recognised: g++ ("main.cpp:12:5: error: ..."), Python tracebacks and SyntaxErrors
// ('File "/box/main.py", line 3'), Node ("/box/main.js:7" headers and "at f (/box/main.js:7:3)"
// frames), javac ("Main.java:4: error: ...") and go ("./main.go:3:2: ...").
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace mockloop::runner {

struct Diagnostic {
  uint32_t line = 0;    // 1-based line of the source
  uint32_t column = 0;  // 1-based; 0 = whole line
  std::string severity;  // "error" | "warning"
  std::string message;   // one line, at most kMaxDiagnosticChars
};

inline constexpr size_t kMaxDiagnostics = 20;         // per run; the rest are dropped
inline constexpr size_t kMaxDiagnosticChars = 300;    // per message

// `language` is a runtime id ("cpp", "python", ...); `stderr_text` what the step printed.
std::vector<Diagnostic> diagnostics_of(std::string_view language, std::string_view stderr_text);

}  // namespace mockloop::runner
