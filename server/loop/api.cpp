#include "loop/api.hpp"

#include <google/protobuf/util/json_util.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <nlohmann/json.hpp>

#include "loop/limits.hpp"

namespace mockloop::loop {
namespace {

namespace pbu = google::protobuf::util;

HttpResponse json_response(int status, const google::protobuf::Message& msg) {
  HttpResponse r;
  r.status = status;
  pbu::JsonPrintOptions opts;
  if (!pbu::MessageToJsonString(msg, &r.body, opts).ok()) return error_response(make_error("internal", "encoding failed"));
  return r;
}

template <typename T>
HttpResponse reply(const Result<T>& r, int status = 200) {
  if (!r) return error_response(r.error());
  return json_response(status, *r);
}

Result<void> parse_json(const std::string& body, google::protobuf::Message& out) {
  if (body.size() > kMaxRequestBodyBytes) return make_error("payload_too_large", "request body larger than 256 KiB");
  pbu::JsonParseOptions opts;
  opts.ignore_unknown_fields = false;
  auto st = pbu::JsonStringToMessage(body.empty() ? std::string("{}") : body, &out, opts);
  if (!st.ok()) return make_error("invalid_argument", "malformed JSON: " + std::string(st.message()).substr(0, 200));
  return {};
}

int hex(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string url_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out += static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

std::map<std::string, std::string> parse_query(std::string_view q) {
  std::map<std::string, std::string> out;
  while (!q.empty()) {
    auto amp = q.find('&');
    auto part = q.substr(0, amp);
    auto eq = part.find('=');
    if (!part.empty())
      out[url_decode(part.substr(0, eq))] = eq == std::string_view::npos ? "" : url_decode(part.substr(eq + 1));
    q = amp == std::string_view::npos ? std::string_view() : q.substr(amp + 1);
  }
  return out;
}

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    if (path.front() == '/') {
      path.remove_prefix(1);
      continue;
    }
    auto slash = path.find('/');
    out.push_back(path.substr(0, slash));
    path = slash == std::string_view::npos ? std::string_view() : path.substr(slash);
  }
  return out;
}

std::string bearer_token(const HttpRequest& req, const std::map<std::string, std::string>& query) {
  std::string_view h = req.authorization;
  while (!h.empty() && h.front() == ' ') h.remove_prefix(1);
  if (h.size() > 7) {
    std::string scheme(h.substr(0, 7));
    std::transform(scheme.begin(), scheme.end(), scheme.begin(), [](unsigned char c) { return std::tolower(c); });
    if (scheme == "bearer ") {
      h.remove_prefix(7);
      while (!h.empty() && (h.back() == ' ' || h.back() == '\r')) h.remove_suffix(1);
      return std::string(h);
    }
  }
  auto it = query.find("token");
  return it == query.end() ? std::string() : it->second;
}

Result<uint32_t> parse_round(std::string_view s) {
  if (s.empty() || s.size() > 4 || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return make_error("not_found", "no such round");
  return static_cast<uint32_t>(std::stoul(std::string(s)));
}

std::string upper(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return c == '-' ? '_' : std::toupper(c); });
  return s;
}

Result<content::QuestionFilter> parse_filter(const std::map<std::string, std::string>& q) {
  content::QuestionFilter f;
  if (auto it = q.find("round_kind"); it != q.end() && !it->second.empty()) {
    std::string name = upper(it->second);
    if (name.rfind("ROUND_KIND_", 0) != 0) name = "ROUND_KIND_" + name;
    if (!v1::RoundKind_Parse(name, &f.round_kind)) return make_error("invalid_argument", "unknown round_kind");
  }
  if (auto it = q.find("lp"); it != q.end()) f.lp_id = it->second;
  if (auto it = q.find("level"); it != q.end() && !it->second.empty()) {
    std::string name = upper(it->second);
    if (name.rfind("LEVEL_", 0) != 0) name = "LEVEL_" + name;
    if (!v1::Level_Parse(name, &f.level)) return make_error("invalid_argument", "unknown level");
  }
  return f;
}

HttpResponse method_not_allowed() { return error_response(make_error("method_not_allowed", "method not allowed")); }

}  // namespace

