#include "app/config_file.hpp"

#include <fstream>
#include <sstream>

namespace mockloop::app {
namespace {

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

bool key_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

}  // namespace

Result<std::vector<ConfigEntry>> parse_config_text(const std::string& text, const std::string& file) {
  std::vector<ConfigEntry> out;
  std::istringstream in(text);
  std::string raw;
  size_t line_no = 0;
  auto fail = [&](const std::string& what) {
    return make_error(Errc::usage, file + ":" + std::to_string(line_no) + ": " + what);
  };
  while (std::getline(in, raw)) {
    ++line_no;
    if (raw.size() > kMaxConfigLineBytes)
      return fail("line longer than " + std::to_string(kMaxConfigLineBytes) + " bytes");
    std::string line = trim(raw);
    if (line.empty() || line[0] == '#') continue;
    size_t eq = line.find('=');
    if (eq == std::string::npos) return fail("expected `key = value`, got '" + line + "'");
    std::string key = trim(line.substr(0, eq));
    std::string value = trim(line.substr(eq + 1));
    if (key.rfind("--", 0) == 0) key = key.substr(2);
    if (key.empty()) return fail("missing key before '='");
    for (char& c : key) {
      if (!key_char(c)) return fail("invalid key '" + key + "' (lower-case flag names, e.g. max-body-bytes)");
      if (c == '_') c = '-';
    }
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"') {
      value = value.substr(1, value.size() - 2);
    } else if (!value.empty() && value.front() == '"') {
      return fail("unterminated quote in the value of '" + key + "'");
    }
    out.push_back({key, value, line_no});
  }
  return out;
}

Result<std::vector<ConfigEntry>> read_config_file(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return make_error(Errc::usage, file + ": cannot read the config file");
  std::string text;
  char buf[4096];
  while (in.read(buf, sizeof buf) || in.gcount() > 0) {
    text.append(buf, static_cast<size_t>(in.gcount()));
    if (text.size() > kMaxConfigFileBytes)
      return make_error(Errc::usage, file + ": config file larger than " + std::to_string(kMaxConfigFileBytes) + " bytes");
  }
  return parse_config_text(text, file);
}

}  // namespace mockloop::app
