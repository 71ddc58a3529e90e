# The whiteboard's shared data (font advance widths, icon paths) lives with the client in
# client-web/src/board/data/ and is compiled into mockloop_loop (loop/board_data.hpp), so
# the server's board renderer and the browser read the same bytes.
set(BOARD_DATA_DIR ${PROJECT_SOURCE_DIR}/client-web/src/board/data)
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS
  ${BOARD_DATA_DIR}/font_widths.json ${BOARD_DATA_DIR}/shape_library.json ${PROJECT_SOURCE_DIR}/server/loop/board_data.cpp.in)
file(READ ${BOARD_DATA_DIR}/font_widths.json BOARD_FONT_WIDTHS_JSON)
file(READ ${BOARD_DATA_DIR}/shape_library.json BOARD_SHAPE_LIBRARY_JSON)
configure_file(${PROJECT_SOURCE_DIR}/server/loop/board_data.cpp.in ${CMAKE_BINARY_DIR}/generated/loop/board_data.cpp @ONLY)
target_sources(mockloop_loop PRIVATE ${CMAKE_BINARY_DIR}/generated/loop/board_data.cpp)
