// The REST API's flags: creation quotas, the anonymous-create switch, --trust-proxy.
#include <gtest/gtest.h>

#include "app/options.hpp"

namespace mockloop::app {
namespace {

TEST(ApiOptions, DefaultsAndHelpShowThem) {
  auto o = parse_options({});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->api.max_loops_per_ip_hour, 20u);
  EXPECT_EQ(o->api.max_study_rooms_per_ip_hour, 60u);
  EXPECT_FALSE(o->api.trust_proxy);
  EXPECT_FALSE(o->allow_anonymous_create.has_value()) << "unset: decided from --listen and --trust-proxy";
  const std::string help = help_text();
  EXPECT_NE(help.find("--max-loops-per-ip-hour N"), std::string::npos);
  EXPECT_NE(help.find("(default 20)"), std::string::npos);
  EXPECT_NE(help.find("(default 60)"), std::string::npos);
  EXPECT_NE(help.find("--allow-anonymous-create on|off"), std::string::npos);
  EXPECT_NE(help.find("--trust-proxy"), std::string::npos);
}

TEST(ApiOptions, ParsesAndRefusesBadValues) {
  auto o = parse_options({"--max-loops-per-ip-hour", "5", "--max-study-rooms-per-ip-hour=7", "--trust-proxy",
                          "--allow-anonymous-create", "off"});
  ASSERT_TRUE(o.ok()) << o.error().message;
  EXPECT_EQ(o->api.max_loops_per_ip_hour, 5u);
  EXPECT_EQ(o->api.max_study_rooms_per_ip_hour, 7u);
  EXPECT_TRUE(o->api.trust_proxy);
  EXPECT_EQ(o->allow_anonymous_create, false);
  EXPECT_FALSE(parse_options({"--max-loops-per-ip-hour", "0"}).ok());
  EXPECT_FALSE(parse_options({"--allow-anonymous-create", "yes"}).ok());
  EXPECT_FALSE(parse_options({"--allow-anonymous-create"}).ok());
}

}  // namespace
}  // namespace mockloop::app
