#include "net/endpoints.hpp"

#include "net/static_files.hpp"

namespace mockloop::net {
namespace {

void append_json_escaped(std::string& out, std::string_view s) {
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
}

}  // namespace

std::string Request::query_param(std::string_view name) const {
  std::string_view q = query;
  while (!q.empty()) {
    size_t amp = q.find('&');
    std::string_view pair = q.substr(0, amp);
    size_t eq = pair.find('=');
    std::string_view key = pair.substr(0, eq);
    if (key == name) {
      std::string out;
      if (eq == std::string_view::npos) return out;
      if (!url_decode(pair.substr(eq + 1), out, true)) return {};
      return out;
    }
    if (amp == std::string_view::npos) break;
    q.remove_prefix(amp + 1);
  }
  return {};
}

Response json_error(int status, std::string_view code, std::string_view message) {
  Response r;
  r.status = status;
  r.content_type = "application/json";
  r.body = "{\"error\":{\"code\":\"";
  append_json_escaped(r.body, code);
  r.body += "\",\"message\":\"";
  append_json_escaped(r.body, message);
  r.body += "\"}}";
  return r;
}

}  // namespace mockloop::net
