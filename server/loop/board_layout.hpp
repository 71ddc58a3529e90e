// Where everything of a board shape is drawn - its box after fitting its text, its text
// lines, stroke and fill, an arrow's path: the port of client-web/src/board/layout.ts and
// geometry.ts (arrow paths). tests/fixtures/board/*.json pins it for both renderers
// (tests/loop/board_layout_test.cpp here, client-web/test/board_fixtures.test.ts there).
// Pure.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "loop/board_shape.hpp"

namespace mockloop::loop {

struct BoardBox {
  double x = 0, y = 0, w = 0, h = 0;
};

struct BoardTextLine {
  std::string text;
  double x = 0, y = 0, w = 0;  // anchor x, baseline, width by the font table
};

struct BoardTextBlock {
  double font_size = 16;
  std::string anchor;  // start | middle | end
  std::string colour;
  std::vector<BoardTextLine> lines;
};

struct BoardShapeLayout {
  std::string id, type;
  BoardBox box;
  std::string stroke, fill;
  double stroke_width = 2;
  std::string dash;  // solid | dashed | dotted
  std::optional<BoardTextBlock> text;
  std::optional<std::vector<double>> path;  // arrow, freehand: flat x0, y0, x1, y1, ...
  std::string heads;                        // arrows only
  std::string kind;                         // icons only
};

inline constexpr double kBoardIconLabelTop = 48;
inline constexpr double kBoardArrowLabelWidth = 160;

// The box a shape is drawn in once its text fits (fit=grow; auto-width text). {w, h}.
std::pair<double, double> board_fit_box(const BoardShape& s);

// The layout of every drawable shape of a board JSON, in drawing order.
std::vector<BoardShapeLayout> board_layout(const nlohmann::json& board);

// The fixture form of a layout (the keys tests/fixtures/board/README.md describes).
nlohmann::json board_layout_to_json(const BoardShapeLayout& l);

}  // namespace mockloop::loop
