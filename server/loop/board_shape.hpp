// One whiteboard shape as the server's renderer reads it from the board JSON
// (docs/board-model.md v2): the port of client-web/src/board/shape.ts. Unknown keys are
// ignored, a shape of an unknown type or without finite x/y/w/h is skipped, optional
// fields fall back to their documented defaults, and a shape's height already includes
// growing to fit its text (fit=grow). Pure.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace mockloop::loop {

inline constexpr double kBoardMaxCoordinate = 1e7;  // beyond: the shape is skipped / `points` void
inline constexpr size_t kBoardMaxPoints = 20000;  // numbers of `points` read; the rest ignored
inline constexpr double kBoardMaxStrokeWidth = 16;
inline constexpr double kBoardDefaultStrokeWidth = 2;
inline constexpr double kBoardDefaultFontSize = 16;
inline constexpr double kBoardMinFontSize = 8;
inline constexpr double kBoardMaxFontSize = 96;
inline constexpr const char* kBoardDefaultColour = "#1f2937";
inline constexpr const char* kBoardStickyFill = "#fde68a";

struct BoardShape {
  std::string id, type;
  double x = 0, y = 0, w = 0, h = 0, z = 0;
  std::optional<std::string> color, fill;  // fill "" = explicitly none
  std::string text;                        // "" = none
  std::optional<std::vector<double>> points;
  std::string from, to, dash, align, fit, heads, route, kind;  // "" = absent
  std::optional<double> stroke_width, font_size;
  double cx() const { return x + w / 2; }
  double cy() const { return y + h / 2; }
};

// `#rgb`, `#rgba`, `#rrggbb`, `#rrggbbaa`, lower-cased; nullopt otherwise.
std::optional<std::string> board_parse_colour(const nlohmann::json& v);

// The drawable shape stored under `id`, or nullopt (skipped, never fatal).
std::optional<BoardShape> board_read_shape(const std::string& id, const nlohmann::json& j);

// Every drawable shape of a board JSON (the `board` root map), sorted by z then id.
std::vector<BoardShape> board_read_shapes(const nlohmann::json& board);

}  // namespace mockloop::loop
