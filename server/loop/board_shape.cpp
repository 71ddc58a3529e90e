#include "loop/board_shape.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>

#include "loop/board_layout.hpp"

namespace mockloop::loop {
namespace {

const std::vector<std::string> kTypes = {"rect", "ellipse", "diamond", "arrow", "text", "sticky", "freehand", "frame", "icon"};

std::optional<double> num(const nlohmann::json& j, const char* k) {
  auto it = j.find(k);
  if (it == j.end() || !it->is_number()) return std::nullopt;
  const double v = it->get<double>();
  return std::isfinite(v) ? std::optional(v) : std::nullopt;
}

std::string str(const nlohmann::json& j, const char* k) {
  auto it = j.find(k);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string one_of(const nlohmann::json& j, const char* k, std::initializer_list<const char*> allowed) {
  std::string v = str(j, k);
  for (const char* a : allowed)
    if (v == a) return v;
  return "";
}

bool is_kind(const std::string& k) {
  return !k.empty() && k.size() <= 32 && std::all_of(k.begin(), k.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
  });
}

}  // namespace

std::optional<std::string> board_parse_colour(const nlohmann::json& v) {
  if (!v.is_string()) return std::nullopt;
  std::string s = v.get<std::string>();
  const size_t n = s.size();
  if (s.empty() || s[0] != '#' || !(n == 4 || n == 5 || n == 7 || n == 9)) return std::nullopt;
  for (size_t i = 1; i < n; ++i) {
    if (!std::isxdigit(static_cast<unsigned char>(s[i]))) return std::nullopt;
    s[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[i])));
  }
  return s;
}

std::optional<BoardShape> board_read_shape(const std::string& id, const nlohmann::json& j) {
  if (!j.is_object()) return std::nullopt;
  BoardShape s;
  s.id = id;
  s.type = str(j, "type");
  if (std::find(kTypes.begin(), kTypes.end(), s.type) == kTypes.end()) return std::nullopt;
  const auto x = num(j, "x"), y = num(j, "y"), w = num(j, "w"), h = num(j, "h");
  if (!x || !y || !w || !h) return std::nullopt;
  for (double v : {*x, *y, *w, *h})
    if (std::abs(v) > kBoardMaxCoordinate) return std::nullopt;
  s.x = *x, s.y = *y, s.w = std::max(0.0, *w), s.h = std::max(0.0, *h);
  s.z = num(j, "z").value_or(0);
  if (auto it = j.find("color"); it != j.end()) s.color = board_parse_colour(*it);
  if (auto it = j.find("fill"); it != j.end()) {
    if (it->is_string() && it->get<std::string>().empty()) s.fill = "";
    else s.fill = board_parse_colour(*it);
  }
  s.text = str(j, "text");
  if (auto it = j.find("points"); it != j.end() && it->is_array()) {
    std::vector<double> p;
    bool ok = true;
    for (const auto& v : *it) {
      if (!v.is_number() || !std::isfinite(v.get<double>()) || std::abs(v.get<double>()) > kBoardMaxCoordinate) {
        ok = false;
        break;
      }
      if (p.size() < kBoardMaxPoints) p.push_back(v.get<double>());
    }
    if (ok) {
      if (p.size() % 2) p.pop_back();
      s.points = std::move(p);
    }
  }
  const size_t npoints = s.points ? s.points->size() : 0;
  if (s.type == "freehand" && npoints < 4) return std::nullopt;
  if (s.type == "arrow" && npoints < 4) s.points = std::vector<double>{s.x, s.y, s.x + s.w, s.y + s.h};
  s.from = str(j, "from");
  s.to = str(j, "to");
  if (auto sw = num(j, "strokeWidth"); sw && *sw > 0) s.stroke_width = std::min(*sw, kBoardMaxStrokeWidth);
  s.dash = one_of(j, "dash", {"dashed", "dotted"});
  if (auto fs = num(j, "fontSize")) s.font_size = std::min(kBoardMaxFontSize, std::max(kBoardMinFontSize, *fs));
  s.align = one_of(j, "align", {"left", "center", "right"});
  s.fit = one_of(j, "fit", {"grow", "shrink", "none"});
  s.heads = one_of(j, "heads", {"none", "start", "end", "both"});
  s.route = one_of(j, "route", {"straight", "elbow"});
  if (std::string k = str(j, "kind"); is_kind(k)) s.kind = k;
  const auto [fw, fh] = board_fit_box(s);
  s.w = fw;
  if (fh > s.h) s.h = fh;
  return s;
}

std::vector<BoardShape> board_read_shapes(const nlohmann::json& board) {
  std::vector<BoardShape> out;
  if (!board.is_object()) return out;
  auto it = board.find("shapes");
  if (it == board.end() || !it->is_object()) return out;
  for (const auto& [id, j] : it->items())
    if (auto s = board_read_shape(id, j)) out.push_back(std::move(*s));
  std::sort(out.begin(), out.end(), [](const BoardShape& a, const BoardShape& b) {
    return a.z != b.z ? a.z < b.z : a.id < b.id;
  });
  return out;
}

}  // namespace mockloop::loop
