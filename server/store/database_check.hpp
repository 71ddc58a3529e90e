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

// Creates a new, empty SQLite database at `path` (WAL mode, options.page_size) unless a
// file is there already, without ever leaving a partial file at `path`: it is built under a
// temporary name beside it and hard-linked into place (which never replaces a file), so a
// crash at any moment leaves either no file or a valid empty database. Returns true when it
// created the file, false when one existed (made by someone else meanwhile included).
// A symbolic link to a missing file is an error (a volume not mounted?), not a new path.
Result<bool> create_database_file(const std::string& path, const DatabaseOptions& options);

// Runs PRAGMA quick_check on `db` (O(size) reading, no index cross-check). Refuses
// ("db_corrupt") naming the file and the first problem SQLite reports.
Result<void> quick_check(Database& db);

// Writes a consistent copy of `db` to `path` (VACUUM INTO: safe while other connections,
// a running server's included, read and write). Refuses an existing `path`.
Result<void> backup_to(Database& db, const std::string& path);

}  // namespace mockloop::store
