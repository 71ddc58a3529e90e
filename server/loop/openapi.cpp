#include "loop/openapi.hpp"

#include <google/protobuf/descriptor.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

namespace mockloop::loop {
namespace {

namespace pb = google::protobuf;
using nlohmann::json;

std::string ref(const pb::Descriptor* d) { return "#/components/schemas/" + d->full_name(); }

json scalar_schema(const pb::FieldDescriptor* f, std::vector<const pb::Descriptor*>& todo) {
  switch (f->cpp_type()) {
    case pb::FieldDescriptor::CPPTYPE_INT32:
    case pb::FieldDescriptor::CPPTYPE_UINT32:
      return {{"type", "integer"}};
    case pb::FieldDescriptor::CPPTYPE_INT64:
    case pb::FieldDescriptor::CPPTYPE_UINT64:
      // Printed as a decimal string; parsed from a string or a number.
      return {{"type", json::array({"string", "integer"})}, {"pattern", "^-?[0-9]+$"}};
    case pb::FieldDescriptor::CPPTYPE_DOUBLE:
    case pb::FieldDescriptor::CPPTYPE_FLOAT:
      return {{"type", "number"}};
    case pb::FieldDescriptor::CPPTYPE_BOOL:
      return {{"type", "boolean"}};
    case pb::FieldDescriptor::CPPTYPE_STRING:
      if (f->type() == pb::FieldDescriptor::TYPE_BYTES) return {{"type", "string"}, {"contentEncoding", "base64"}};
      return {{"type", "string"}};
    case pb::FieldDescriptor::CPPTYPE_ENUM: {
      json names = json::array();
      for (int i = 0; i < f->enum_type()->value_count(); ++i) names.push_back(f->enum_type()->value(i)->name());
      return {{"type", "string"}, {"enum", names}};
    }
    case pb::FieldDescriptor::CPPTYPE_MESSAGE:
      todo.push_back(f->message_type());
      return {{"$ref", ref(f->message_type())}};
  }
  return json::object();
}

json message_schema(const pb::Descriptor* d, std::vector<const pb::Descriptor*>& todo) {
  json props = json::object();
  for (int i = 0; i < d->field_count(); ++i) {
    const pb::FieldDescriptor* f = d->field(i);
    json s;
    if (f->is_map()) {
      const pb::FieldDescriptor* value = f->message_type()->map_value();
      s = {{"type", "object"}, {"additionalProperties", scalar_schema(value, todo)}};
    } else if (f->is_repeated()) {
      s = {{"type", "array"}, {"items", scalar_schema(f, todo)}};
    } else {
      s = scalar_schema(f, todo);
    }
    props[f->json_name()] = s;
  }
  return {{"type", "object"}, {"properties", props}};
}

json error_schema() {
  return {{"type", "object"},
          {"required", {"error"}},
          {"properties",
           {{"error",
             {{"type", "object"},
              {"required", {"code", "message"}},
              {"properties", {{"code", {{"type", "string"}}}, {"message", {{"type", "string"}}}}}}}}}};
}

json error_response(const std::string& what) {
  return {{"description", what}, {"content", {{"application/json", {{"schema", {{"$ref", "#/components/schemas/Error"}}}}}}}};
}

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

}  // namespace

std::string versioned_path(const std::string& pattern) {
  if (pattern.rfind("/api/", 0) == 0) return "/api/v1/" + pattern.substr(5);
  return pattern;
}

std::string openapi_json(const std::string& version) {
  std::vector<const pb::Descriptor*> todo;
  json paths = json::object();
  for (const auto& r : api_route_docs()) {
    json op = {{"summary", r.summary}, {"operationId", lower(r.method) + r.pattern}};
    json params = json::array();
    for (size_t open = r.pattern.find('{'); open != std::string::npos; open = r.pattern.find('{', open + 1)) {
      size_t close = r.pattern.find('}', open);
      params.push_back({{"name", r.pattern.substr(open + 1, close - open - 1)},
                        {"in", "path"},
                        {"required", true},
                        {"schema", {{"type", "string"}}}});
    }
    if (!params.empty()) op["parameters"] = params;
    if (r.request) {
      todo.push_back(r.request);
      op["requestBody"] = {{"required", false},
                           {"content", {{"application/json", {{"schema", {{"$ref", ref(r.request)}}}}}}}};
    }
    json ok = {{"description", "success"}};
    if (r.response) {
      todo.push_back(r.response);
      ok["content"] = {{"application/json", {{"schema", {{"$ref", ref(r.response)}}}}}};
      if (r.html_alternative) ok["content"]["text/html"] = {{"schema", {{"type", "string"}}}};
    }
    if (r.status == 201)
      ok["headers"] = {{"Location", {{"description", "the created resource"}, {"schema", {{"type", "string"}}}}}};
    if (r.status == 302) {
      ok["description"] = "a redirect";
      ok["headers"] = {{"Location", {{"description", "where the browser goes next"}, {"schema", {{"type", "string"}}}}}};
    }
    json responses = {{std::to_string(r.status), ok}};
    if (r.needs_token) {
      op["security"] = json::array({{{"inviteToken", json::array()}}, {{"inviteTokenQuery", json::array()}}});
      json unauth = error_response("missing, unknown, revoked or expired token");
      unauth["headers"] = {{"WWW-Authenticate", {{"schema", {{"type", "string"}}}}}};
      responses["401"] = unauth;
    } else {
      op["security"] = json::array();
    }
    responses["405"] = error_response("method not allowed (Allow lists the allowed ones)");
    responses["default"] = error_response("an error: 400, 403, 404, 409, 413, 429 (Retry-After), 503, ...");
    op["responses"] = responses;
    paths[versioned_path(r.pattern)][lower(r.method)] = op;
  }
  json schemas = json::object();
  schemas["Error"] = error_schema();
  std::set<std::string> done;
  while (!todo.empty()) {
    const pb::Descriptor* d = todo.back();
    todo.pop_back();
    if (!done.insert(d->full_name()).second) continue;
    schemas[d->full_name()] = message_schema(d, todo);
  }
  json doc = {
      {"openapi", "3.1.0"},
      {"info",
       {{"title", "MockLoop REST API"},
        {"version", version},
        {"description",
         "The REST API of a MockLoop server (docs/api.md). Bodies are the protobuf JSON mapping of "
         "proto/*.proto. A field at its default value (false, 0, \"\", [], an unset message) is "
         "omitted, in responses too: absence is how a reply shows what a role may not see, so "
         "read a missing field as its default. int64 values are decimal strings. The unversioned /api/... paths are aliases of /api/v1/..."}}},
      {"servers", json::array({{{"url", "/"}}})},
      {"paths", paths},
      {"components",
       {{"schemas", schemas},
        {"securitySchemes",
         {{"inviteToken", {{"type", "http"}, {"scheme", "bearer"}, {"description", "an invite token"}}},
          {"inviteTokenQuery", {{"type", "apiKey"}, {"in", "query"}, {"name", "token"}}}}}}}};
  return doc.dump(2) + "\n";
}

}  // namespace mockloop::loop
