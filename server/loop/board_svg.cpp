#include "loop/board_svg.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>
#include <vector>

#include "loop/board_data.hpp"
#include "loop/board_layout.hpp"
#include "loop/board_text.hpp"

namespace mockloop::loop {
namespace {

constexpr double kHeadLength = 12;    // arrowhead at stroke width 2; scales with wider strokes
constexpr double kHeadHalfWidth = 5;
constexpr double kIconSize = 32;      // icon picture, drawn from a 24-unit grid
constexpr double kMargin = 24;

struct Pt {
  double x = 0, y = 0;
};

std::string n(double v) { return board_svg_number(v); }

// XML escaping exactly as the client's escapeXml (lib/dom.ts), so both write the same bytes.
std::string esc(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out += c;
    }
  }
  return out;
}

// kind -> icon paths, from the shared shape library.
const std::map<std::string, std::vector<std::string>>& icons() {
  static const auto m = [] {
    std::map<std::string, std::vector<std::string>> out;
    const auto j = nlohmann::json::parse(board_shape_library_json());
    for (const auto& i : j.at("icons")) out[i.at("kind").get<std::string>()] = i.at("paths").get<std::vector<std::string>>();
    return out;
  }();
  return m;
}

void text_markup(std::ostringstream& o, const BoardTextBlock& t) {
  for (const auto& l : t.lines) {
    if (l.text.empty()) continue;
    o << "<text x=\"" << n(l.x) << "\" y=\"" << n(l.y) << "\" font-family=\"" << esc(board_font_family())
      << "\" font-size=\"" << n(t.font_size) << "\" fill=\"" << t.colour << "\" text-anchor=\"" << t.anchor
      << "\" textLength=\"" << n(l.w) << "\" lengthAdjust=\"spacingAndGlyphs\">" << esc(l.text) << "</text>";
  }
}

std::string stroke_attrs(const BoardShapeLayout& l) {
  const double sw = l.stroke_width;
  std::string dash;
  if (l.dash == "dashed") dash = " stroke-dasharray=\"" + n(sw * 4) + " " + n(sw * 3) + "\"";
  if (l.dash == "dotted") dash = " stroke-dasharray=\"0 " + n(sw * 2.5) + "\"";
  return "stroke=\"" + l.stroke + "\" stroke-width=\"" + n(sw) + "\" stroke-linejoin=\"round\" stroke-linecap=\"round\"" +
         dash;
}

// The arrowhead at `tip` coming from `prev`; returns where the line should stop.
Pt head(std::ostringstream& o, Pt tip, Pt prev, double sw, const std::string& colour) {
  const double len = std::hypot(tip.x - prev.x, tip.y - prev.y);
  if (len == 0) return tip;
  const double k = std::max(1.0, (sw + 2) / 4);
  const double ux = (tip.x - prev.x) / len, uy = (tip.y - prev.y) / len;
  const Pt base{tip.x - ux * kHeadLength * k, tip.y - uy * kHeadLength * k};
  const double w = kHeadHalfWidth * k;
  o << "<polygon points=\"" << n(tip.x) << "," << n(tip.y) << " " << n(base.x - uy * w) << "," << n(base.y + ux * w) << " "
    << n(base.x + uy * w) << "," << n(base.y - ux * w) << "\" fill=\"" << colour << "\"/>";
  return base;
}

Pt neighbour(const std::vector<Pt>& pts, size_t i, int step) {
  for (long j = static_cast<long>(i) + step; j >= 0 && j < static_cast<long>(pts.size()); j += step) {
    const Pt& q = pts[static_cast<size_t>(j)];
    if (q.x != pts[i].x || q.y != pts[i].y) return q;
  }
  return pts[i];
}

void arrow_markup(std::ostringstream& o, const BoardShapeLayout& l) {
  std::vector<Pt> pts;
  const auto& flat = *l.path;
  for (size_t i = 0; i + 1 < flat.size(); i += 2) pts.push_back({flat[i], flat[i + 1]});
  if (pts.size() < 2) return;
  std::ostringstream heads;
  std::vector<Pt> line = pts;
  if (l.heads == "end" || l.heads == "both")
    line.back() = head(heads, pts.back(), neighbour(pts, pts.size() - 1, -1), l.stroke_width, l.stroke);
  if (l.heads == "start" || l.heads == "both") line.front() = head(heads, pts.front(), neighbour(pts, 0, 1), l.stroke_width, l.stroke);
  if (line.size() == 2) {  // a straight arrow is a <line> (as in v1), an elbow a <polyline>
    o << "<line x1=\"" << n(line[0].x) << "\" y1=\"" << n(line[0].y) << "\" x2=\"" << n(line[1].x) << "\" y2=\""
      << n(line[1].y) << "\" " << stroke_attrs(l) << "/>";
  } else {
    o << "<polyline points=\"";
    for (size_t i = 0; i < line.size(); ++i) o << (i ? " " : "") << n(line[i].x) << "," << n(line[i].y);
    o << "\" fill=\"none\" " << stroke_attrs(l) << "/>";
  }
  o << heads.str();
  if (l.text && !l.text->lines.empty()) {
    const auto& t = *l.text;
    const double lh = t.font_size * 1.25;
    double max_w = 0;
    for (const auto& x : t.lines) max_w = std::max(max_w, x.w);
    const double top = t.lines[0].y - 0.975 * t.font_size;
    o << "<rect x=\"" << n(t.lines[0].x - max_w / 2 - 4) << "\" y=\"" << n(top) << "\" width=\"" << n(max_w + 8)
      << "\" height=\"" << n(lh * static_cast<double>(t.lines.size())) << "\" fill=\"#ffffff\" fill-opacity=\"0.85\"/>";
    text_markup(o, t);
  }
}

