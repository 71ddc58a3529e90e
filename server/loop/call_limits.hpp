// Named limits and options of calls (loop/call_hub.hpp). Everything a client controls in
// call signalling is bounded here, each limit with its default beside it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace mockloop::loop {

inline constexpr std::size_t kMaxCallPeers = 6;              // members of one round's call: 6
inline constexpr std::size_t kMaxCallSdpBytes = 32 * 1024;   // one offer or answer: 32 KiB
inline constexpr std::size_t kMaxCallCandidateBytes = 1024;  // one ICE candidate line: 1 KiB
inline constexpr std::size_t kMaxCallSdpMidBytes = 64;       // an m-line id: 64 bytes
inline constexpr std::size_t kMaxCallUfragBytes = 256;       // an ICE username fragment: 256 bytes
inline constexpr std::size_t kMaxCallPeerIdBytes = 64;       // a participant id in a signal: 64 bytes
// Signals (descriptions and candidates) one session may send: 20 per second, bursts of 80
// (a join to 5 peers with an ICE restart). Past it the session's reads are paused.
inline constexpr double kCallSignalsPerSecond = 20;
inline constexpr double kCallSignalBurst = 80;
inline constexpr std::size_t kMaxIceServers = 8;             // --ice-server flags: 8
inline constexpr std::size_t kMaxIceServerUrlBytes = 512;    // one --ice-server URL: 512 bytes

// How peers reach each other (app flags --ice-server, --turn-secret, --turn-ttl).
struct CallOptions {
  // stun:, turn: or turns: URLs. TURN URLs get credentials when turn_secret is set.
  std::vector<std::string> ice_servers;
  // coturn's static-auth-secret (use-auth-secret): empty = no TURN credentials.
  std::string turn_secret;
  std::chrono::seconds turn_ttl{3600};  // life of issued TURN credentials: 1 hour
};

}  // namespace mockloop::loop
