#include "common/log.hpp"

#include <atomic>
#include <cstdint>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace mockloop::log {
namespace {

std::atomic<int> g_level{static_cast<int>(Level::info)};
std::atomic<bool> g_json{false};
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

// Decodes the UTF-8 sequence at s[i]: returns its length (1-4) and sets `cp`, or returns 0
// when the bytes there are not valid UTF-8 (stray continuation byte, overlong form,
// surrogate, above U+10FFFF, truncated).
size_t utf8_sequence(std::string_view s, size_t i, uint32_t& cp) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[i + k]); };
  unsigned char c = b(0);
  if (c < 0x80) {
    cp = c;
    return 1;
  }
  size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
  if (len == 0 || c > 0xF4 || i + len > s.size()) return 0;
  cp = c & (0x7F >> len);
  for (size_t k = 1; k < len; ++k) {
    if ((b(k) & 0xC0) != 0x80) return 0;
    cp = (cp << 6) | (b(k) & 0x3F);
  }
  static constexpr uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[len] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
  return len;
}

// Code points a reader may take for a line break or that hide text: C0 and C1 controls,
// DEL, and the Unicode line and paragraph separators.
bool is_control(uint32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x2028 || cp == 0x2029; }

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
    uint32_t cp = 0;
    size_t len = utf8_sequence(s, i, cp);
    if (len == 0) {
      append_hex(out, "\\x%02x", static_cast<unsigned char>(s[i]));
      ++i;
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

// A JSON string for any input: controls escaped as \uNNNN (\n, \r, \t short), bytes that
// are not valid UTF-8 replaced by U+FFFD, so every line parses as JSON.
void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (size_t i = 0; i < s.size();) {
    uint32_t cp = 0;
    size_t len = utf8_sequence(s, i, cp);
    if (len == 0) {
      out += "\\ufffd";
      ++i;
      continue;
    }
    switch (cp) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (is_control(cp)) {
          append_hex(out, "\\u%04x", cp);
        } else {
          out.append(s.substr(i, len));
        }
    }
    i += len;
  }
  out += '"';
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
bool enabled(Level level) { return level != Level::off && static_cast<int>(level) >= g_level.load(); }

std::string format_line(Level level, std::string_view component, std::string_view message, Fields fields,
                        bool json) {
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
  } else {
    line += timestamp();
    line += ' ';
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
  std::string line = format_line(level, component, message, fields, g_json.load());
  std::lock_guard lock(g_out_mu);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace mockloop::log
