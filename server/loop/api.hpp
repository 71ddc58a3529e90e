// ApiRouter: the REST API under /api/ (docs/api.md) over the LoopService. The transport
// hands it a plain request and writes back the response; bodies are the protobuf JSON
// mapping of the messages in proto/. Errors are {"error":{"code","message"}} with a
// 4xx/5xx status. Thread-safe (stateless apart from the service, which locks itself).
#pragma once

#include <string>

#include "loop/loop_service.hpp"

namespace mockloop::loop {

struct HttpRequest {
  std::string method;         // "GET", "POST", "PUT", ...
  std::string path;           // "/api/loops/abc", without the query
  std::string query;          // "round_kind=coding&lp=ownership", without '?'
  std::string authorization;  // raw Authorization header ("Bearer <token>"), may be empty
  std::string accept;         // raw Accept header
  std::string body;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
};

class ApiRouter {
 public:
  explicit ApiRouter(LoopService& service) : service_(service) {}

  // Answers every path under /api/ (404 for unknown ones). Never throws.
  HttpResponse handle(const HttpRequest& req);

 private:
  HttpResponse route(const HttpRequest& req);
  LoopService& service_;
};

// Maps an Error code to its HTTP status (invalid_argument 400, unauthenticated 401,
// forbidden 403, not_found 404, method_not_allowed 405, conflict 409,
// payload_too_large 413, anything else 500) and renders the JSON error body.
HttpResponse error_response(const Error& e);

}  // namespace mockloop::loop
