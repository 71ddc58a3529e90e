// The REST API's OpenAPI 3.1 document, generated from the route table (api.cpp) and the
// protobuf descriptors of its request and response messages, so it cannot drift from the
// handlers. Served at GET /api/v1/openapi.json; a copy is checked in as docs/openapi.json
// (tests/loop/openapi_test.cpp keeps the two equal; `mockloop --openapi` prints it).
// Paths are the versioned /api/v1/... ones (the unversioned /api/... are aliases).
// Schemas follow the protobuf JSON mapping as the server prints it: a field at its default
// value (false, 0, "", []) is omitted, in responses too (absence is how a reply shows what
// a role may not see: no token, no invites, no others' scores), so no field is `required`
// and a missing one reads as its default; int64 values are strings; enums their names.
// Pure function of static data: thread-safe.
#pragma once

#include <string>
#include <vector>

namespace google::protobuf {
class Descriptor;
}

namespace mockloop::loop {

// The API's version in the document (info.version); the path carries its major, /api/v1.
inline constexpr const char* kApiVersion = "1.0.0";

// One REST route as the document describes it.
struct RouteDoc {
  std::string method;                                   // "GET"
  std::string pattern;                                  // "/api/loops/{id}" (unversioned)
  bool needs_token = false;                             // 401 without a valid invite token
  int status = 200;                                     // success status
  std::string summary;
  const google::protobuf::Descriptor* request = nullptr;   // JSON body, or none
  const google::protobuf::Descriptor* response = nullptr;  // JSON body, or none
  bool html_alternative = false;                        // also text/html on Accept
};

// The routes of the API (api.cpp's table), in table order.
const std::vector<RouteDoc>& api_route_docs();

// The document (JSON text, 2-space indented).
std::string openapi_json(const std::string& version);

// "/api/loops/{id}" -> "/api/v1/loops/{id}".
std::string versioned_path(const std::string& pattern);

}  // namespace mockloop::loop
