// Blob columns as strings, shared by the stores that keep protobuf messages as opaque blobs
// (LoopStore, StudyStore): the byte view to bind a string as a blob, the string of a blob
// column, and the one "load one blob row" query. Same thread rules as Statement/Database.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "common/result.hpp"
#include "store/database.hpp"
#include "store/statement.hpp"

namespace mockloop::store {

// `s` as bytes for Statement::bind_blob_static (not copied: `s` must outlive the step).
std::span<const uint8_t> blob_bytes(std::string_view s);
// Column `col` of the current row as a string of its blob's bytes.
std::string column_blob_string(const Statement& st, int col);

// Runs `sql` (a SELECT of one blob column keyed by ?1, and ?2 when `key2` is given) and
// returns the first row's blob, or nullopt when there is no row.
Result<std::optional<std::string>> load_blob(Database& db, std::string_view sql, std::string_view key,
                                             std::optional<int64_t> key2 = std::nullopt);

}  // namespace mockloop::store
