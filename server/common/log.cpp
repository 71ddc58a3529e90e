#include "common/log.hpp"

#include <atomic>
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

void append_json_string(std::string& out, std::string_view s) {
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
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

void write(Level level, std::string_view component, std::string_view message, Fields fields) {
  if (!enabled(level)) return;
  std::string line;
  line.reserve(128);
  if (g_json.load()) {
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
    line += component;
    line += ": ";
    line += message;
    for (const auto& [k, v] : fields) {
      line += ' ';
      line += k;
      line += '=';
      line += v;
    }
    line += '\n';
  }
  std::lock_guard lock(g_out_mu);
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace mockloop::log
