// RouteTable: the REST routes as data, {method, pattern, payload}, matched against a
// decoded path. A pattern is a path whose segments are literals or "{name}" (one
// non-empty segment, captured). From the same table follow 404 (no pattern matches the
// path) and 405 with the Allow list (patterns match, none with this method), so the
// known paths can never drift from the handlers. Immutable after construction: safe to
// share between threads.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace mockloop::loop {

// "/api/loops/{id}" -> {"api", "loops", "{id}"}; empty segments (double or trailing
// slashes) are dropped.
std::vector<std::string_view> split_path(std::string_view path);

template <typename Payload>
class RouteTable {
 public:
  struct Route {
    std::string method;   // "GET", "POST", ...
    std::string pattern;  // "/api/loops/{id}/rounds/{r}/scorecard"
    Payload payload;
  };
  struct Match {
    const Route* route = nullptr;               // set when path and method match
    std::map<std::string, std::string> params;  // "{id}" -> "id" -> segment
    std::string allow;                          // path matched, method did not: "GET, PUT"
  };

  explicit RouteTable(std::vector<Route> routes) : routes_(std::move(routes)) {
    for (const auto& r : routes_) patterns_.push_back(split_path(r.pattern));
  }
  RouteTable(const RouteTable&) = delete;  // patterns_ points into routes_
  RouteTable& operator=(const RouteTable&) = delete;

  // route set: found. route null and allow set: 405. Both empty: 404.
  Match match(std::string_view method, std::string_view path) const {
    Match m;
    const auto parts = split_path(path);
    for (size_t i = 0; i < routes_.size(); ++i) {
      std::map<std::string, std::string> params;
      if (!match_segments(patterns_[i], parts, params)) continue;
      if (routes_[i].method == method) {
        m.route = &routes_[i];
        m.params = std::move(params);
        m.allow.clear();
        return m;
      }
      if (m.allow.find(routes_[i].method) == std::string::npos)
        m.allow += (m.allow.empty() ? "" : ", ") + routes_[i].method;
    }
    return m;
  }

  const std::vector<Route>& routes() const { return routes_; }

 private:
  static bool match_segments(const std::vector<std::string_view>& pattern, const std::vector<std::string_view>& parts,
                             std::map<std::string, std::string>& params) {
    if (pattern.size() != parts.size()) return false;
    for (size_t i = 0; i < pattern.size(); ++i) {
      const auto& p = pattern[i];
      if (p.size() > 2 && p.front() == '{' && p.back() == '}') {
        params[std::string(p.substr(1, p.size() - 2))] = std::string(parts[i]);
      } else if (p != parts[i]) {
        return false;
      }
    }
    return true;
  }

  std::vector<Route> routes_;
  std::vector<std::vector<std::string_view>> patterns_;  // views into routes_[i].pattern
};

}  // namespace mockloop::loop
