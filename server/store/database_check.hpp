// Checks that run before the server trusts a database file it did not create. SQLite opens
// a 0-byte file as a new, empty database without a word, so a truncated file, or one made
// by `touch` in place of a restore, would start the server with no loops and no documents;
// and a damaged file is better refused at start than found page by page while serving.
//
// Free functions; no state. Thread-safe.
#pragma once

#include <string>

#include "common/result.hpp"
#include "store/database.hpp"

namespace mockloop::store {

// For a path that exists: refuses ("db_unusable", naming the file and what is wrong) a file
// that is not a regular file, cannot be read, is empty (0 bytes), or does not start with the
// SQLite header. Call it only when the file existed before this process looked (a new path
// is created empty by ProcessLock::acquire and then filled by SQLite).
Result<void> check_database_file(const std::string& path);

// Runs PRAGMA quick_check on `db` (O(size) reading, no index cross-check). Refuses
// ("db_corrupt") naming the file and the first problem SQLite reports.
Result<void> quick_check(Database& db);

}  // namespace mockloop::store
