// Renders a room's whiteboard (the "board" root map of the shared doc, as JSON, per
// docs/board-model.md v2) to a standalone <svg> element for the debrief report: the same
// elements client-web/src/board/render.ts draws for the same layout (board_layout.hpp).
// Unknown keys and types are ignored and malformed shapes skipped; every text is
// XML-escaped and colours reach attributes only as validated hex, so the output is safe to
// inline in HTML. Pure; thread-safe.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace mockloop::loop {

// Returns "" when the board has no drawable shape.
std::string render_board_svg(const nlohmann::json& board);

// A number as both renderers write it: rounded to 2 decimals, no trailing zeros.
std::string board_svg_number(double v);

}  // namespace mockloop::loop
