#include "loop/board_text.hpp"

#include <nlohmann/json.hpp>
#include <unordered_map>

#include "loop/board_data.hpp"

namespace mockloop::loop {
namespace {

struct FontTable {
  std::string family;
  int64_t fallback = 600, wide = 1000;
  std::unordered_map<uint32_t, int64_t> advances;
};

const FontTable& table() {
  static const FontTable t = [] {
    FontTable f;
    const auto j = nlohmann::json::parse(board_font_widths_json());
    f.family = j.at("fontFamily").get<std::string>();
    f.fallback = j.at("fallback").get<int64_t>();
    f.wide = j.at("wide").get<int64_t>();
    for (const auto& [k, v] : j.at("advances").items()) f.advances[static_cast<uint32_t>(std::stoul(k))] = v.get<int64_t>();
    return f;
  }();
  return t;
}

bool is_wide(uint32_t cp) {
  return (cp >= 0x1100 && cp <= 0x115f) || (cp >= 0x2e80 && cp <= 0xa4cf) || (cp >= 0xac00 && cp <= 0xd7a3) ||
         (cp >= 0xf900 && cp <= 0xfaff) || (cp >= 0xfe30 && cp <= 0xfe4f) || (cp >= 0xff00 && cp <= 0xff60) ||
         (cp >= 0xffe0 && cp <= 0xffe6) || (cp >= 0x1f300 && cp <= 0x1faff) || (cp >= 0x20000 && cp <= 0x3fffd);
}

// One code point of `s` at `i` (advanced past it); invalid bytes read as U+FFFD one at a time.
uint32_t next_cp(std::string_view s, size_t& i) {
  const auto b = static_cast<unsigned char>(s[i]);
  size_t n = 0;
  uint32_t cp = 0;
  if (b < 0x80) {
    ++i;
    return b;
  } else if ((b >> 5) == 6) {
    n = 1, cp = b & 0x1f;
  } else if ((b >> 4) == 14) {
    n = 2, cp = b & 0x0f;
  } else if ((b >> 3) == 30) {
    n = 3, cp = b & 0x07;
  } else {
    ++i;
    return 0xfffd;
  }
  if (i + n >= s.size()) {
    ++i;
    return 0xfffd;
  }
  for (size_t k = 1; k <= n; ++k) {
    const auto c = static_cast<unsigned char>(s[i + k]);
    if ((c >> 6) != 2) {
      ++i;
      return 0xfffd;
    }
    cp = (cp << 6) | (c & 0x3f);
  }
  i += n + 1;
  return cp;
}

// The code points of `text` without '\r', at most kBoardMaxTextCodepoints, each with its bytes.
struct Cp {
  uint32_t cp;
  std::string_view bytes;
};

std::vector<Cp> clamp_text(std::string_view text) {
  std::vector<Cp> out;
  for (size_t i = 0; i < text.size() && out.size() < kBoardMaxTextCodepoints;) {
    const size_t start = i;
    const uint32_t cp = next_cp(text, i);
    if (cp != '\r') out.push_back({cp, text.substr(start, i - start)});
  }
  return out;
}

}  // namespace

const std::string& board_font_family() { return table().family; }

int64_t board_advance(uint32_t cp) {
  const auto& t = table();
  if (auto it = t.advances.find(cp); it != t.advances.end()) return it->second;
  return is_wide(cp) ? t.wide : t.fallback;
}

int64_t board_measure_units(std::string_view utf8) {
  int64_t u = 0;
  for (size_t i = 0; i < utf8.size();) u += board_advance(next_cp(utf8, i));
  return u;
}

double board_units_to_width(int64_t units, double font_size) {
  return (static_cast<double>(units) * font_size) / 1000;
}

double board_text_width(std::string_view utf8, double font_size) {
  return board_units_to_width(board_measure_units(utf8), font_size);
}

std::vector<std::string> board_wrap_text(std::string_view text, double font_size, double max_width) {
  auto fits = [&](int64_t units) { return board_units_to_width(units, font_size) <= max_width; };
  const int64_t space = board_advance(' ');
  const std::vector<Cp> cps = clamp_text(text);
  std::vector<std::string> out;
  size_t i = 0;
  while (true) {  // one paragraph per pass
    bool have_line = false;
    std::string line;
    int64_t line_units = 0;
    while (true) {  // one word per pass
      std::string word;
      int64_t word_units = 0;
      std::vector<const Cp*> word_cps;
      while (i < cps.size() && cps[i].cp != ' ' && cps[i].cp != '\n') {
        word += cps[i].bytes;
        word_units += board_advance(cps[i].cp);
        word_cps.push_back(&cps[i]);
        ++i;
      }
      if (have_line && fits(line_units + space + word_units)) {
        line += ' ';
        line += word;
        line_units += space + word_units;
      } else {
        if (have_line) out.push_back(line);
        if (fits(word_units)) {
          line = word;
          line_units = word_units;
        } else {
          std::string cur;
          int64_t cur_units = 0;
          for (const Cp* c : word_cps) {
            const int64_t a = board_advance(c->cp);
            if (!cur.empty() && !fits(cur_units + a)) {
              out.push_back(cur);
              cur.clear();
              cur_units = 0;
            }
            cur += c->bytes;
            cur_units += a;
          }
          line = cur;
          line_units = cur_units;
        }
        have_line = true;
      }
      if (i < cps.size() && cps[i].cp == ' ') {
        ++i;
        continue;
      }
      break;  // end of paragraph
    }
    out.push_back(have_line ? line : std::string());
    if (out.size() >= kBoardMaxLines) break;
    if (i < cps.size() && cps[i].cp == '\n') {
      ++i;
      continue;
    }
    break;
  }
  if (out.size() > kBoardMaxLines) out.resize(kBoardMaxLines);
  return out;
}

}  // namespace mockloop::loop
