// The opening handshake's answer (RFC 6455 4.2.2) and a refusal's close frame.
#include "net/ws_upgrade.hpp"

#include <gtest/gtest.h>

using namespace mockloop;
using namespace mockloop::net;
namespace http = boost::beast::http;

namespace {

UpgradeRequest upgrade(std::string_view key, std::string_view version = "13") {
  UpgradeRequest req{http::verb::get, "/yjs/doc", 11};
  req.set(http::field::host, "localhost");
  req.set(http::field::upgrade, "websocket");
  req.set(http::field::connection, "Upgrade");
  if (!key.empty()) req.set(http::field::sec_websocket_key, key);
  if (!version.empty()) req.set(http::field::sec_websocket_version, version);
  return req;
}

}  // namespace

TEST(WsUpgrade, AVersion13RequestSwitchesWithTheAcceptKey) {
  // The example of RFC 6455 1.3.
  auto res = upgrade_response(upgrade("dGhlIHNhbXBsZSBub25jZQ=="));
  EXPECT_TRUE(switches_protocols(res));
  EXPECT_EQ(res.result_int(), 101);
  EXPECT_EQ(res[http::field::sec_websocket_accept], "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
  EXPECT_EQ(res[http::field::upgrade], "websocket");
  EXPECT_EQ(res[http::field::connection], "Upgrade");
  EXPECT_TRUE(res.body().empty());
}

TEST(WsUpgrade, OtherVersionsAndMissingOrOversizedKeysGet400) {
  for (const auto& req : {upgrade("dGhlIHNhbXBsZSBub25jZQ==", "8"), upgrade("dGhlIHNhbXBsZSBub25jZQ==", ""),
                          upgrade(""), upgrade(std::string(25, 'A'))}) {
    auto res = upgrade_response(req);
    EXPECT_FALSE(switches_protocols(res));
    EXPECT_EQ(res.result_int(), 400);
    EXPECT_EQ(res[http::field::sec_websocket_version], "13");
    EXPECT_EQ(res[http::field::content_type], "application/json");
    EXPECT_NE(res.body().find("\"bad_handshake\""), std::string::npos);
    EXPECT_FALSE(res.keep_alive());
    EXPECT_EQ(res["X-Frame-Options"], "DENY") << "security headers on the refusal too";
  }
}

TEST(WsUpgrade, ARefusalClosesWithTheRoutesCodeOr1008) {
  WsAccept a;
  a.close_code = close_code(Errc::forbidden);
  a.reason = "not yours";
  auto r = refusal_of(a);
  EXPECT_EQ(r.code, 4403);
  EXPECT_EQ(r.reason, "not yours");
  r = refusal_of(WsAccept{});
  EXPECT_EQ(r.code, 1008);
  EXPECT_EQ(r.reason, "refused");
  EXPECT_EQ(principal_cap_refusal().code, 1008);
}
