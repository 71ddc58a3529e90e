#include "runner/checker.hpp"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <sstream>
#include <vector>

namespace mockloop::runner {
namespace {

std::vector<std::string> tokens(std::string_view s) {
  std::istringstream in{std::string(s)};
  std::vector<std::string> out;
  for (std::string t; in >> t;) out.push_back(t);
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::vector<std::string> lines(std::string_view s) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= s.size()) {
    size_t nl = s.find('\n', start);
    std::string_view line = s.substr(start, nl == std::string_view::npos ? std::string_view::npos : nl - start);
    if (!trim(line).empty()) out.emplace_back(trim(line));
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return out;
}

bool number(const std::string& t, double& v) {
  char* end = nullptr;
  v = std::strtod(t.c_str(), &end);
  return end == t.c_str() + t.size() && !t.empty();
}

std::string_view chomp(std::string_view s) {
  if (!s.empty() && s.back() == '\n') s.remove_suffix(1);
  return s;
}

}  // namespace

std::optional<CheckMode> check_mode_of(std::string_view name) {
  if (name == "exact") return CheckMode::exact;
  if (name == "tokens") return CheckMode::tokens;
  if (name == "lines_unordered") return CheckMode::lines_unordered;
  if (name == "float") return CheckMode::float_tolerance;
  return std::nullopt;
}

bool output_matches(CheckMode mode, std::string_view expected, std::string_view actual) {
  switch (mode) {
    case CheckMode::exact:
      return chomp(expected) == chomp(actual);
    case CheckMode::tokens:
      return tokens(expected) == tokens(actual);
    case CheckMode::lines_unordered: {
      auto a = lines(expected), b = lines(actual);
      std::sort(a.begin(), a.end());
      std::sort(b.begin(), b.end());
      return a == b;
    }
    case CheckMode::float_tolerance: {
      auto a = tokens(expected), b = tokens(actual);
      if (a.size() != b.size()) return false;
      for (size_t i = 0; i < a.size(); ++i) {
        double x = 0, y = 0;
        if (number(a[i], x) && number(b[i], y)) {
          if (std::fabs(x - y) > 1e-6 * std::max(1.0, std::fabs(x))) return false;
        } else if (a[i] != b[i]) {
          return false;
        }
      }
      return true;
    }
  }
  return false;
}

}  // namespace mockloop::runner
