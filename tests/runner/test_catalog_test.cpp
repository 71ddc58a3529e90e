// Coding tests as content: the checker modes, the file format's refusals, and the content
// check: every shipped reference solution passes every one of its tests in the sandbox.
#include <gtest/gtest.h>

#include <sys/prctl.h>
#include <unistd.h>

#include "runner/checker.hpp"
#include "runner/runner.hpp"
#include "runner/test_catalog.hpp"

namespace mockloop::runner {
namespace {

TEST(Checker, Modes) {
  EXPECT_TRUE(output_matches(CheckMode::exact, "1 2\n", "1 2"));
  EXPECT_FALSE(output_matches(CheckMode::exact, "1 2\n", "1  2\n"));
  EXPECT_TRUE(output_matches(CheckMode::tokens, "1 2\n3", " 1\n2 3 \n"));
  EXPECT_FALSE(output_matches(CheckMode::tokens, "1 2 3", "1 3 2"));
  EXPECT_TRUE(output_matches(CheckMode::lines_unordered, "a\nb\n", "b \n\na\n"));
  EXPECT_FALSE(output_matches(CheckMode::lines_unordered, "a\nb\n", "a\na\n"));
  EXPECT_TRUE(output_matches(CheckMode::float_tolerance, "0.3333333 x", "0.33333331 x"));
  EXPECT_FALSE(output_matches(CheckMode::float_tolerance, "0.33", "0.34"));
  EXPECT_FALSE(check_mode_of("fuzzy"));
}

TEST(TestCatalog, RefusesBrokenFiles) {
  EXPECT_FALSE(TestCatalog::parse("q", "[]"));
  EXPECT_FALSE(TestCatalog::parse("q", R"({"checker":"fuzzy"})"));
  // No sample test / no reference solution.
  EXPECT_FALSE(TestCatalog::parse("q", R"({"hidden":[{"stdin":"","expected":""}],"reference":{"python":"x"}})"));
  EXPECT_FALSE(TestCatalog::parse("q", R"({"samples":[{"stdin":"","expected":""}]})"));
  auto ok = TestCatalog::parse(
      "q", R"({"samples":[{"stdin":"1","expected":"1"}],"hidden":[{"stdin":"2","expected":"2"}],"reference":{"python":"x"}})");
  ASSERT_TRUE(ok) << ok.error().message;
  EXPECT_EQ(ok->sample_count(), 1u);
  EXPECT_EQ(ok->tests.at(1).name, "hidden 1");
  EXPECT_TRUE(ok->tests.at(1).hidden);
}

TEST(TestCatalog, ShippedQuestionsLoadWithSamplesHiddenAndStarters) {
  auto cat = TestCatalog::load(std::string(MOCKLOOP_SOURCE_DIR) + "/content/coding_tests");
  ASSERT_TRUE(cat) << cat.error().message;
  EXPECT_GE(cat->all().size(), 20u);  // issue 16: at least 20 runnable coding questions
  for (const auto& [id, q] : cat->all()) {
    EXPECT_GE(q.sample_count(), 2u) << id;
    EXPECT_GE(q.tests.size(), 8u) << id;
    EXPECT_LE(q.tests.size(), 15u) << id;
    if (q.cpu_seconds) {
      EXPECT_LE(*q.cpu_seconds, RunLimits{}.cpu_seconds) << id;
    }
    for (const char* lang : {"python", "javascript", "cpp"}) EXPECT_TRUE(q.starter.count(lang)) << id << " " << lang;
  }
}

// The content check (issue 16): a test whose expected output the reference solution does
// not produce is a broken test.
TEST(TestCatalog, EveryReferenceSolutionPassesItsTestsInTheSandbox) {
  if (::access("/usr/bin/bwrap", X_OK) != 0) GTEST_SKIP() << "bubblewrap is not installed";
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  auto cat = TestCatalog::load(std::string(MOCKLOOP_SOURCE_DIR) + "/content/coding_tests");
  ASSERT_TRUE(cat);
  SandboxConfig config;
  config.uid = ::geteuid() == 0 ? 60120 : 0;
  config.scratch = "/tmp/mockloop-content-test-" + std::to_string(::getpid());
  Runner runner(config);
  if (!runner.sandbox_problem().empty()) GTEST_SKIP() << "sandbox unavailable: " << runner.sandbox_problem();
  for (const auto& [id, q] : cat->all()) {
    for (const auto& [lang, code] : q.reference) {
      Request r;
      r.language = lang;
      r.code = code;
      r.cpu_seconds = q.cpu_seconds.value_or(0);  // the question's own limit, as served
      for (const auto& t : q.tests) r.cases.push_back({t.name, t.stdin_data});
      Reply reply = runner.handle(r);
      ASSERT_FALSE(reply.error) << id << ": " << *reply.error;
      ASSERT_EQ(reply.cases.size(), q.tests.size());
      for (size_t i = 0; i < q.tests.size(); ++i) {
        EXPECT_EQ(reply.cases[i].verdict, Verdict::ok) << id << " " << q.tests[i].name << reply.cases[i].stderr_data;
        EXPECT_TRUE(output_matches(q.mode, q.tests[i].expected, reply.cases[i].stdout_data))
            << id << " " << lang << " " << q.tests[i].name;
      }
    }
  }
}

// Every starter compiles and runs to the end on the first sample in each language (it
// prints a wrong answer, which is the candidate's job to fix - but never a compile or
// runtime error, which would be ours).
TEST(TestCatalog, EveryStarterRunsInTheSandbox) {
  if (::access("/usr/bin/bwrap", X_OK) != 0) GTEST_SKIP() << "bubblewrap is not installed";
  ::prctl(PR_SET_CHILD_SUBREAPER, 1);
  auto cat = TestCatalog::load(std::string(MOCKLOOP_SOURCE_DIR) + "/content/coding_tests");
  ASSERT_TRUE(cat);
  SandboxConfig config;
  config.uid = ::geteuid() == 0 ? 60121 : 0;
  config.scratch = "/tmp/mockloop-starter-test-" + std::to_string(::getpid());
  Runner runner(config);
  if (!runner.sandbox_problem().empty()) GTEST_SKIP() << "sandbox unavailable: " << runner.sandbox_problem();
  for (const auto& [id, q] : cat->all()) {
    for (const auto& [lang, code] : q.starter) {
      Request r;
      r.language = lang;
      r.code = code;
      r.cases.push_back({q.tests.front().name, q.tests.front().stdin_data});
      Reply reply = runner.handle(r);
      ASSERT_FALSE(reply.error) << id << ": " << *reply.error;
      if (reply.compile) {
        EXPECT_EQ(reply.compile->verdict, Verdict::ok) << id << " " << lang << reply.compile->stderr_data;
      }
      for (const auto& c : reply.cases) EXPECT_EQ(c.verdict, Verdict::ok) << id << " " << lang << c.stderr_data;
    }
  }
}

}  // namespace
}  // namespace mockloop::runner