void icon_markup(std::ostringstream& o, const BoardShapeLayout& l) {
  const auto& all = icons();
  auto it = all.find(l.kind);
  if (it == all.end()) it = all.find("generic");
  if (it == all.end()) return;
  const double x = l.box.x + l.box.w / 2 - kIconSize / 2, y = l.box.y + 8;
  o << "<g transform=\"translate(" << n(x) << " " << n(y) << ") scale(" << n(kIconSize / 24) << ")\" fill=\"none\" stroke=\""
    << l.stroke << "\" stroke-width=\"1.5\" stroke-linejoin=\"round\" stroke-linecap=\"round\">";
  for (const auto& d : it->second) o << "<path d=\"" << esc(d) << "\"/>";
  o << "</g>";
}

void rect(std::ostringstream& o, const BoardBox& b, const char* extra) {
  o << "<rect x=\"" << n(b.x) << "\" y=\"" << n(b.y) << "\" width=\"" << n(b.w) << "\" height=\"" << n(b.h) << "\"" << extra;
}

void shape_markup(std::ostringstream& o, const BoardShapeLayout& l) {
  const BoardBox& b = l.box;
  const double cx = b.x + b.w / 2, cy = b.y + b.h / 2;
  const std::string fill_stroke = " fill=\"" + l.fill + "\" " + stroke_attrs(l) + "/>";
  if (l.type == "rect") {
    rect(o, b, " rx=\"6\"");
    o << fill_stroke;
  } else if (l.type == "ellipse") {
    o << "<ellipse cx=\"" << n(cx) << "\" cy=\"" << n(cy) << "\" rx=\"" << n(b.w / 2) << "\" ry=\"" << n(b.h / 2) << "\""
      << fill_stroke;
  } else if (l.type == "diamond") {
    o << "<polygon points=\"" << n(cx) << "," << n(b.y) << " " << n(b.x + b.w) << "," << n(cy) << " " << n(cx) << ","
      << n(b.y + b.h) << " " << n(b.x) << "," << n(cy) << "\"" << fill_stroke;
  } else if (l.type == "sticky") {
    rect(o, b, "");
    o << " fill=\"" << l.fill << "\" filter=\"drop-shadow(0 1px 2px rgba(0,0,0,.25))\"/>";
  } else if (l.type == "frame") {
    rect(o, b, " rx=\"4\"");
    o << fill_stroke;
  } else if (l.type == "icon") {
    rect(o, b, " rx=\"8\"");
    o << fill_stroke;
    icon_markup(o, l);
  } else if (l.type == "freehand") {
    o << "<polyline points=\"";
    const auto& p = *l.path;
    for (size_t i = 0; i + 1 < p.size(); i += 2) o << (i ? " " : "") << n(p[i]) << "," << n(p[i + 1]);
    o << "\" fill=\"none\" " << stroke_attrs(l) << "/>";
  } else if (l.type == "arrow") {
    arrow_markup(o, l);
    return;
  }
  if (l.text) text_markup(o, *l.text);
}

}  // namespace

std::string board_svg_number(double v) {
  const double r = std::floor(v * 100 + 0.5) / 100;
  if (r == 0) return "0";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", r);
  std::string s = buf;
  while (!s.empty() && s.back() == '0') s.pop_back();
  if (!s.empty() && s.back() == '.') s.pop_back();
  return s;
}

std::string render_board_svg(const nlohmann::json& board) {
  const auto layouts = board_layout(board);
  if (layouts.empty()) return "";
  double minx = 1e300, miny = 1e300, maxx = -1e300, maxy = -1e300;
  auto extend = [&](double x, double y) {
    minx = std::min(minx, x), miny = std::min(miny, y), maxx = std::max(maxx, x), maxy = std::max(maxy, y);
  };
  for (const auto& l : layouts) {
    extend(l.box.x, l.box.y);
    extend(l.box.x + l.box.w, l.box.y + l.box.h);
    if (l.type == "frame" && l.text) extend(l.box.x, l.box.y - 8 - l.text->font_size);
  }
  const double x = minx - kMargin, y = miny - kMargin;
  const double w = std::max(1.0, std::ceil(maxx - minx + 2 * kMargin)), h = std::max(1.0, std::ceil(maxy - miny + 2 * kMargin));
  std::ostringstream o;
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" << n(w) << "\" height=\"" << n(h) << "\" viewBox=\"" << n(x) << " "
    << n(y) << " " << n(w) << " " << n(h) << "\">";
  o << "<rect x=\"" << n(x) << "\" y=\"" << n(y) << "\" width=\"" << n(w) << "\" height=\"" << n(h) << "\" fill=\"#ffffff\"/>";
  for (const auto& l : layouts) {
    o << "<g data-shape-id=\"" << esc(l.id) << "\" data-shape-type=\"" << l.type << "\">";
    shape_markup(o, l);
    o << "</g>";
  }
  o << "</svg>";
  return o.str();
}

}  // namespace mockloop::loop
