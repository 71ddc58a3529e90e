// Compiler and interpreter messages -> source lines, on the texts the sandboxed toolchains
// print (copied from real runs in the sandbox).
#include "runner/diagnostics.hpp"

#include <gtest/gtest.h>

namespace mockloop::runner {
namespace {

TEST(Diagnostics, GppErrorsAndWarningsWithColumns) {
  const char* text =
      "main.cpp: In function 'int main()':\n"
      "main.cpp:4:3: error: 'foo' was not declared in this scope\n"
      "    4 |   foo();\n"
      "      |   ^~~\n"
      "main.cpp:6:10: warning: unused variable 'x' [-Wunused-variable]\n"
      "main.cpp:9: error: expected ';' before '}' token\n";
  auto d = diagnostics_of("cpp", text);
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0].line, 4u);
  EXPECT_EQ(d[0].column, 3u);
  EXPECT_EQ(d[0].severity, "error");
  EXPECT_EQ(d[0].message, "'foo' was not declared in this scope");
  EXPECT_EQ(d[1].severity, "warning");
  EXPECT_EQ(d[2].line, 9u);
  EXPECT_EQ(d[2].column, 0u);
}

TEST(Diagnostics, PythonTracebackPointsAtTheInnermostFrameInMain) {
  const char* text =
      "Traceback (most recent call last):\n"
      "  File \"/box/main.py\", line 7, in <module>\n"
      "    print(f(0))\n"
      "  File \"/box/main.py\", line 3, in f\n"
      "    return 1 / x\n"
      "ZeroDivisionError: division by zero\n";
  auto d = diagnostics_of("python", text);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].line, 3u);
  EXPECT_EQ(d[0].message, "ZeroDivisionError: division by zero");
}

TEST(Diagnostics, PythonSyntaxError) {
  const char* text =
      "  File \"/box/main.py\", line 2\n"
      "    x = (\n"
      "        ^\n"
      "SyntaxError: '(' was never closed\n";
  auto d = diagnostics_of("python", text);
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].line, 2u);
  EXPECT_EQ(d[0].message, "SyntaxError: '(' was never closed");
}

TEST(Diagnostics, NodeSyntaxAndRuntimeErrors) {
  auto s = diagnostics_of("javascript",
                          "/box/main.js:2\n  let x = ;\n          ^\n\nSyntaxError: Unexpected token ';'\n"
                          "    at internalCompileFunction (node:internal/vm:76:18)\n");
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].line, 2u);
  EXPECT_EQ(s[0].message, "SyntaxError: Unexpected token ';'");
  auto r = diagnostics_of("javascript",
                          "node:internal/x:1\nTypeError: a.b is not a function\n"
                          "    at f (/box/main.js:5:11)\n    at Object.<anonymous> (/box/main.js:9:1)\n");
  ASSERT_EQ(r.size(), 1u);
  EXPECT_EQ(r[0].line, 5u);
  EXPECT_EQ(r[0].column, 11u);
}

TEST(Diagnostics, BoundedAndUnknownLanguagesGiveNothing) {
  std::string many;
  for (int i = 1; i <= 100; ++i) many += "main.cpp:" + std::to_string(i) + ":1: error: " + std::string(1000, 'x') + "\n";
  auto d = diagnostics_of("cpp", many);
  EXPECT_EQ(d.size(), kMaxDiagnostics);
  EXPECT_LE(d[0].message.size(), kMaxDiagnosticChars);
  EXPECT_TRUE(diagnostics_of("cobol", "main.cob:1: error").empty());
  EXPECT_TRUE(diagnostics_of("cpp", "other.cpp:3:1: error: x").empty());
}

}  // namespace
}  // namespace mockloop::runner
