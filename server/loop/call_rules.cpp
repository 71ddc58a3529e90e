#include "loop/call_rules.hpp"

#include "loop/call_limits.hpp"

namespace mockloop::loop {

Result<CallRights> call_rights(LoopService& service, const Principal& p, uint32_t round, bool talk_granted) {
  auto progress = service.progress(p);
  if (!progress) return progress.error();
  const uint32_t current = progress->current_round();
  using policy::Action;
  using policy::Resource;
  if (auto ok = permit(p, p.loop_id, Resource::call, Action::read, round, false, current); !ok) return ok.error();
  CallRights r;
  r.talk = permitted(p, p.loop_id, Resource::call, Action::write, round, false, current) ||
           (p.role() == v1::ROLE_OBSERVER && talk_granted);
  r.moderate = permitted(p, p.loop_id, Resource::call_moderation, Action::write);
  return r;
}

Result<void> check_signal(const v1::CallSignal& signal) {
  if (signal.peer_id().empty() || signal.peer_id().size() > kMaxCallPeerIdBytes)
    return make_error(Errc::invalid_argument, "call signal: peer_id must be 1 to " +
                                                  std::to_string(kMaxCallPeerIdBytes) + " bytes");
  switch (signal.body_case()) {
    case v1::CallSignal::kDescription: {
      const auto& d = signal.description();
      if (d.type() != "offer" && d.type() != "answer")
        return make_error(Errc::invalid_argument, "call signal: description type must be offer or answer");
      if (d.sdp().empty()) return make_error(Errc::invalid_argument, "call signal: empty sdp");
      if (d.sdp().size() > kMaxCallSdpBytes)
        return make_error(Errc::payload_too_large,
                          "call signal: sdp over " + std::to_string(kMaxCallSdpBytes) + " bytes");
      return {};
    }
    case v1::CallSignal::kCandidate: {
      const auto& c = signal.candidate();
      if (c.candidate().size() > kMaxCallCandidateBytes || c.sdp_mid().size() > kMaxCallSdpMidBytes ||
          c.username_fragment().size() > kMaxCallUfragBytes)
        return make_error(Errc::payload_too_large, "call signal: candidate field over its limit");
      return {};
    }
    default:
      return make_error(Errc::invalid_argument, "call signal: no description or candidate");
  }
}

bool sdp_sends_media(std::string_view sdp) {
  bool in_media = false;  // the current m-section is audio or video and not rejected
  bool direction_seen = false;
  bool sends = false;
  auto end_section = [&] {
    if (in_media && !direction_seen) sends = true;  // no direction attribute: sendrecv
  };
  size_t pos = 0;
  while (pos < sdp.size()) {
    size_t eol = sdp.find('\n', pos);
    if (eol == std::string_view::npos) eol = sdp.size();
    std::string_view line = sdp.substr(pos, eol - pos);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    pos = eol + 1;
    if (line.starts_with("m=")) {
      end_section();
      direction_seen = false;
      const bool av = line.starts_with("m=audio ") || line.starts_with("m=video ");
      // Port 0 rejects the section (it carries nothing).
      const auto port_at = line.find(' ');
      const bool rejected = port_at != std::string_view::npos && line.substr(port_at + 1).starts_with("0 ");
      in_media = av && !rejected;
      continue;
    }
    if (!in_media) continue;
    if (line == "a=sendrecv" || line == "a=sendonly") {
      direction_seen = true;
      sends = true;
    } else if (line == "a=recvonly" || line == "a=inactive") {
      direction_seen = true;
    }
  }
  end_section();
  return sends;
}

}  // namespace mockloop::loop
