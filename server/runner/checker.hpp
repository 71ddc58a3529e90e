// Checker: does a program's stdout match a test's expected output? Modes (content files
// name them): "exact" (byte for byte, but a missing/extra final newline is forgiven),
// "tokens" (whitespace-insensitive: the same words in the same order), "lines_unordered"
// (the same non-empty lines, trimmed, in any order), "float" (tokens; numbers equal within
// an absolute or relative tolerance of 1e-6). Pure; thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace mockloop::runner {

enum class CheckMode { exact, tokens, lines_unordered, float_tolerance };

std::optional<CheckMode> check_mode_of(std::string_view name);
bool output_matches(CheckMode mode, std::string_view expected, std::string_view actual);

}  // namespace mockloop::runner
