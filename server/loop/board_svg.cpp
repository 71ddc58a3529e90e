#include "loop/board_svg.hpp"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>
#include <vector>

#include "loop/debrief_report.hpp"

namespace mockloop::loop {
namespace {

struct Pt {
  double x = 0, y = 0;
};

struct Shape {
  std::string id, type, color, fill, text, from, to;
  double x = 0, y = 0, w = 0, h = 0, z = 0;
  std::vector<double> points;
  Pt centre() const { return {x + w / 2, y + h / 2}; }
};

bool is_colour(const std::string& s) {
  return s.size() == 7 && s[0] == '#' &&
         std::all_of(s.begin() + 1, s.end(), [](char c) { return std::isxdigit(static_cast<unsigned char>(c)); });
}

std::string num(double v) {
  std::ostringstream o;
  o.setf(std::ios::fixed);
  o.precision(1);
  o << v;
  return o.str();
}

bool read_shape(const std::string& id, const nlohmann::json& j, Shape& s) {
  if (!j.is_object()) return false;
  auto get_num = [&](const char* k, double& out) {
    auto it = j.find(k);
    if (it == j.end() || !it->is_number()) return false;
    out = it->get<double>();
    return std::isfinite(out);
  };
  auto get_str = [&](const char* k) {
    auto it = j.find(k);
    return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  s.id = id;
  s.type = get_str("type");
  static const std::vector<std::string> kTypes = {"rect", "ellipse", "diamond", "arrow", "text", "sticky", "freehand"};
  if (std::find(kTypes.begin(), kTypes.end(), s.type) == kTypes.end()) return false;
  if (!get_num("x", s.x) || !get_num("y", s.y) || !get_num("w", s.w) || !get_num("h", s.h) || !get_num("z", s.z))
    return false;
  if (s.w < 0 || s.h < 0) return false;
  s.color = get_str("color");
  if (!is_colour(s.color)) s.color = "#1f2937";
  s.fill = get_str("fill");
  if (!is_colour(s.fill)) s.fill = s.type == "sticky" ? "#fde68a" : "";
  s.text = get_str("text");
  s.from = get_str("from");
  s.to = get_str("to");
  if (auto it = j.find("points"); it != j.end() && it->is_array()) {
    for (const auto& v : *it) {
      if (!v.is_number() || !std::isfinite(v.get<double>())) return false;
      s.points.push_back(v.get<double>());
    }
  }
  if ((s.type == "arrow" && s.points.size() < 4) || (s.type == "freehand" && s.points.size() < 4)) return false;
  if (s.points.size() % 2 != 0) s.points.pop_back();
  return true;
}

// Where the segment from the box centre towards `target` leaves the box; the centre if
// `target` is inside.
Pt exit_point(const Shape& box, Pt target) {
  const Pt c = box.centre();
  const double dx = target.x - c.x, dy = target.y - c.y;
  double t = 1e300;
  if (dx != 0) t = std::min(t, (box.w / 2) / std::abs(dx));
  if (dy != 0) t = std::min(t, (box.h / 2) / std::abs(dy));
  if (t >= 1 || t == 1e300) return c;
  return {c.x + dx * t, c.y + dy * t};
}

void text_lines(std::ostringstream& o, const std::string& text, double x, double y_first, const std::string& colour,
                const char* anchor) {
  std::vector<std::string> lines;
  std::string cur;
  for (char ch : text) {
    if (ch == '\n') {
      lines.push_back(cur);
      cur.clear();
    } else {
      cur += ch;
    }
  }
  lines.push_back(cur);
  o << "<text font-family=\"system-ui, sans-serif\" font-size=\"16\" fill=\"" << colour << "\" text-anchor=\"" << anchor
    << "\">";
  for (size_t i = 0; i < lines.size(); ++i)
    o << "<tspan x=\"" << num(x) << "\" y=\"" << num(y_first + 20.0 * static_cast<double>(i)) << "\">"
      << html_escape(lines[i]) << "</tspan>";
  o << "</text>";
}

void centred_label(std::ostringstream& o, const std::string& text, Pt c, const std::string& colour) {
  if (text.empty()) return;
  const double n = static_cast<double>(std::count(text.begin(), text.end(), '\n') + 1);
  text_lines(o, text, c.x, c.y - (n - 1) * 10 + 6, colour, "middle");
}

}  // namespace

std::string render_board_svg(const nlohmann::json& board) {
  if (!board.is_object()) return "";
  auto shapes_it = board.find("shapes");
  if (shapes_it == board.end() || !shapes_it->is_object()) return "";
  std::vector<Shape> shapes;
  std::map<std::string, size_t> by_id;
  for (const auto& [id, j] : shapes_it->items()) {
    Shape s;
    if (read_shape(id, j, s)) shapes.push_back(std::move(s));
  }
  if (shapes.empty()) return "";
  std::sort(shapes.begin(), shapes.end(), [](const Shape& a, const Shape& b) {
    return a.z != b.z ? a.z < b.z : a.id < b.id;
  });
  for (size_t i = 0; i < shapes.size(); ++i) by_id[shapes[i].id] = i;

  double minx = 1e300, miny = 1e300, maxx = -1e300, maxy = -1e300;
  auto extend = [&](double x, double y) {
    minx = std::min(minx, x);
    miny = std::min(miny, y);
    maxx = std::max(maxx, x);
    maxy = std::max(maxy, y);
  };
  for (const auto& s : shapes) {
    extend(s.x, s.y);
    extend(s.x + s.w, s.y + s.h);
    for (size_t i = 0; i + 1 < s.points.size(); i += 2) extend(s.points[i], s.points[i + 1]);
  }
  const double pad = 20;
  std::ostringstream o;
  o << "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"" << num(minx - pad) << " " << num(miny - pad) << " "
    << num(maxx - minx + 2 * pad) << " " << num(maxy - miny + 2 * pad) << "\" width=\"" << num(maxx - minx + 2 * pad)
    << "\" height=\"" << num(maxy - miny + 2 * pad) << "\">";
  for (const auto& s : shapes) {
    const std::string fill = s.fill.empty() ? "none" : s.fill;
    const std::string stroke = " stroke=\"" + s.color + "\" stroke-width=\"2\" stroke-linejoin=\"round\"";
    if (s.type == "rect") {
      o << "<rect x=\"" << num(s.x) << "\" y=\"" << num(s.y) << "\" width=\"" << num(s.w) << "\" height=\"" << num(s.h)
        << "\" rx=\"6\" fill=\"" << fill << "\"" << stroke << "/>";
      centred_label(o, s.text, s.centre(), s.color);
    } else if (s.type == "sticky") {
      o << "<rect x=\"" << num(s.x) << "\" y=\"" << num(s.y) << "\" width=\"" << num(s.w) << "\" height=\"" << num(s.h)
        << "\" fill=\"" << fill << "\"/>";
      centred_label(o, s.text, s.centre(), s.color);
    } else if (s.type == "ellipse") {
      o << "<ellipse cx=\"" << num(s.x + s.w / 2) << "\" cy=\"" << num(s.y + s.h / 2) << "\" rx=\"" << num(s.w / 2)
        << "\" ry=\"" << num(s.h / 2) << "\" fill=\"" << fill << "\"" << stroke << "/>";
      centred_label(o, s.text, s.centre(), s.color);
    } else if (s.type == "diamond") {
      const Pt c = s.centre();
      o << "<polygon points=\"" << num(c.x) << "," << num(s.y) << " " << num(s.x + s.w) << "," << num(c.y) << " "
        << num(c.x) << "," << num(s.y + s.h) << " " << num(s.x) << "," << num(c.y) << "\" fill=\"" << fill << "\""
        << stroke << "/>";
      centred_label(o, s.text, c, s.color);
    } else if (s.type == "text") {
      text_lines(o, s.text, s.x + 4, s.y + 4 + 16, s.color, "start");
    } else if (s.type == "freehand") {
      o << "<polyline fill=\"none\" stroke-linecap=\"round\"" << stroke << " points=\"";
      for (size_t i = 0; i + 1 < s.points.size(); i += 2) o << (i ? " " : "") << num(s.points[i]) << "," << num(s.points[i + 1]);
      o << "\"/>";
    } else if (s.type == "arrow") {
      Pt start{s.points[0], s.points[1]}, end{s.points[2], s.points[3]};
      auto attached = [&](const std::string& id) -> const Shape* {
        auto it = by_id.find(id);
        if (id.empty() || it == by_id.end() || shapes[it->second].type == "arrow") return nullptr;
        return &shapes[it->second];
      };
      const Shape* from = attached(s.from);
      const Shape* to = attached(s.to);
      const Pt start_ref = from ? from->centre() : start;
      const Pt end_ref = to ? to->centre() : end;
      if (from) start = exit_point(*from, end_ref);
      if (to) end = exit_point(*to, start_ref);
      o << "<line x1=\"" << num(start.x) << "\" y1=\"" << num(start.y) << "\" x2=\"" << num(end.x) << "\" y2=\""
        << num(end.y) << "\" stroke-linecap=\"round\"" << stroke << "/>";
      const double dx = end.x - start.x, dy = end.y - start.y, len = std::hypot(dx, dy);
      if (len > 0) {
        const double ux = dx / len, uy = dy / len;
        const Pt base{end.x - ux * 12, end.y - uy * 12};
        o << "<polygon fill=\"" << s.color << "\" points=\"" << num(end.x) << "," << num(end.y) << " "
          << num(base.x - uy * 5) << "," << num(base.y + ux * 5) << " " << num(base.x + uy * 5) << ","
          << num(base.y - ux * 5) << "\"/>";
      }
      centred_label(o, s.text, {(start.x + end.x) / 2, (start.y + end.y) / 2}, s.color);
    }
  }
  o << "</svg>";
  return o.str();
}

}  // namespace mockloop::loop
