// The Origin/Host policy as a function of the two headers.
#include "net/origin_policy.hpp"

#include <gtest/gtest.h>

namespace mockloop::net {
namespace {

bool allowed(std::string_view host, const char* origin, const OriginPolicy& p = {}, bool state_changing = true) {
  std::string o = origin ? origin : "";
  auto r = check_origin(host, origin ? &o : nullptr, p, state_changing);
  if (!r) {
    EXPECT_EQ(r.error().code, Errc::origin_not_allowed);
  }
  return r.ok();
}

TEST(OriginPolicy, NoOriginPasses) {
  EXPECT_TRUE(allowed("mockloop.example", nullptr));
}

TEST(OriginPolicy, TheRequestsOwnHostPassesOthersDoNot) {
  EXPECT_TRUE(allowed("127.0.0.1:8080", "http://127.0.0.1:8080"));
  EXPECT_TRUE(allowed("Mockloop.Example", "https://mockloop.example"));
  EXPECT_TRUE(allowed("mockloop.example", "https://mockloop.example:443"));
  EXPECT_TRUE(allowed("mockloop.example:443", "https://mockloop.example"));
  EXPECT_FALSE(allowed("127.0.0.1:8080", "http://127.0.0.1:9090"));
  EXPECT_FALSE(allowed("mockloop.example", "https://evil.example"));
  EXPECT_FALSE(allowed("mockloop.example", "https://mockloop.example.evil.example"));
  EXPECT_FALSE(allowed("mockloop.example", "null"));
  EXPECT_FALSE(allowed("", "https://mockloop.example"));
}

TEST(OriginPolicy, ListedOriginsPass) {
  OriginPolicy p;
  p.allowed_origins = {"https://app.example.com/"};
  EXPECT_TRUE(allowed("api.example.com", "https://APP.example.com", p));
  EXPECT_FALSE(allowed("api.example.com", "http://app.example.com", p));
}

TEST(OriginPolicy, OriginIsNotCheckedOnSafeRequests) {
  EXPECT_TRUE(allowed("mockloop.example", "https://evil.example", {}, /*state_changing=*/false));
}

TEST(OriginPolicy, AllowedHostsApplyToEveryRequest) {
  OriginPolicy p;
  p.allowed_hosts = {"mockloop.example", "127.0.0.1:8080"};
  EXPECT_TRUE(allowed("mockloop.example", nullptr, p, false));
  EXPECT_TRUE(allowed("mockloop.example:8443", nullptr, p, false));
  EXPECT_TRUE(allowed("127.0.0.1:8080", nullptr, p, false));
  EXPECT_FALSE(allowed("127.0.0.1:9090", nullptr, p, false));
  EXPECT_FALSE(allowed("evil.example", nullptr, p, false));
  EXPECT_FALSE(allowed("", nullptr, p, false));
}

}  // namespace
}  // namespace mockloop::net
