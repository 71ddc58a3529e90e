// Text layout for the board's server-side renderer: a port of client-web/src/board/
// text_layout.ts, line for line, so the debrief's SVG breaks text where the browser does.
// Widths come from the shared table (board_data.hpp); a width is an integer sum of
// 1/1000-em advances, scaled once. Pure; the table is parsed once, thread-safe after that.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace mockloop::loop {

inline constexpr double kBoardLineHeight = 1.25;  // x font size
inline constexpr double kBoardBaseline = 0.975;   // below a line's top, x font size
inline constexpr size_t kBoardMaxTextCodepoints = 4000;
inline constexpr size_t kBoardMaxLines = 200;

// The font-family the renderers write (from the table).
const std::string& board_font_family();

// Advance of one code point in 1/1000 em.
int64_t board_advance(uint32_t cp);
int64_t board_measure_units(std::string_view utf8);
double board_units_to_width(int64_t units, double font_size);
double board_text_width(std::string_view utf8, double font_size);

// Breaks `text` into lines no wider than `max_width` (infinity: at '\n' only); see
// text_layout.ts wrapText for the rules.
std::vector<std::string> board_wrap_text(std::string_view text, double font_size, double max_width);

}  // namespace mockloop::loop
