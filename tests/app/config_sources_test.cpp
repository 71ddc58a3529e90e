// Configuration from the environment and a config file, and the precedence
// flag > environment > config file > default (app/options.hpp, app/config_file.hpp).
#include <gtest/gtest.h>

#include "app/config_file.hpp"
#include "app/options.hpp"

namespace mockloop::app {
namespace {

// A config reader that serves one in-memory file.
ConfigReader file_with(const std::string& name, const std::string& text) {
  return [=](const std::string& f) -> Result<std::vector<ConfigEntry>> {
    if (f != name) return make_error(Errc::usage, f + ": cannot read the config file");
    return parse_config_text(text, f);
  };
}

TEST(ConfigSources, EnvNameIsCapitalisedWithUnderscores) {
  EXPECT_EQ(env_name("--max-body-bytes"), "MOCKLOOP_MAX_BODY_BYTES");
  EXPECT_EQ(env_name("--listen"), "MOCKLOOP_LISTEN");
}

TEST(ConfigSources, EveryLayerSetsAValue) {
  auto o = parse_options({"--config", "/etc/m.conf"}, {{"MOCKLOOP_THREADS", "3"}, {"MOCKLOOP_LOG_JSON", "true"}},
                         file_with("/etc/m.conf", "# comment\n\nlisten = 0.0.0.0:9000\ndb=\"/var/lib/m.db\"\nmax_body_bytes = 4096\n"));
  ASSERT_TRUE(o.ok()) << o.error().message;
  EXPECT_EQ(o->net.host, "0.0.0.0");
  EXPECT_EQ(o->net.port, 9000);
  EXPECT_EQ(o->db_path, "/var/lib/m.db");
  EXPECT_EQ(o->net.limits.max_body_bytes, 4096u);
  EXPECT_EQ(o->net.threads, 3);
  EXPECT_TRUE(o->log_json);
  EXPECT_EQ(o->config_file, "/etc/m.conf");
}

TEST(ConfigSources, FlagBeatsEnvironmentBeatsFileBeatsDefault) {
  auto read = file_with("f.conf", "listen = 10.0.0.1:1\ndb = file.db\nthreads = 7\nlog-level = warn\n");
  Environment env{{"MOCKLOOP_CONFIG", "f.conf"}, {"MOCKLOOP_LISTEN", "10.0.0.2:2"}, {"MOCKLOOP_DB", "env.db"}};
  auto o = parse_options({"--listen", "10.0.0.3:3"}, env, read);
  ASSERT_TRUE(o.ok()) << o.error().message;
  EXPECT_EQ(o->net.host, "10.0.0.3");  // flag
  EXPECT_EQ(o->db_path, "env.db");     // environment over the file
  EXPECT_EQ(o->net.threads, 7);        // file
  EXPECT_EQ(o->log_level, "warn");     // file
  EXPECT_EQ(o->net.limits.max_header_bytes, 16u * 1024);  // default
}

TEST(ConfigSources, AFalseSwitchInTheEnvironmentOverridesTheFile) {
  auto o = parse_options({}, {{"MOCKLOOP_CONFIG", "f"}, {"MOCKLOOP_LOG_JSON", "false"}}, file_with("f", "log-json = true\n"));
  ASSERT_TRUE(o.ok()) << o.error().message;
  EXPECT_FALSE(o->log_json);
  auto p = parse_options({"--log-json"}, {{"MOCKLOOP_LOG_JSON", "off"}}, file_with("f", ""));
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->log_json);
}

TEST(ConfigSources, RepeatableFlagsTakeAListFromTheEnvironment) {
  auto o = parse_options({}, {{"MOCKLOOP_ALLOWED_ORIGIN", "https://a.example,https://b.example"}}, file_with("x", ""));
  ASSERT_TRUE(o.ok());
  ASSERT_EQ(o->net.origins.allowed_origins.size(), 2u);
  EXPECT_EQ(o->net.origins.allowed_origins[1], "https://b.example");
}

TEST(ConfigSources, ContentAndStaticDirsRememberThatTheyWereGiven) {
  auto o = parse_options({}, {}, file_with("x", ""));
  ASSERT_TRUE(o.ok());
  EXPECT_FALSE(o->content_dir_given);
  auto p = parse_options({}, {{"MOCKLOOP_CONTENT_DIR", "/srv/content"}}, file_with("x", ""));
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->content_dir_given);
  EXPECT_EQ(p->content_dir, "/srv/content");
}

TEST(ConfigSources, ErrorsNameTheirSource) {
  auto env_err = parse_options({}, {{"MOCKLOOP_THREADS", "lots"}}, file_with("x", ""));
  ASSERT_FALSE(env_err.ok());
  EXPECT_NE(env_err.error().message.find("MOCKLOOP_THREADS"), std::string::npos) << env_err.error().message;

  auto bool_err = parse_options({}, {{"MOCKLOOP_LOG_JSON", "maybe"}}, file_with("x", ""));
  ASSERT_FALSE(bool_err.ok());
  EXPECT_NE(bool_err.error().message.find("MOCKLOOP_LOG_JSON expects true or false"), std::string::npos);

  auto value_err = parse_options({"--config", "m.conf"}, {}, file_with("m.conf", "\n# x\nthreads = 0\n"));
  ASSERT_FALSE(value_err.ok());
  EXPECT_NE(value_err.error().message.find("m.conf:3: threads"), std::string::npos) << value_err.error().message;

  auto key_err = parse_options({"--config", "m.conf"}, {}, file_with("m.conf", "listen = 1.2.3.4:5\nlisten-on = x\n"));
  ASSERT_FALSE(key_err.ok());
  EXPECT_NE(key_err.error().message.find("m.conf:2: unknown key 'listen-on'"), std::string::npos) << key_err.error().message;

  auto syntax_err = parse_options({"--config", "m.conf"}, {}, file_with("m.conf", "listen\n"));
  ASSERT_FALSE(syntax_err.ok());
  EXPECT_NE(syntax_err.error().message.find("m.conf:1: expected `key = value`"), std::string::npos);

  auto missing = parse_options({"--config", "nope.conf"}, {}, file_with("m.conf", ""));
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.error().message.find("nope.conf"), std::string::npos);
}

TEST(ConfigSources, HelpAndVersionAreCommandLineOnly) {
  auto o = parse_options({}, {{"MOCKLOOP_HELP", "true"}, {"MOCKLOOP_BIN", "/x/mockloop"}}, file_with("x", ""));
  ASSERT_TRUE(o.ok());
  EXPECT_FALSE(o->show_help);
  auto f = parse_options({"--config", "c"}, {}, file_with("c", "help = true\n"));
  EXPECT_FALSE(f.ok());
}

TEST(ConfigSources, HelpStatesThePrecedence) {
  EXPECT_NE(help_text().find("command line > environment > config file > default"), std::string::npos);
  EXPECT_NE(help_text().find("MOCKLOOP_MAX_BODY_BYTES"), std::string::npos);
}

TEST(ConfigFile, BoundsItsLines) {
  auto r = parse_config_text("db = " + std::string(kMaxConfigLineBytes, 'x') + "\n", "big.conf");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("big.conf:1:"), std::string::npos);
}

}  // namespace
}  // namespace mockloop::app
