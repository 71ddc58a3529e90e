// The shared board fixtures (tests/fixtures/board/*.json): the server's layout of each
// fixture's board must equal its `expect`, the same files client-web/test/
// board_fixtures.test.ts checks the browser's layout against.
#include "loop/board_layout.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "loop/board_svg.hpp"
#include "loop/board_text.hpp"

namespace mockloop::loop {
namespace {

namespace fs = std::filesystem;

// "" when equal (numbers within 0.001), else where they differ.
std::string diff(const nlohmann::json& a, const nlohmann::json& b, const std::string& path) {
  if (a.is_number() && b.is_number())
    return std::abs(a.get<double>() - b.get<double>()) <= 1e-3 ? "" : path + ": " + a.dump() + " != " + b.dump();
  if (a.is_array() && b.is_array()) {
    if (a.size() != b.size()) return path + ": length " + std::to_string(a.size()) + " != " + std::to_string(b.size());
    for (size_t i = 0; i < a.size(); ++i)
      if (auto d = diff(a[i], b[i], path + "[" + std::to_string(i) + "]"); !d.empty()) return d;
    return "";
  }
  if (a.is_object() && b.is_object()) {
    if (a.size() != b.size()) return path + ": keys " + a.dump() + " vs " + b.dump();
    for (const auto& [k, v] : a.items()) {
      if (!b.contains(k)) return path + ": missing " + k;
      if (auto d = diff(v, b.at(k), path + "." + k); !d.empty()) return d;
    }
    return "";
  }
  return a == b ? "" : path + ": " + a.dump() + " != " + b.dump();
}

std::vector<fs::path> fixture_files() {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(fs::path(MOCKLOOP_TESTS_DIR) / "fixtures" / "board"))
    if (e.path().extension() == ".json") out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(BoardFixtures, ServerLayoutEqualsEveryFixture) {
  const auto files = fixture_files();
  ASSERT_GE(files.size(), 4u);
  for (const auto& f : files) {
    std::ifstream in(f);
    std::stringstream ss;
    ss << in.rdbuf();
    const auto fx = nlohmann::json::parse(ss.str());
    auto got = nlohmann::json::array();
    for (const auto& l : board_layout(fx.at("board"))) got.push_back(board_layout_to_json(l));
    EXPECT_EQ(diff(got, fx.at("expect"), "expect"), "") << f.filename();
    // The exact SVG of every shape, as the client writes it (client-web/src/board/render.ts).
    const std::string svg = render_board_svg(fx.at("board"));
    std::vector<std::string> shapes;
    const std::string open = "<g data-shape-id=";
    for (size_t at = svg.find(open); at != std::string::npos;) {
      const size_t next = svg.find(open, at + 1);
      shapes.push_back(svg.substr(at, (next == std::string::npos ? svg.rfind("</svg>") : next) - at));
      at = next;
    }
    const auto& want = fx.at("markup");
    ASSERT_EQ(shapes.size(), want.size()) << f.filename();
    for (size_t i = 0; i < shapes.size(); ++i) EXPECT_EQ(shapes[i], want[i].get<std::string>()) << f.filename() << " shape " << i;
  }
}

TEST(BoardText, WrapsAtSpacesBreaksLongWordsAndKeepsParagraphs) {
  // 16px DejaVu Sans: "aaaa" is 4 x 613 / 1000 x 16 = 39.2 wide.
  EXPECT_EQ(board_wrap_text("aaaa aaaa", 16, 50), (std::vector<std::string>{"aaaa", "aaaa"}));
  EXPECT_EQ(board_wrap_text("aaaa aaaa", 16, 1000), (std::vector<std::string>{"aaaa aaaa"}));
  EXPECT_EQ(board_wrap_text("aaaaaaaa", 16, 30), (std::vector<std::string>{"aaa", "aaa", "aa"}));
  EXPECT_EQ(board_wrap_text("a\n\nb\n", 16, 100), (std::vector<std::string>{"a", "", "b", ""}));
  EXPECT_EQ(board_wrap_text("", 16, 100), (std::vector<std::string>{""}));
  EXPECT_EQ(board_wrap_text("x\r\ny", 16, 100), (std::vector<std::string>{"x", "y"}));
}

TEST(BoardText, BoundsLinesAndCodepoints) {
  std::string many;
  for (int i = 0; i < 1000; ++i) many += "a\n";
  EXPECT_EQ(board_wrap_text(many, 16, 100).size(), kBoardMaxLines);
  EXPECT_EQ(board_measure_units(std::string(10000, 'a')), board_measure_units(std::string(10000, 'a')));
  const auto long_line = board_wrap_text(std::string(10000, 'a'), 16, std::numeric_limits<double>::infinity());
  ASSERT_EQ(long_line.size(), 1u);
  EXPECT_EQ(long_line[0].size(), kBoardMaxTextCodepoints);
  EXPECT_GT(board_measure_units("\xff\xfe"), 0) << "invalid UTF-8 measures as replacement characters";
}

}  // namespace
}  // namespace mockloop::loop