HttpResponse error_response(const Error& e) {
  static const std::map<std::string, int, std::less<>> kStatus = {
      {"invalid_argument", 400}, {"unauthenticated", 401}, {"forbidden", 403},         {"not_found", 404},
      {"method_not_allowed", 405}, {"conflict", 409},      {"payload_too_large", 413},
  };
  HttpResponse r;
  auto it = kStatus.find(e.code);
  r.status = it == kStatus.end() ? 500 : it->second;
  const std::string code = it == kStatus.end() ? "internal" : e.code;
  // Internal details stay in the server; clients get a generic message.
  const std::string message = it == kStatus.end() ? "internal error" : e.message;
  r.body = nlohmann::json{{"error", {{"code", code}, {"message", message}}}}.dump(
      -1, ' ', false, nlohmann::json::error_handler_t::replace);
  return r;
}

HttpResponse ApiRouter::handle(const HttpRequest& req) {
  try {
    return route(req);
  } catch (const std::exception&) {
    return error_response(make_error("internal", "unexpected error"));
  }
}

HttpResponse ApiRouter::route(const HttpRequest& req) {
  const auto parts = split_path(req.path);
  const auto query = parse_query(req.query);
  const std::string& m = req.method;
  if (parts.empty() || parts[0] != "api") return error_response(make_error("not_found", "no such endpoint"));
  if (req.body.size() > kMaxRequestBodyBytes)
    return error_response(make_error("payload_too_large", "request body larger than 256 KiB"));
  const size_t n = parts.size();

  // Unauthenticated endpoints.
  if (n == 2 && parts[1] == "templates") {
    if (m != "GET") return method_not_allowed();
    return json_response(200, service_.templates());
  }
  if (n == 2 && parts[1] == "study-rooms") {
    if (m != "POST") return method_not_allowed();
    v1::CreateStudyRoomRequest body;
    if (auto r = parse_json(req.body, body); !r) return error_response(r.error());
    return reply(service_.create_study_room(body), 201);
  }
  if (n == 2 && parts[1] == "loops" && m == "POST") {
    v1::CreateLoopRequest body;
    if (auto r = parse_json(req.body, body); !r) return error_response(r.error());
    return reply(service_.create_loop(body), 201);
  }

  const bool known = (n == 2 && (parts[1] == "questions" || parts[1] == "loops")) ||
                     (n >= 3 && parts[1] == "loops" &&
                      (n == 3 || (n == 4 && parts[3] == "debrief") ||
                       (n == 6 && parts[3] == "tokens" && parts[5] == "revoke") ||
                       (n == 6 && parts[3] == "rounds" && parts[5] == "scorecard") ||
                       (n == 7 && parts[3] == "rounds" && parts[5] == "scorecard" && parts[6] == "submit")));
  if (!known) return error_response(make_error("not_found", "no such endpoint"));

  auto principal = service_.authenticate(bearer_token(req, query));
  if (!principal) return error_response(principal.error());
  const Principal& p = *principal;

  if (n == 2 && parts[1] == "questions") {
    if (m != "GET") return method_not_allowed();
    auto filter = parse_filter(query);
    if (!filter) return error_response(filter.error());
    return reply(service_.questions(p, *filter));
  }
  if (n == 2) {  // /api/loops
    if (m != "GET") return method_not_allowed();
    return reply(service_.list_loops(p));
  }
  const std::string loop_id(parts[2]);
  if (n == 3) {
    if (m != "GET") return method_not_allowed();
    return reply(service_.get_loop(p, loop_id));
  }
  if (n == 4) {  // debrief
    if (m != "GET") return method_not_allowed();
    if (req.accept.find("text/html") != std::string::npos) {
      auto html = service_.debrief_html(p, loop_id);
      if (!html) return error_response(html.error());
      return HttpResponse{200, "text/html; charset=utf-8", std::move(*html)};
    }
    return reply(service_.debrief(p, loop_id));
  }
  if (parts[3] == "tokens") {
    if (m != "POST") return method_not_allowed();
    return reply(service_.revoke(p, loop_id, parts[4]));
  }
  auto round = parse_round(parts[4]);
  if (!round) return error_response(round.error());
  if (n == 7) {
    if (m != "POST") return method_not_allowed();
    return reply(service_.submit_scorecard(p, loop_id, *round));
  }
  if (m == "GET") return reply(service_.get_scorecard(p, loop_id, *round));
  if (m == "PUT") {
    v1::ScorecardDraft draft;
    if (auto r = parse_json(req.body, draft); !r) return error_response(r.error());
    return reply(service_.save_scorecard(p, loop_id, *round, draft));
  }
  return method_not_allowed();
}

}  // namespace mockloop::loop
