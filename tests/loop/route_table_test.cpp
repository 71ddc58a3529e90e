// RouteTable (404, 405 + Allow, path parameters) and the REST router's use of it.
#include "loop/route_table.hpp"

#include "loop_fixture.hpp"

using namespace mockloop;
using namespace mockloop::loop;
using namespace mockloop::loop::testing;

namespace {

const RouteTable<int>& table() {
  static const RouteTable<int> t({
      {"GET", "/api/loops", 1},
      {"POST", "/api/loops", 2},
      {"GET", "/api/loops/{id}/rounds/{r}/scorecard", 3},
      {"PUT", "/api/loops/{id}/rounds/{r}/scorecard", 4},
  });
  return t;
}

std::string header(const net::Response& r, const std::string& name) {
  for (const auto& [k, v] : r.headers)
    if (k == name) return v;
  return "";
}

}  // namespace

TEST(RouteTable, MatchesMethodAndCapturesParams) {
  auto m = table().match("PUT", "/api/loops/L1/rounds/2/scorecard");
  ASSERT_NE(m.route, nullptr);
  EXPECT_EQ(m.route->payload, 4);
  EXPECT_EQ(m.params.at("id"), "L1");
  EXPECT_EQ(m.params.at("r"), "2");
  EXPECT_EQ(table().match("POST", "/api/loops/").route->payload, 2) << "a trailing slash is the same path";
}

TEST(RouteTable, UnknownPathIs404AndWrongMethodNamesTheAllowedOnes) {
  auto none = table().match("GET", "/api/loops/L1/rounds/2");
  EXPECT_EQ(none.route, nullptr);
  EXPECT_TRUE(none.allow.empty());
  EXPECT_EQ(table().match("GET", "/api/loops/L1/rounds//scorecard").route, nullptr) << "a parameter is never empty";
  auto wrong = table().match("DELETE", "/api/loops/L1/rounds/2/scorecard");
  EXPECT_EQ(wrong.route, nullptr);
  EXPECT_EQ(wrong.allow, "GET, PUT");
  EXPECT_EQ(table().match("PATCH", "/api/loops").allow, "GET, POST");
}

class ApiRoutes : public LoopFixture {};

TEST_F(ApiRoutes, RouterAnswers404And405WithAllow) {
  create_l6_loop();
  auto nf = call("GET", "/api/loops/" + loop_id_ + "/nope", tokens_["host"]);
  EXPECT_EQ(nf.status, 404);
  EXPECT_EQ(json(nf)["error"]["code"], "not_found");
  auto wrong = call("DELETE", round_path(1) + "/scorecard", tokens_["host"]);
  EXPECT_EQ(wrong.status, 405);
  EXPECT_EQ(header(wrong, "Allow"), "GET, PUT");
  EXPECT_EQ(json(wrong)["error"]["code"], "method_not_allowed");
  EXPECT_EQ(header(call("GET", "/api/study-rooms"), "Allow"), "POST");
  EXPECT_EQ(header(call("POST", "/api/templates"), "Allow"), "GET");
  // 405 is decided from the table alone: no token needed to learn the allowed methods.
  EXPECT_EQ(call("DELETE", "/api/loops/" + loop_id_).status, 405);
}

TEST_F(ApiRoutes, BearerSchemeIsCaseInsensitiveAndHeaderComesFirst) {
  create_l6_loop();
  net::Request req;
  req.method = "GET";
  req.path = "/api/loops/" + loop_id_;
  req.authorization = "bearer " + tokens_["host"];
  req.query = "token=not-a-token";
  EXPECT_EQ(router_->handle(req).status, 200);
  req.authorization = "Basic x";
  EXPECT_EQ(router_->handle(req).status, 401) << "falls back to the (wrong) query token";
}

TEST_F(ApiRoutes, AServerErrorIsLoggedWithItsCauseAndNotSent) {
  create_l6_loop();
  ASSERT_TRUE(db_->exec("DROP TABLE scorecard_panel_views").ok());
  ASSERT_EQ(call("PUT", round_path(1) + "/scorecard", tokens_["iv1"], draft()).status, 200);
  ::testing::internal::CaptureStderr();
  auto r = call("POST", round_path(1) + "/scorecard/submit", tokens_["iv1"]);
  const std::string log = ::testing::internal::GetCapturedStderr();
  EXPECT_EQ(r.status, 500);
  EXPECT_EQ(json(r)["error"]["message"], "internal error");
  EXPECT_EQ(r.body.find("scorecard_panel_views"), std::string::npos) << "the cause stays in the server";
  EXPECT_NE(log.find("request failed"), std::string::npos) << log;
  EXPECT_NE(log.find("/scorecard/submit"), std::string::npos) << log;
  EXPECT_NE(log.find("scorecard_panel_views"), std::string::npos) << "the cause is logged: " << log;
  EXPECT_EQ(log.find(tokens_["iv1"]), std::string::npos) << "no token in the log";
}
