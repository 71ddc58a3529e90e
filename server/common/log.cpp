#include "common/log.hpp"

#include <atomic>
#include <cstdint>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

#include "codec/json_escape.hpp"
#include "codec/utf8.hpp"

namespace mockloop::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::info)};
std::atomic<bool> g_json{false};
std::atomic<bool> g_journal{false};
std::mutex g_out_mu;  // guards stderr writes so lines never interleave

const char* level_name(Level l) {
  switch (l) {
    case Level::debug: return "debug";
    case Level::info: return "info";
    case Level::warn: return "warn";
    case Level::error: return "error";
    default: return "off";
  }
}

// Code points a reader may take for a line break or that hide text: C0 and C1 controls,
// DEL, and the Unicode line and paragraph separators.
bool is_control(char32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029; }

void append_hex(std::string& out, const char* format, unsigned v) {
  char buf[12];
  std::snprintf(buf, sizeof buf, format, v);
  out += buf;
}

// Text logs: every control character as a C-style escape (\n, \r, \t, \xNN for other
// C0/DEL and invalid bytes, \uNNNN for C1 and U+2028/9), a backslash doubled, so one event
// is always one line and an escape in the input cannot pass for one made here. With `quote`,
// a double quote is escaped too.
void append_text_escaped(std::string& out, std::string_view s, bool quote) {
  for (size_t i = 0; i < s.size();) {
    const codec::Utf8Step step = codec::utf8_decode(s, i);
    const char32_t cp = step.cp;
    const size_t len = step.len;
    if (!step.valid) {
      for (size_t k = 0; k < len; ++k) append_hex(out, "\\x%02x", static_cast<unsigned char>(s[i + k]));
      i += len;
      continue;
    }
    if (cp == '\\') {
      out += "\\\\";
    } else if (quote && cp == '"') {
      out += "\\\"";
    } else if (cp == '\n') {
      out += "\\n";
    } else if (cp == '\r') {
      out += "\\r";
    } else if (cp == '\t') {
      out += "\\t";
    } else if (is_control(cp)) {
      append_hex(out, cp < 0x80 ? "\\x%02x" : "\\u%04x", cp);
    } else {
      out.append(s.substr(i, len));
    }
    i += len;
  }
}

// A field value in a text log: bare when it cannot be mistaken for more fields, otherwise
// in double quotes (empty, or holding a space, '=' or '"').
void append_text_value(std::string& out, std::string_view v) {
  bool quote = v.empty() || v.find_first_of(" =\"") != std::string_view::npos;
  if (quote) out += '"';
  append_text_escaped(out, v, quote);
  if (quote) out += '"';
}

// A JSON string for any input (codec/json_escape.hpp): every control escaped, invalid
// UTF-8 replaced by U+FFFD, so every line parses as JSON and holds one line.
void append_json_string(std::string& out, std::string_view s) {
  codec::append_json_string(s, out, codec::JsonControls::all);
}

std::string timestamp() {
  using namespace std::chrono;
  auto now = system_clock::now();
  auto secs = system_clock::to_time_t(now);
  auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[80];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900, tm.tm_mon + 1,
                tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

}  // namespace

bool parse_level(std::string_view text, Level& out) {
  for (Level l : {Level::debug, Level::info, Level::warn, Level::error, Level::off}) {
    if (text == level_name(l)) {
      out = l;
      return true;
    }
  }
  return false;
}

void set_level(Level level) { g_level.store(static_cast<int>(level)); }
void set_json(bool json) { g_json.store(json); }
void set_journal(bool journal) { g_journal.store(journal); }
bool enabled(Level level) { return level != Level::off && static_cast<int>(level) >= g_level.load(); }

std::string format_line(Level level, std::string_view component, std::string_view message, Fields fields,
                        bool json, bool journal) {
  std::string line;
  line.reserve(128);
  if (json) {
    line += "{\"ts\":\"" + timestamp() + "\",\"level\":\"" + level_name(level) + "\",\"component\":";
    append_json_string(line, component);
    line += ",\"msg\":";
    append_json_string(line, message);
    for (const auto& [k, v] : fields) {
      line += ',';
      append_json_string(line, k);
      line += ':';
      append_json_string(line, v);
    }
    line += "}\n";
  } else if (journal) {
    // sd-daemon(3) priorities: debug 7, info 6, warning 4, err 3.
    line += level == Level::debug ? "<7>" : level == Level::info ? "<6>" : level == Level::warn ? "<4>" : "<3>";
  } else {
    line += timestamp();
    line += ' ';
  }
  if (!json) {
    for (const char* p = level_name(level); *p; ++p) line += static_cast<char>(*p - 32);
    line += ' ';
    append_text_escaped(line, component, false);
    line += ": ";
    append_text_escaped(line, message, false);
    for (const auto& [k, v] : fields) {
      line += ' ';
      append_text_escaped(line, k, false);
      line += '=';
      append_text_value(line, v);
    }
    line += '\n';
  }
  return line;
}

void write(Level level, std::string_view component, std::string_view message, Fields fields) {
  if (!enabled(level)) return;
  std::string line = format_line(level, component, message, fields, g_json.load(), g_journal.load());
  std::lock_guard lock(g_out_mu);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace mockloop::log
