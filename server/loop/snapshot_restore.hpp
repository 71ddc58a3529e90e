// Restoring a round doc's board or code pad to an earlier state as a NEW change (issue 19):
// nothing is rewritten. Given the live doc's encoded state and the state wanted (the board
// as docs/board-model.md JSON, or the code pad's text and language), restore_update computes
// the Yjs update that makes that shared type equal to it, on a scratch copy of the live doc
// with a client id of its own. Applied to the live doc through the normal path (stored, kept
// in the history, broadcast), it reads like any participant's edit: shapes that differ get
// only their changed keys set, shapes that are gone are deleted, new ones added; the code
// text loses and gains only the span between the common prefix and suffix.
//
// Pure; thread-safe.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <span>
#include <string>
#include <vector>

#include "common/result.hpp"

namespace mockloop::loop {

enum class RestoreTarget { board, code };

struct RestoreWanted {
  nlohmann::json board = nlohmann::json::object();  // target board: the `board` root map as JSON
  std::string code;                                  // target code: the `code` text
  std::string language;                              // and codepad.language ("" = absent)
};

// The v1 update that makes `target` of the doc encoded in `live_state` (a v1 update from an
// empty doc) equal to `wanted`; empty when it already is. Errc::invalid_argument when
// `live_state` does not decode. The board's `version` is never lowered (docs/board-model.md).
Result<std::vector<uint8_t>> restore_update(std::span<const uint8_t> live_state, RestoreTarget target,
                                            const RestoreWanted& wanted);

}  // namespace mockloop::loop
