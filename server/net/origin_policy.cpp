#include "net/origin_policy.hpp"

#include <cctype>

namespace mockloop::net {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "host:80" for http and "host:443" for https name the same origin as "host".
std::string without_default_port(std::string authority, std::string_view scheme) {
  auto strip = [&](std::string_view port) {
    if (authority.size() > port.size() && authority.compare(authority.size() - port.size(), port.size(), port) == 0)
      authority.resize(authority.size() - port.size());
  };
  if (scheme == "http" || scheme == "ws") strip(":80");
  if (scheme == "https" || scheme == "wss") strip(":443");
  return authority;
}

}  // namespace

Result<void> check_origin(std::string_view host_header, const std::string* origin_header, const OriginPolicy& policy,
                          bool state_changing) {
  const auto refuse = [](std::string why) { return make_error(Errc::origin_not_allowed, std::move(why)); };
  const std::string host = lower(host_header);
  if (!policy.allowed_hosts.empty()) {
    bool ok = false;
    for (const auto& h : policy.allowed_hosts) {
      std::string a = lower(h);
      // "example.com" allows "example.com" on any port; "example.com:8080" only that port.
      if (host == a || (a.find(':') == std::string::npos && host.rfind(a + ":", 0) == 0)) ok = true;
    }
    if (!ok) return refuse("Host '" + host + "' is not served here");
  }
  if (!state_changing) return {};
  if (origin_header == nullptr) return {};  // not a browser (curl, tests, other servers)
  std::string origin = lower(*origin_header);
  while (!origin.empty() && origin.back() == '/') origin.pop_back();
  for (const auto& a : policy.allowed_origins) {
    std::string allowed = lower(a);
    while (!allowed.empty() && allowed.back() == '/') allowed.pop_back();
    if (origin == allowed) return {};
  }
  auto sep = origin.find("://");
  if (sep != std::string::npos && !host.empty()) {
    std::string scheme = origin.substr(0, sep);
    std::string authority = origin.substr(sep + 3);
    if (without_default_port(authority, scheme) == without_default_port(host, "http") ||
        without_default_port(authority, scheme) == without_default_port(host, "https")) {
      return {};
    }
  }
  return refuse("Origin '" + origin + "' may not use this server (see --allowed-origin)");
}

}  // namespace mockloop::net
