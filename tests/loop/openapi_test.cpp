// The OpenAPI document (loop/openapi.hpp) against the route table and the checked-in copy:
// every route is in the document and every documented operation is a route; every $ref
// resolves; docs/openapi.json is what the server serves.
#include "loop/openapi.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "loop/api.hpp"

namespace mockloop::loop {
namespace {

using nlohmann::json;

std::string lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

void collect_refs(const json& j, std::set<std::string>& out) {
  if (j.is_object()) {
    for (auto it = j.begin(); it != j.end(); ++it) {
      if (it.key() == "$ref" && it.value().is_string()) out.insert(it.value().get<std::string>());
      collect_refs(it.value(), out);
    }
  } else if (j.is_array()) {
    for (const auto& x : j) collect_refs(x, out);
  }
}

TEST(OpenApi, EveryRouteIsDocumentedAndEveryOperationIsARoute) {
  json doc = json::parse(openapi_json(kApiVersion));
  EXPECT_EQ(doc["openapi"], "3.1.0");
  std::set<std::string> routes, documented;
  for (const auto& r : api_route_docs()) routes.insert(lower(r.method) + " " + versioned_path(r.pattern));
  for (auto p = doc["paths"].begin(); p != doc["paths"].end(); ++p)
    for (auto op = p.value().begin(); op != p.value().end(); ++op) documented.insert(op.key() + " " + p.key());
  EXPECT_EQ(routes, documented);
  EXPECT_GE(routes.size(), 15u);
  EXPECT_TRUE(routes.count("post /api/v1/loops"));
}

TEST(OpenApi, EveryRefResolvesAndTokenRoutesDocument401) {
  json doc = json::parse(openapi_json(kApiVersion));
  std::set<std::string> refs;
  collect_refs(doc, refs);
  ASSERT_FALSE(refs.empty());
  for (const auto& ref : refs) {
    ASSERT_EQ(ref.rfind("#/components/schemas/", 0), 0u) << ref;
    EXPECT_TRUE(doc["components"]["schemas"].contains(ref.substr(21))) << ref;
  }
  for (const auto& r : api_route_docs()) {
    const json& op = doc["paths"][versioned_path(r.pattern)][lower(r.method)];
    EXPECT_EQ(op["responses"].contains("401"), r.needs_token) << r.pattern;
    EXPECT_TRUE(op["responses"].contains(std::to_string(r.status))) << r.pattern;
    if (r.status == 201) {
      EXPECT_TRUE(op["responses"]["201"]["headers"].contains("Location")) << r.pattern;
    }
  }
}

TEST(OpenApi, DefaultValuedFieldsAreOptionalAsTheyAreOmitted) {
  json doc = json::parse(openapi_json(kApiVersion));
  const json& invite = doc["components"]["schemas"]["mockloop.v1.Invite"];
  EXPECT_TRUE(invite["properties"].contains("revoked"));
  EXPECT_FALSE(invite.contains("required"));
}

TEST(OpenApi, VersionedPathsAreAliasesOfTheOldOnes) {
  EXPECT_EQ(versioned_path("/api/loops/{id}"), "/api/v1/loops/{id}");
  EXPECT_EQ(unversioned_path("/api/v1/loops/x"), "/api/loops/x");
  EXPECT_EQ(unversioned_path("/api/v1"), "/api");
  EXPECT_EQ(unversioned_path("/api/v10/loops"), "/api/v10/loops");
  EXPECT_EQ(unversioned_path("/api/loops"), "/api/loops");
}

TEST(OpenApi, TheCheckedInCopyIsWhatTheServerServes) {
  std::ifstream in(std::string(MOCKLOOP_SOURCE_DIR) + "/docs/openapi.json");
  ASSERT_TRUE(in) << "docs/openapi.json is missing";
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(json::parse(text.str()), json::parse(openapi_json(kApiVersion)))
      << "regenerate: build/server/app/mockloop --openapi > docs/openapi.json";
}

}  // namespace
}  // namespace mockloop::loop
