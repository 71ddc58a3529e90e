// How one MockLoop process opens its SQLite file: the lock and the checks before any
// connection opens it, and the options of each connection by what it writes.
//
// Durability by use: every connection commits in WAL mode; synchronous=NORMAL survives a
// crash of the process (kill -9), synchronous=FULL a power loss too (an fsync per commit).
// Decisions (submitted scorecards, loop changes) are rare and must not be lost: always
// FULL. Document updates are many and small: NORMAL unless --sync full.
#pragma once

#include "app/options.hpp"
#include "common/result.hpp"
#include "store/database.hpp"
#include "store/process_lock.hpp"

namespace mockloop::app {

enum class DbUse {
  documents,  // the room's writer and loader (store::Writer)
  decisions,  // LoopService: loops, invites, scorecards
  reads,      // connections that only read (authorizer, debrief reports)
};

store::DatabaseOptions database_options(const Options& options, DbUse use);

// Locks options.db_path (creating it when new), refuses an existing file that is empty,
// unreadable or not SQLite, and unless --skip-db-check runs PRAGMA quick_check on it.
// Errors (code "db") name the file and the problem.
Result<store::ProcessLock> lock_and_check_database(const Options& options);

}  // namespace mockloop::app
