#include "app/options.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace mockloop::app {
namespace {

TEST(Options, DefaultsMatchTheDocumentedOnes) {
  auto o = parse_options({});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->net.host, "127.0.0.1");
  EXPECT_EQ(o->net.port, 8080);
  EXPECT_EQ(o->db_path, "./data/mockloop.db");
  EXPECT_FALSE(o->allow_anonymous_docs);
  EXPECT_TRUE(o->persist);
  EXPECT_EQ(o->net.limits.max_header_bytes, 16u * 1024);
}

TEST(Options, ParsesSpaceAndEqualsForms) {
  auto o = parse_options({"--listen", "0.0.0.0:9000", "--db=/tmp/x.db", "--threads", "4", "--log-json",
                          "--max-message-bytes=2048", "--allow-anonymous-docs", "--idle-timeout", "5"});
  ASSERT_TRUE(o.ok()) << o.error().message;
  EXPECT_EQ(o->net.host, "0.0.0.0");
  EXPECT_EQ(o->net.port, 9000);
  EXPECT_EQ(o->db_path, "/tmp/x.db");
  EXPECT_EQ(o->net.threads, 4);
  EXPECT_TRUE(o->log_json);
  EXPECT_EQ(o->net.limits.max_ws_message_bytes, 2048u);
  EXPECT_TRUE(o->allow_anonymous_docs);
  EXPECT_EQ(o->net.limits.ws_idle_timeout, std::chrono::seconds(5));
}

TEST(Options, AcceptsBracketedIpv6) {
  auto o = parse_options({"--listen", "[::1]:0"});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->net.host, "::1");
  EXPECT_EQ(o->net.port, 0);
}

TEST(Options, RefusesUnknownFlagNamingIt) {
  auto o = parse_options({"--frobnicate"});
  ASSERT_FALSE(o.ok());
  EXPECT_EQ(o.error().code, Errc::usage);
  EXPECT_NE(o.error().message.find("--frobnicate"), std::string::npos);
}

TEST(Options, RefusesBadValues) {
  for (auto args : std::vector<std::vector<std::string>>{
           {"--listen", "nohostport"},
           {"--listen", "127.0.0.1:70000"},
           {"--threads", "0"},
           {"--threads", "two"},
           {"--log-level", "loud"},
           {"--max-body-bytes", "-5"},
           {"--idle-timeout", "0"},
           {"--updates-per-second", "abc"},
           {"--db"},
           {"--log-json=yes"},
       }) {
    auto o = parse_options(args);
    EXPECT_FALSE(o.ok()) << args[0];
    if (!o.ok()) {
      EXPECT_NE(o.error().message.find(args[0].substr(0, args[0].find('='))), std::string::npos)
          << o.error().message;
    }
  }
}

TEST(Options, WorkerPoolSizesHaveFlagsWithTheirDefaults) {
  auto d = parse_options({});
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->api.workers, 2u);
  EXPECT_EQ(d->sessions.workers, 2u);
  EXPECT_EQ(d->study.workers, 2u);
  EXPECT_EQ(d->doc_auth.workers, 1u);
  auto o = parse_options({"--api-workers", "3", "--session-workers=4", "--study-workers", "1", "--doc-auth-workers=2"});
  ASSERT_TRUE(o.ok()) << o.error().message;
  EXPECT_EQ(o->api.workers, 3u);
  EXPECT_EQ(o->sessions.workers, 4u);
  EXPECT_EQ(o->study.workers, 1u);
  EXPECT_EQ(o->doc_auth.workers, 2u);
  for (auto flag : {"--api-workers", "--session-workers", "--study-workers", "--doc-auth-workers"}) {
    for (auto bad : {"0", "65", "many"}) {
      auto r = parse_options({flag, bad});
      ASSERT_FALSE(r.ok()) << flag << " " << bad;
      EXPECT_NE(r.error().message.find(flag), std::string::npos) << r.error().message;
    }
  }
  const std::string h = help_text();
  EXPECT_NE(h.find("--session-workers N"), std::string::npos) << h;
  EXPECT_NE(h.find("/yjs tokens before a document opens (default 1)"), std::string::npos) << h;
}

TEST(Options, HelpListsEveryFlagWithDefaults) {
  auto o = parse_options({"--help"});
  ASSERT_TRUE(o.ok());
  EXPECT_TRUE(o->show_help);
  std::string h = help_text();
  for (auto flag : {"--listen", "--db", "--static-dir", "--threads", "--log-level", "--log-json",
                    "--max-header-bytes", "--max-body-bytes", "--max-message-bytes", "--send-queue-frames",
                    "--handshake-timeout", "--idle-timeout", "--allow-anonymous-docs"}) {
    EXPECT_NE(h.find(flag), std::string::npos) << flag;
  }
  EXPECT_NE(h.find("default 127.0.0.1:8080"), std::string::npos);
}

}  // namespace
}  // namespace mockloop::app

TEST(Options, CallFlagsCollectIceServersAndTheTurnSecret) {
  auto o = mockloop::app::parse_options({"--ice-server", "stun:stun.example.org:3478", "--ice-server=turn:t.example.org:3478",
                                         "--turn-secret", "north", "--turn-ttl", "600"});
  ASSERT_TRUE(o.ok()) << o.error().message;
  EXPECT_EQ(o->call.ice_servers.size(), 2u);
  EXPECT_EQ(o->call.turn_secret, "north");
  EXPECT_EQ(o->call.turn_ttl, std::chrono::seconds(600));
  EXPECT_FALSE(mockloop::app::parse_options({"--ice-server", "http://nope"}).ok());
  EXPECT_FALSE(mockloop::app::parse_options({"--turn-secret-file", "/no/such/file"}).ok());
}

TEST(Options, WebhookFlagsTakeAnHttpUrlAndASecretInlineOrFromAFile) {
  const auto file = std::filesystem::temp_directory_path() / "mockloop-webhook-secret-test";
  std::ofstream(file) << "from-the-file \r\nsecond line ignored\n";
  auto o = mockloop::app::parse_options({"--webhook-url", "https://ats.example.org/hook", "--webhook-secret-file", file.string()});
  ASSERT_TRUE(o.ok()) << o.error().message;
  EXPECT_EQ(o->webhooks.url, "https://ats.example.org/hook");
  EXPECT_EQ(o->webhooks.secret, "from-the-file");
  EXPECT_EQ(mockloop::app::parse_options({"--webhook-secret", "inline"})->webhooks.secret, "inline");
  EXPECT_FALSE(mockloop::app::parse_options({"--webhook-secret", std::string(1025, 'x')}).ok());
  EXPECT_FALSE(mockloop::app::parse_options({"--webhook-secret-file", "/no/such/file"}).ok());
  EXPECT_FALSE(mockloop::app::parse_options({"--webhook-url", "ftp://example.org"}).ok());
  std::filesystem::remove(file);
}
