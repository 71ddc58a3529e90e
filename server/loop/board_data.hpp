// The whiteboard's shared data files, compiled in from client-web/src/board/data/ (the
// client bundles the same files): the font's advance widths and the shape library's icons.
#pragma once

#include <string_view>

namespace mockloop::loop {

// client-web/src/board/data/font_widths.json
std::string_view board_font_widths_json();
// client-web/src/board/data/shape_library.json
std::string_view board_shape_library_json();

}  // namespace mockloop::loop
