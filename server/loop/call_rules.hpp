// Call rules (issue 17): who may join, talk in and moderate a round's call (the policy
// table's `call` and `call_moderation` cells, loop/policy.hpp), and the checks a signal
// passes before it is relayed (the limits in loop/call_limits.hpp, and that a listen-only
// member's descriptions send no media). Pure functions but call_rights (reads where the
// loop is from LoopService); thread-safe.
#pragma once

#include <cstdint>
#include <string_view>

#include "common/result.hpp"
#include "loop/loop_service.hpp"
#include "loop/principal.hpp"
#include "session.pb.h"

namespace mockloop::loop {

struct CallRights {
  bool talk = false;      // may send audio and video (else listen-only)
  bool moderate = false;  // may let observers talk (CallAllowTalk)
};

// The rights of `p` in the call of `round` of its own loop; `talk_granted`: the host has let
// this observer talk. Refused (Errc::forbidden / unauthenticated) when `p` may not join the
// call at all: interviewers outside their rounds, the candidate outside the current round.
Result<CallRights> call_rights(LoopService& service, const Principal& p, uint32_t round, bool talk_granted);

// Errc::invalid_argument or payload_too_large for a signal with no body, an unknown
// description type, or a field over its limit.
Result<void> check_signal(const v1::CallSignal& signal);

// Whether an SDP sends audio or video: an audio or video m-section whose direction is
// sendrecv or sendonly, or not given (sendrecv by default). Rejected and inactive sections,
// and data channels, do not count.
bool sdp_sends_media(std::string_view sdp);

}  // namespace mockloop::loop
