// A MockLoop config file (--config FILE / MOCKLOOP_CONFIG): one `key = value` per line,
// keys are flag names without the leading "--" (`listen = 0.0.0.0:8080`, `log-json = true`;
// `_` may stand for `-`), values optionally in double quotes, `#` starts a comment line,
// a repeated key adds a value (for repeatable flags). Parsing only: which keys exist and
// what their values mean is parse_options's business (options.hpp).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace mockloop::app {

struct ConfigEntry {
  std::string key;    // as written, '_' turned into '-'
  std::string value;  // quotes removed
  std::size_t line = 0;
};

// Limits on a config file (a named bound for input read at start-up).
inline constexpr std::size_t kMaxConfigFileBytes = 1 << 20;  // 1 MiB
inline constexpr std::size_t kMaxConfigLineBytes = 8192;

// Parses `text`; errors (Errc::usage) read "FILE:LINE: what is wrong".
Result<std::vector<ConfigEntry>> parse_config_text(const std::string& text, const std::string& file);

// Reads and parses FILE; a missing or unreadable file is an error naming it.
Result<std::vector<ConfigEntry>> read_config_file(const std::string& file);

}  // namespace mockloop::app
