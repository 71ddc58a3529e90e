#include "loop/board_layout.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <map>

#include "loop/board_text.hpp"

namespace mockloop::loop {
namespace {

constexpr double kPad = 8;
constexpr double kEllipseK = 0.7071067811865476;
constexpr double kInf = std::numeric_limits<double>::infinity();
constexpr double kFrameFontSize = 14;
constexpr const char* kFrameStroke = "#9ca3af";
constexpr const char* kFrameLabelColour = "#4b5563";
constexpr const char* kIconFill = "#ffffff";

struct Pt {
  double x = 0, y = 0;
};

bool is_boxed(const std::string& t) {
  return t == "rect" || t == "ellipse" || t == "diamond" || t == "sticky" || t == "icon";
}

BoardBox text_area(const std::string& type, const BoardBox& b) {
  double w = 0, h = 0;
  if (type == "ellipse") {
    w = b.w * kEllipseK - 4;
    h = b.h * kEllipseK - 4;
    return {b.x + (b.w - w) / 2, b.y + (b.h - h) / 2, w, h};
  }
  if (type == "diamond") {
    w = b.w * 0.5 - 4;
    h = b.h * 0.5 - 4;
    return {b.x + (b.w - w) / 2, b.y + (b.h - h) / 2, w, h};
  }
  if (type == "icon") return {b.x + kPad, b.y + kBoardIconLabelTop, b.w - 2 * kPad, b.h - kBoardIconLabelTop - kPad};
  if (type == "text") return {b.x + 4, b.y + 4, b.w - 8, b.h - 8};
  return {b.x + kPad, b.y + kPad, b.w - 2 * kPad, b.h - 2 * kPad};
}

double needed_height(const std::string& type, double text_height) {
  if (type == "ellipse") return (text_height + 4) / kEllipseK;
  if (type == "diamond") return (text_height + 4) * 2;
  if (type == "icon") return text_height + kBoardIconLabelTop + kPad;
  if (type == "text") return text_height + 8;
  return text_height + 2 * kPad;
}

bool has_label(const BoardShape& s) { return !s.text.empty() && (s.type == "text" || is_boxed(s.type)); }
bool auto_width(const BoardShape& s) { return s.type == "text" && s.w <= 8; }

std::vector<std::string> wrap_for(const BoardShape& s, double font_size, const BoardBox& area) {
  return board_wrap_text(s.text, font_size, auto_width(s) ? kInf : area.w);
}

BoardBox box_of(const BoardShape& s) { return {s.x, s.y, s.w, s.h}; }

BoardTextBlock block(const std::vector<std::string>& lines, double font_size, const char* anchor, double x, double top,
                     const std::string& colour) {
  const double lh = font_size * kBoardLineHeight;
  BoardTextBlock b;
  b.font_size = font_size;
  b.anchor = anchor;
  b.colour = colour;
  for (size_t i = 0; i < lines.size(); ++i)
    b.lines.push_back({lines[i], x, top + static_cast<double>(i) * lh + kBoardBaseline * font_size,
                       board_text_width(lines[i], font_size)});
  return b;
}

std::optional<BoardTextBlock> layout_label(const BoardShape& s) {
  if (!has_label(s)) return std::nullopt;
  const BoardBox area = text_area(s.type, box_of(s));
  double font_size = s.font_size.value_or(kBoardDefaultFontSize);
  auto lines = wrap_for(s, font_size, area);
  if (s.fit == "shrink") {
    while (static_cast<double>(lines.size()) * font_size * kBoardLineHeight > area.h && font_size > kBoardMinFontSize) {
      font_size = std::max(kBoardMinFontSize, font_size - 1);
      lines = wrap_for(s, font_size, area);
    }
  }
  const double th = static_cast<double>(lines.size()) * font_size * kBoardLineHeight;
  const double top = s.type == "text" ? area.y : area.y + area.h / 2 - th / 2;
  const std::string align = !s.align.empty() ? s.align : s.type == "text" ? "left" : "center";
  const std::string colour = s.color.value_or(kBoardDefaultColour);
  if (align == "left") return block(lines, font_size, "start", area.x, top, colour);
  if (align == "right") return block(lines, font_size, "end", area.x + area.w, top, colour);
  return block(lines, font_size, "middle", area.x + area.w / 2, top, colour);
}

Pt centre(const BoardShape& s) { return {s.x + s.w / 2, s.y + s.h / 2}; }

// geometry.ts boxExit: where the ray from the centre towards `toward` leaves the box.
Pt box_exit(const BoardShape& s, Pt toward) {
  const Pt c = centre(s);
  const double dx = toward.x - c.x, dy = toward.y - c.y;
  const double hw = s.w / 2, hh = s.h / 2;
  if (dx == 0 && dy == 0) return c;
  const double tx = dx != 0 ? hw / std::abs(dx) : kInf;
  const double ty = dy != 0 ? hh / std::abs(dy) : kInf;
  const double t = std::min(tx, ty);
  if (t >= 1) return c;
  return {c.x + dx * t, c.y + dy * t};
}

Pt side_mid(const BoardShape& b, Pt toward, bool horizontal) {
  const Pt c = centre(b);
  if (horizontal) return {toward.x >= c.x ? b.x + b.w : b.x, c.y};
  return {c.x, toward.y >= c.y ? b.y + b.h : b.y};
}

using Lookup = std::map<std::string, const BoardShape*>;

const BoardShape* attachable(const Lookup& by_id, const std::string& id) {
  if (id.empty()) return nullptr;
  auto it = by_id.find(id);
  return it == by_id.end() || it->second->type == "arrow" ? nullptr : it->second;
}

// geometry.ts arrowPath.
std::vector<Pt> arrow_path(const BoardShape& a, const Lookup& by_id) {
  const auto& p = *a.points;
  Pt s{p[0], p[1]}, e{p[2], p[3]};
  const BoardShape* from = attachable(by_id, a.from);
  const BoardShape* to = attachable(by_id, a.to);
  const Pt start_ref = from ? centre(*from) : s;
  const Pt end_ref = to ? centre(*to) : e;
  if (a.route != "elbow") {
    if (from) s = box_exit(*from, end_ref);
    if (to) e = box_exit(*to, start_ref);
    return {s, e};
  }
  const bool horizontal = std::abs(end_ref.x - start_ref.x) >= std::abs(end_ref.y - start_ref.y);
  if (from) s = side_mid(*from, end_ref, horizontal);
  if (to) e = side_mid(*to, start_ref, horizontal);
  if (horizontal) {
    const double mx = (s.x + e.x) / 2;
    return {s, {mx, s.y}, {mx, e.y}, e};
  }
  const double my = (s.y + e.y) / 2;
  return {s, {s.x, my}, {e.x, my}, e};
}

BoardBox bounds_of(const std::vector<double>& flat) {
  if (flat.size() < 2) return {};
  double minx = kInf, miny = kInf, maxx = -kInf, maxy = -kInf;
  for (size_t i = 0; i + 1 < flat.size(); i += 2) {
    minx = std::min(minx, flat[i]);
    maxx = std::max(maxx, flat[i]);
    miny = std::min(miny, flat[i + 1]);
    maxy = std::max(maxy, flat[i + 1]);
  }
  return {minx, miny, maxx - minx, maxy - miny};
}

BoardShapeLayout layout_shape(const BoardShape& s, const Lookup& by_id) {
  BoardShapeLayout out;
  out.id = s.id;
  out.type = s.type;
  out.box = box_of(s);
  out.stroke = s.color.value_or(s.type == "frame" ? kFrameStroke : kBoardDefaultColour);
  const std::string fill = s.fill.value_or("");
  out.fill = !fill.empty() ? fill : s.type == "sticky" ? kBoardStickyFill : s.type == "icon" ? kIconFill : "none";
  out.stroke_width = s.stroke_width.value_or(s.type == "frame" ? 1.5 : kBoardDefaultStrokeWidth);
  out.dash = s.dash.empty() ? "solid" : s.dash;
  if (s.type == "arrow") {
    const auto path = arrow_path(s, by_id);
    std::vector<double> flat;
    for (const Pt& q : path) flat.insert(flat.end(), {q.x, q.y});
    out.box = bounds_of(flat);
    out.path = std::move(flat);
    out.heads = s.heads.empty() ? "end" : s.heads;
    if (!s.text.empty()) {
      const double fs = s.font_size.value_or(kBoardDefaultFontSize);
      const auto lines = board_wrap_text(s.text, fs, kBoardArrowLabelWidth);
      const Pt a = path.size() >= 4 ? path[1] : path[0];
      const Pt b = path.size() >= 4 ? path[2] : path[path.size() - 1];
      const Pt mid{(a.x + b.x) / 2, (a.y + b.y) / 2};
      out.text = block(lines, fs, "middle", mid.x, mid.y - (static_cast<double>(lines.size()) * fs * kBoardLineHeight) / 2,
                       out.stroke);
    }
  } else if (s.type == "freehand") {
    out.path = *s.points;
    out.box = bounds_of(*out.path);
  } else if (s.type == "frame") {
    const double fs = s.font_size.value_or(kFrameFontSize);
    const auto lines = board_wrap_text(s.text.empty() ? "Frame" : s.text, fs, kInf);
    out.text = block({lines.empty() ? std::string() : lines[0]}, fs, "start", s.x + 2, s.y - 8 - kBoardBaseline * fs,
                     kFrameLabelColour);
  } else {
    out.text = layout_label(s);
    if (s.type == "icon") out.kind = s.kind.empty() ? "generic" : s.kind;
  }
  return out;
}

double r3(double v) { return std::round(v * 1000) / 1000; }

}  // namespace

std::pair<double, double> board_fit_box(const BoardShape& s) {
  if (!has_label(s)) return {s.w, s.h};
  const double fs = s.font_size.value_or(kBoardDefaultFontSize);
  const auto lines = wrap_for(s, fs, text_area(s.type, box_of(s)));
  double w = s.w;
  if (auto_width(s)) {
    double widest = 0;
    for (const auto& l : lines) widest = std::max(widest, board_text_width(l, fs));
    w = widest + 8;
  }
  if (!s.fit.empty() && s.fit != "grow") return {w, s.h};
  return {w, std::max(s.h, needed_height(s.type, static_cast<double>(lines.size()) * fs * kBoardLineHeight))};
}

std::vector<BoardShapeLayout> board_layout(const nlohmann::json& board) {
  const std::vector<BoardShape> shapes = board_read_shapes(board);
  Lookup by_id;
  for (const auto& s : shapes) by_id[s.id] = &s;
  std::vector<BoardShapeLayout> out;
  out.reserve(shapes.size());
  for (const auto& s : shapes) out.push_back(layout_shape(s, by_id));
  return out;
}

nlohmann::json board_layout_to_json(const BoardShapeLayout& l) {
  nlohmann::json o = {{"id", l.id},         {"type", l.type},
                      {"box", {r3(l.box.x), r3(l.box.y), r3(l.box.w), r3(l.box.h)}},
                      {"stroke", l.stroke}, {"fill", l.fill},
                      {"strokeWidth", r3(l.stroke_width)}, {"dash", l.dash}};
  if (l.path) {
    auto p = nlohmann::json::array();
    for (double v : *l.path) p.push_back(r3(v));
    o["path"] = p;
  }
  if (!l.heads.empty()) o["heads"] = l.heads;
  if (!l.kind.empty()) o["kind"] = l.kind;
  if (l.text) {
    auto lines = nlohmann::json::array();
    for (const auto& x : l.text->lines) lines.push_back({x.text, r3(x.x), r3(x.y), r3(x.w)});
    o["text"] = {{"fontSize", r3(l.text->font_size)}, {"anchor", l.text->anchor}, {"color", l.text->colour}, {"lines", lines}};
  }
  return o;
}

}  // namespace mockloop::loop
