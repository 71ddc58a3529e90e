// Renders a room's whiteboard (the "board" root map of the shared doc, as JSON, per
// docs/board-model.md v1) to a standalone <svg> element for the debrief report. Unknown
// keys are ignored and malformed shapes skipped; every text is XML-escaped and colours
// are accepted only as #rrggbb, so the output is safe to inline in HTML. Pure; thread-safe.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace mockloop::loop {

// Returns "" when the board has no drawable shape.
std::string render_board_svg(const nlohmann::json& board);

}  // namespace mockloop::loop
