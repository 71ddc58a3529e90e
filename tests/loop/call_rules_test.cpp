// Call rules: the signal limits and the listen-only check of descriptions.
#include "loop/call_rules.hpp"

#include <gtest/gtest.h>

#include "loop/call_limits.hpp"

using namespace mockloop;
using namespace mockloop::loop;

namespace {

v1::CallSignal offer(std::string sdp) {
  v1::CallSignal s;
  s.set_peer_id("p1");
  s.mutable_description()->set_type("offer");
  s.mutable_description()->set_sdp(std::move(sdp));
  return s;
}

const char* kSendRecv =
    "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\n"
    "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=sendrecv\r\n"
    "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:1\r\na=recvonly\r\n";
const char* kRecvOnly =
    "v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=mid:0\r\na=recvonly\r\n"
    "m=video 9 UDP/TLS/RTP/SAVPF 96\r\na=mid:1\r\na=inactive\r\n"
    "m=application 9 UDP/DTLS/SCTP webrtc-datachannel\r\na=mid:2\r\n";

}  // namespace

TEST(CallRules, DescriptionsThatSendMediaAreSeen) {
  EXPECT_TRUE(sdp_sends_media(kSendRecv));
  EXPECT_FALSE(sdp_sends_media(kRecvOnly));
  EXPECT_TRUE(sdp_sends_media("m=video 9 RTP/SAVPF 96\na=sendonly\n"));
  // No direction attribute means sendrecv.
  EXPECT_TRUE(sdp_sends_media("m=audio 9 RTP/SAVPF 111\na=mid:0\n"));
  // A rejected section (port 0) carries nothing.
  EXPECT_FALSE(sdp_sends_media("m=audio 0 RTP/SAVPF 111\na=sendrecv\n"));
}

TEST(CallRules, SignalsAreBoundedByNamedLimits) {
  EXPECT_TRUE(check_signal(offer(kSendRecv)).ok());
  auto big = check_signal(offer(std::string(kMaxCallSdpBytes + 1, 'a')));
  ASSERT_FALSE(big.ok());
  EXPECT_EQ(big.error().code, Errc::payload_too_large);
  auto bad_type = offer(kSendRecv);
  bad_type.mutable_description()->set_type("rollback");
  EXPECT_EQ(check_signal(bad_type).error().code, Errc::invalid_argument);
  v1::CallSignal empty;
  empty.set_peer_id("p1");
  EXPECT_EQ(check_signal(empty).error().code, Errc::invalid_argument);
  v1::CallSignal cand;
  cand.set_peer_id("p1");
  cand.mutable_candidate()->set_candidate(std::string(kMaxCallCandidateBytes + 1, 'c'));
  EXPECT_EQ(check_signal(cand).error().code, Errc::payload_too_large);
  cand.mutable_candidate()->set_candidate("candidate:1 1 udp 2122260223 192.168.1.2 50000 typ host");
  EXPECT_TRUE(check_signal(cand).ok());
  cand.set_peer_id(std::string(kMaxCallPeerIdBytes + 1, 'p'));
  EXPECT_EQ(check_signal(cand).error().code, Errc::invalid_argument);
}
