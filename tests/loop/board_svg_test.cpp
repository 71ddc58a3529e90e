// The server's board SVG: every icon of the shared shape library is drawn, colours in all
// four hex forms pass and nothing else does, wrapped lines carry their table width
// (textLength), numbers are written the way the client writes them.
#include "loop/board_svg.hpp"

#include <gtest/gtest.h>

#include "loop/board_data.hpp"

namespace mockloop::loop {
namespace {

TEST(BoardSvg, DrawsEveryIconOfTheSharedLibrary) {
  const auto lib = nlohmann::json::parse(board_shape_library_json());
  nlohmann::json board = {{"shapes", nlohmann::json::object()}};
  int i = 0;
  for (const auto& icon : lib.at("icons")) {
    board["shapes"]["i" + std::to_string(i)] = {{"type", "icon"}, {"kind", icon.at("kind")}, {"x", 150 * i}, {"y", 0},
                                               {"w", 140}, {"h", 90}, {"text", icon.at("label")}};
    ++i;
  }
  ASSERT_GE(i, 15);
  const auto svg = render_board_svg(board);
  for (const auto& icon : lib.at("icons")) {
    for (const auto& d : icon.at("paths")) EXPECT_NE(svg.find("<path d=\"" + d.get<std::string>() + "\"/>"), std::string::npos) << d;
  }
  // An unknown kind falls back to the generic component picture.
  const auto unknown = render_board_svg({{"shapes", {{"u", {{"type", "icon"}, {"kind", "quantum"}, {"x", 0}, {"y", 0}, {"w", 140}, {"h", 90}}}}}});
  EXPECT_NE(unknown.find("<path d=\"M4 4h16v16H4z\"/>"), std::string::npos) << unknown;
}

TEST(BoardSvg, AcceptsTheFourHexColourFormsOnly) {
  for (const char* c : {"#abc", "#abcd", "#aabbcc", "#aabbccdd"}) {
    const auto svg = render_board_svg({{"shapes", {{"r", {{"type", "rect"}, {"x", 0}, {"y", 0}, {"w", 9}, {"h", 9}, {"color", c}}}}}});
    EXPECT_NE(svg.find(std::string("stroke=\"") + c + "\""), std::string::npos) << c;
  }
  for (const char* c : {"#ab", "#abcde", "red", "#ggg", "#aabbccd"}) {
    const auto svg = render_board_svg({{"shapes", {{"r", {{"type", "rect"}, {"x", 0}, {"y", 0}, {"w", 9}, {"h", 9}, {"color", c}}}}}});
    EXPECT_NE(svg.find("stroke=\"#1f2937\""), std::string::npos) << c;
  }
}

TEST(BoardSvg, WrapsLabelsAndPinsEachLineWidth) {
  const auto svg = render_board_svg({{"shapes", {{"s", {{"type", "sticky"}, {"x", 0}, {"y", 0}, {"w", 160}, {"h", 60},
      {"text", "Sticky notes wrap their sentences instead of running across the neighbouring boxes"}}}}}});
  EXPECT_NE(svg.find(">Sticky notes wrap</text>"), std::string::npos) << svg;
  EXPECT_NE(svg.find("textLength=\"142.61\""), std::string::npos) << svg;
}

TEST(BoardSvg, WritesNumbersLikeTheClient) {
  EXPECT_EQ(board_svg_number(0), "0");
  EXPECT_EQ(board_svg_number(-0.001), "0");
  EXPECT_EQ(board_svg_number(10), "10");
  EXPECT_EQ(board_svg_number(1.5), "1.5");
  EXPECT_EQ(board_svg_number(2.676), "2.68");
  EXPECT_EQ(board_svg_number(-3.14159), "-3.14");
}

}  // namespace
}  // namespace mockloop::loop

namespace mockloop::loop {
namespace {

// Hostile or broken shapes: wrong types everywhere, huge numbers, markup in every string.
// The render never throws, skips what it cannot draw, and nothing a client wrote reaches
// the SVG unescaped.
TEST(BoardSvg, SurvivesHostileShapes) {
  const auto board = nlohmann::json::parse(R"x({"version":"x","shapes":{
    "a\"><script>":{"type":"rect","x":0,"y":0,"w":10,"h":10,"text":"</text><script>alert(1)</script>"},
    "b":{"type":"rect","x":1e308,"y":-1e308,"w":1e308,"h":1e308,"z":1e308,"fontSize":1e308,"strokeWidth":-1},
    "c":{"type":"arrow","x":0,"y":0,"w":0,"h":0,"points":[0,0,0,0],"from":"c","to":"c","heads":"<x>","route":{"a":1}},
    "d":{"type":"icon","kind":"\"><script>","x":0,"y":0,"w":0,"h":0,"text":["no"]},
    "e":{"type":"text","x":0,"y":0,"w":0,"h":0,"text":"\u0000\u200b\ud83d\ude80\n\n\n"},
    "f":{"type":"freehand","x":0,"y":0,"w":0,"h":0,"points":[0,0,"1",1]},
    "g":{"type":"frame","x":0,"y":0,"w":-5,"h":5,"fill":"url(#x)","color":"#12345g"},
    "h":{"type":"sticky","x":0,"y":0,"w":50,"h":50,"fit":"shrink","text":"word word word word word word word word word word word word"},
    "i":[1,2,3],
    "j":null}})x");
  std::string svg;
  ASSERT_NO_THROW(svg = render_board_svg(board));
  ASSERT_EQ(svg.rfind("<svg", 0), 0u);
  EXPECT_EQ(svg.find("<script"), std::string::npos);
  EXPECT_EQ(svg.find("url(#x)"), std::string::npos);
  EXPECT_NE(svg.find("data-shape-id=\"a&quot;&gt;&lt;script&gt;\""), std::string::npos);
  EXPECT_EQ(svg.find("data-shape-id=\"f\""), std::string::npos) << "a freehand with a non-number point is skipped";
  EXPECT_NE(svg.find("data-shape-id=\"d\""), std::string::npos) << "an icon with a bad kind draws the generic picture";
}

}  // namespace
}  // namespace mockloop::loop
