#include "net/endpoints.hpp"

#include <cctype>
#include <cstdio>

#include "codec/json_escape.hpp"

namespace mockloop::net {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

// Calls fn(key, value) for each "key=value" pair of a raw query, both decoded. False on a
// malformed escape (fn may have been called for earlier pairs).
template <typename Fn>
bool for_each_param(std::string_view q, Fn&& fn) {
  std::string key, value;
  while (!q.empty()) {
    size_t amp = q.find('&');
    std::string_view pair = q.substr(0, amp);
    if (!pair.empty()) {
      size_t eq = pair.find('=');
      if (!url_decode(pair.substr(0, eq), key, true)) return false;
      value.clear();
      if (eq != std::string_view::npos && !url_decode(pair.substr(eq + 1), value, true)) return false;
      if (!fn(key, value)) return true;
    }
    if (amp == std::string_view::npos) break;
    q.remove_prefix(amp + 1);
  }
  return true;
}

}  // namespace

bool url_decode(std::string_view in, std::string& out, bool plus_as_space) {
  out.clear();
  out.reserve(in.size());
  for (size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return false;
      int hi = hex_value(in[i + 1]);
      int lo = hex_value(in[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_as_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return true;
}

bool split_target(std::string_view target, std::string& path, std::string& query) {
  if (target.empty() || target[0] != '/') return false;
  size_t q = target.find('?');
  std::string_view raw_path = target.substr(0, q);
  query = q == std::string_view::npos ? std::string() : std::string(target.substr(q + 1));
  if (!url_decode(raw_path, path)) return false;
  return for_each_param(query, [](const std::string&, const std::string&) { return true; });
}

std::string Request::query_param(std::string_view name) const {
  std::string out;
  for_each_param(query, [&](const std::string& k, const std::string& v) {
    if (k != name) return true;
    out = v;
    return false;
  });
  return out;
}

Result<std::map<std::string, std::string>> Request::query_params() const {
  std::map<std::string, std::string> out;
  if (!for_each_param(query, [&](const std::string& k, const std::string& v) {
        out[k] = v;
        return true;
      }))
    return make_error(Errc::invalid_argument, "malformed percent-escape in the query string");
  return out;
}

std::string Request::bearer_token() const {
  std::string_view h = trim(authorization);
  constexpr std::string_view kScheme = "bearer ";
  if (h.size() > kScheme.size()) {
    bool match = true;
    for (size_t i = 0; i < kScheme.size(); ++i)
      match = match && std::tolower(static_cast<unsigned char>(h[i])) == kScheme[i];
    if (match) {
      std::string_view token = trim(h.substr(kScheme.size()));
      if (!token.empty()) return std::string(token);
    }
  }
  return query_param("token");
}

std::string Request::client_ip(bool trust_proxy) const {
  if (trust_proxy && !forwarded_for.empty()) {
    std::string_view f = forwarded_for;
    size_t comma = f.rfind(',');
    std::string_view last = trim(comma == std::string_view::npos ? f : f.substr(comma + 1));
    if (!last.empty()) return std::string(last);
  }
  return remote;
}

Response json_error(Errc code, std::string_view message) {
  return json_error(http_status(code), info(code).wire_code, exposed_to_client(code) ? message : "internal error");
}

Response json_error(int status, std::string_view code, std::string_view message) {
  Response r;
  r.status = status;
  r.content_type = "application/json";
  r.body = "{\"error\":{\"code\":\"";
  codec::append_json_string_body(code, r.body);
  r.body += "\",\"message\":\"";
  codec::append_json_string_body(message, r.body);
  r.body += "\"}}";
  return r;
}

}  // namespace mockloop::net
