// Document families (a deleted loop's documents): a base name and every stored document
// whose name starts with base + "-" (a round's doc and its notes and archive; a written
// work's draft and review docs). Names come from loop/doc_names; this module only matches
// prefixes in the "docs" tables (doc_snapshots, doc_log, doc_history, doc_checkpoints).
// Same thread rules as Database.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "common/result.hpp"
#include "store/database.hpp"

namespace mockloop::store {

// Every stored document name in the families of `bases`, sorted, each once.
Result<std::vector<std::string>> stored_docs_in_families(Database& db, const std::vector<std::string>& bases);

// Deletes every stored row (snapshot, log, history, checkpoints) of the families of `bases`
// in one transaction: for a tool that holds the database alone (`mockloop admin delete`,
// the server stopped). A running server removes documents through its Writer instead
// (room::DocRegistry::remove_families). Returns how many documents went.
Result<size_t> remove_doc_families(Database& db, const std::vector<std::string>& bases);

}  // namespace mockloop::store
