// The request model's one decoding rule and one bearer rule (net/endpoints.hpp).
#include <gtest/gtest.h>

#include "net/endpoints.hpp"

using namespace mockloop::net;

namespace {

Request with(std::string query, std::string authorization = "") {
  Request r;
  r.query = std::move(query);
  r.authorization = std::move(authorization);
  return r;
}

}  // namespace

TEST(SplitTarget, DecodesThePathAndRefusesAnyBadEscape) {
  std::string path, query;
  ASSERT_TRUE(split_target("/api/loops/a%20b?x=1%2B1&y=a+b", path, query));
  EXPECT_EQ(path, "/api/loops/a b");
  EXPECT_EQ(query, "x=1%2B1&y=a+b");  // kept raw; decoded per parameter
  EXPECT_FALSE(split_target("/api/%zz", path, query));
  EXPECT_FALSE(split_target("/api/x%4", path, query));
  EXPECT_FALSE(split_target("/api/x?token=%G1", path, query)) << "a bad escape in the query is a 400 too";
  EXPECT_FALSE(split_target("/api/x?%=1", path, query));
  EXPECT_FALSE(split_target("api/x", path, query));
  EXPECT_TRUE(split_target("/a+b", path, query));
  EXPECT_EQ(path, "/a+b") << "'+' is a space in the query only";
}

TEST(QueryParams, DecodeEveryComponentOnce) {
  auto q = with("round_kind=coding&lp=dive%2Ddeep&level=l6&empty=&flag&x=a+b&x=last").query_params();
  ASSERT_TRUE(q.ok());
  EXPECT_EQ(q->at("lp"), "dive-deep");
  EXPECT_EQ(q->at("empty"), "");
  EXPECT_EQ(q->at("flag"), "");
  EXPECT_EQ(q->at("x"), "last") << "a repeated name keeps its last value";
  EXPECT_EQ(with("x=a+b%21").query_param("x"), "a b!");
  EXPECT_EQ(with("a=1").query_param("b"), "");
  auto bad = with("a=%zz").query_params();
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, mockloop::Errc::invalid_argument);
}

TEST(BearerToken, HeaderFirstSchemeCaseInsensitiveThenQuery) {
  EXPECT_EQ(with("", "Bearer abc").bearer_token(), "abc");
  EXPECT_EQ(with("", "bearer abc").bearer_token(), "abc");
  EXPECT_EQ(with("", "BEARER   abc  ").bearer_token(), "abc");
  EXPECT_EQ(with("token=fromquery", "Bearer fromheader").bearer_token(), "fromheader") << "the header wins";
  EXPECT_EQ(with("token=fromquery").bearer_token(), "fromquery");
  EXPECT_EQ(with("token=a%2Bb").bearer_token(), "a+b");
  EXPECT_EQ(with("token=q", "Basic dXNlcjpwYXNz").bearer_token(), "q") << "another scheme counts as absent";
  EXPECT_EQ(with("token=q", "Bearer ").bearer_token(), "q") << "an empty bearer counts as absent";
  EXPECT_EQ(with("", "Bearerabc").bearer_token(), "");
  EXPECT_EQ(with("").bearer_token(), "");
}

TEST(ClientIp, ForwardedForOnlyWhenTrusted) {
  Request r;
  r.remote = "127.0.0.1";
  r.forwarded_for = "6.6.6.6, 203.0.113.9";
  EXPECT_EQ(r.client_ip(false), "127.0.0.1");
  EXPECT_EQ(r.client_ip(true), "203.0.113.9") << "the entry our proxy appended, not the client's own claim";
  r.forwarded_for = "";
  EXPECT_EQ(r.client_ip(true), "127.0.0.1");
}

TEST(JsonError, EscapesAndCarriesNoExtraHeaders) {
  auto r = json_error(400, "bad", "a \"b\"\n");
  EXPECT_EQ(r.status, 400);
  EXPECT_EQ(r.body, R"({"error":{"code":"bad","message":"a \"b\"\n"}})");
  EXPECT_TRUE(r.headers.empty());
  // Bytes that are not UTF-8 (a client's path echoed back, say) still make valid JSON.
  EXPECT_EQ(json_error(404, "not_found", "no \xFF\xC3").body,
            "{\"error\":{\"code\":\"not_found\",\"message\":\"no \xEF\xBF\xBD\xEF\xBF\xBD\"}}");
}
