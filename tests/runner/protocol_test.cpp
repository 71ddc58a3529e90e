// Frames, messages and flags of the runner protocol.
#include <gtest/gtest.h>

#include "runner/flags.hpp"
#include "runner/frame.hpp"
#include "runner/protocol.hpp"

namespace mockloop::runner {
namespace {

TEST(Frame, RoundTripsSplitAcrossFeeds) {
  const std::string wire = encode_frame("hello") + encode_frame("") + encode_frame("x");
  FrameReader r(100);
  r.feed(wire.substr(0, 3));
  EXPECT_FALSE(r.next());
  r.feed(wire.substr(3, 6));
  auto a = r.next();
  ASSERT_TRUE(a);
  EXPECT_EQ(*a, "hello");
  r.feed(wire.substr(9));
  EXPECT_EQ(r.next().value(), "");
  EXPECT_EQ(r.next().value(), "x");
  EXPECT_FALSE(r.next());
}

TEST(Frame, RefusesOversizedFrame) {
  FrameReader r(4);
  r.feed(encode_frame("12345"));
  EXPECT_FALSE(r.next());
  EXPECT_TRUE(r.failed());
}

TEST(Protocol, RequestRoundTrip) {
  Request q;
  q.id = 7;
  q.language = "python";
  q.code = "print(1)";
  q.cases = {{"sample 1", "1 2\n"}};
  auto d = decode_request(encode_request(q));
  ASSERT_TRUE(d);
  EXPECT_EQ(d->id, 7u);
  EXPECT_EQ(d->language, "python");
  EXPECT_EQ(d->cases.at(0).stdin_data, "1 2\n");
}

TEST(Protocol, RefusesBadRequests) {
  EXPECT_FALSE(decode_request("[]"));
  EXPECT_FALSE(decode_request(R"({"op":"rm"})"));
  EXPECT_FALSE(decode_request(R"({"op":"run","language":"python","code":"","cases":[]})"));
  Request q;
  q.code = std::string(kMaxCodeBytes + 1, 'x');
  q.cases = {{"a", ""}};
  auto d = decode_request(encode_request(q));
  ASSERT_FALSE(d);
  EXPECT_EQ(d.error().code, Errc::payload_too_large);
}

TEST(Protocol, ReplyRoundTrip) {
  Reply r;
  r.id = 3;
  CaseOutput c;
  c.name = "t";
  c.verdict = Verdict::time_limit;
  c.stdout_data = std::string("\xff\x01", 2);  // not UTF-8: replaced, never throws
  r.cases.push_back(c);
  r.runtimes.push_back({"python", "Python 3", "Python 3.11", true, ""});
  auto d = decode_reply(encode_reply(r));
  ASSERT_TRUE(d);
  EXPECT_EQ(d->cases.at(0).verdict, Verdict::time_limit);
  EXPECT_TRUE(d->runtimes.at(0).available);
}

TEST(Protocol, VerdictNames) {
  EXPECT_EQ(verdict_name(Verdict::sandbox_error), "SANDBOX_ERROR");
  EXPECT_EQ(verdict_of("WRONG_ANSWER"), Verdict::wrong_answer);
  EXPECT_FALSE(verdict_of("NOPE"));
}

TEST(Flags, DefaultsMatchTheIssue) {
  SandboxConfig c;
  EXPECT_EQ(c.limits.cpu_seconds, 3u);
  EXPECT_EQ(c.limits.wall_ms, 10000u);
  EXPECT_EQ(c.limits.memory_mib, 256u);
  EXPECT_EQ(c.limits.processes, 64u);
  EXPECT_EQ(c.limits.file_mib, 1u);
  EXPECT_EQ(c.limits.tmpfs_mib, 16u);
  EXPECT_EQ(c.limits.output_kib, 64u);
}

TEST(Flags, RoundTripAndRefusals) {
  SandboxConfig c;
  c.bwrap = "/x/bwrap";
  c.uid = 60001;
  c.limits.cpu_seconds = 1;
  auto back = parse_flags(runner_flags(c));
  ASSERT_TRUE(back);
  EXPECT_EQ(back->bwrap, "/x/bwrap");
  EXPECT_EQ(back->uid, 60001u);
  EXPECT_EQ(back->limits.cpu_seconds, 1u);
  EXPECT_FALSE(parse_flags({"--cpu-seconds=0"}));
  EXPECT_FALSE(parse_flags({"--cpu-seconds=x"}));
  EXPECT_FALSE(parse_flags({"--nope=1"}));
  EXPECT_FALSE(parse_flags({"cpu"}));
}

}  // namespace
}  // namespace mockloop::runner
