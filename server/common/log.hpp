// One line per event on stderr, plain ("2026-11-22T01:02:03.456Z INFO net: listening addr=...")
// or JSON ({"ts":...,"level":"info","component":"net","msg":"listening","addr":"..."}).
// Every field may hold client bytes (a document name, a reason): neither format lets them
// start a new line or a fake field (see format_line).
// Configure once at start-up (set_level/set_json) before other threads run; logging itself
// is thread-safe (one mutex guards the output stream so lines never interleave).
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>

namespace mockloop::log {

enum class Level { debug = 0, info = 1, warn = 2, error = 3, off = 4 };

// Parses "debug", "info", "warn", "error", "off". Returns false for anything else.
bool parse_level(std::string_view text, Level& out);
void set_level(Level level);
void set_json(bool json);
// Under systemd (main() checks $JOURNAL_STREAM): plain lines carry no timestamp (journald
// adds its own) and start with the sd-daemon priority prefix ("<6>" for info, ...).
void set_journal(bool journal);
bool enabled(Level level);

using Fields = std::initializer_list<std::pair<std::string_view, std::string_view>>;

// The line write() prints, newline included. Whatever the input bytes, it is exactly one
// line: text lines escape control characters (\n, \r, \t, \xNN, \uNNNN for C1 and
// U+2028/9), backslashes and invalid UTF-8 (\xNN), and quote field values holding a space,
// '=' or '"'; JSON lines are valid JSON (invalid UTF-8 becomes U+FFFD).
std::string format_line(Level level, std::string_view component, std::string_view message, Fields fields,
                        bool json, bool journal = false);

void write(Level level, std::string_view component, std::string_view message, Fields fields = {});

inline void debug(std::string_view c, std::string_view m, Fields f = {}) { write(Level::debug, c, m, f); }
inline void info(std::string_view c, std::string_view m, Fields f = {}) { write(Level::info, c, m, f); }
inline void warn(std::string_view c, std::string_view m, Fields f = {}) { write(Level::warn, c, m, f); }
inline void error(std::string_view c, std::string_view m, Fields f = {}) { write(Level::error, c, m, f); }

}  // namespace mockloop::log
