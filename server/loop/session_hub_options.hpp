// The session hubs' worker pool and queue limits (SessionHub on /session, StudyHub on
// /session/study), each with its default. Plain data, no dependencies, so the command line
// can hold it (--session-workers, --study-workers in app/options.cpp).
#pragma once

#include <cstddef>

namespace mockloop::loop {

// Each limit with its default; over one, the session closes with close_code(Errc::busy).
struct SessionHubOptions {
  size_t workers = 2;                  // threads running session messages and the tick
  size_t max_queued_per_session = 64;  // messages waiting in one session's queue
  size_t pause_reads_at = 16;          // a session's reads pause while this many wait
  size_t max_queued_sessions = 4096;   // sessions (and the tick) waiting for a worker
};

}  // namespace mockloop::loop
