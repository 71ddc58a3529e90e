// The pool that checks /yjs tokens off the io threads, with each limit's default
// (--doc-auth-workers in app/options.cpp). Plain data.
#pragma once

#include <cstddef>

namespace mockloop::app {

struct DocAuthLimits {
  size_t workers = 1;          // SQLite behind LoopService's one mutex: more would only wait
  size_t max_queued = 1024;    // connections waiting for their check; over -> close 1013
};

}  // namespace mockloop::app
