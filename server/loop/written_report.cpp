#include "loop/written_report.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "loop/debrief_report.hpp"
#include "loop/markdown.hpp"

namespace mockloop::loop {
namespace {

constexpr std::string_view kStyle =
    ".written{margin:2em 0}.written .doc{border:1px solid #ccc;padding:1em 2em;background:#fff;max-width:48em}"
    ".written .doc h1{font-size:1.5em}.written .doc h2{font-size:1.2em;border-bottom:1px solid #eee}"
    ".written .meta{color:#555;font-size:.9em}.written .comments{max-width:48em}"
    ".written .thread{border-left:3px solid #f0b429;padding:.2em .8em;margin:.6em 0;background:#fffbea}"
    ".written .thread.resolved{border-color:#9ca3af;background:#f5f5f5}"
    ".written blockquote.quote{margin:.2em 0;color:#555;font-style:italic}"
    ".written .reply{margin-left:1.5em}"
    "@media print{body{margin:0;font-size:11pt}.written .doc{border:none;padding:0;max-width:none}"
    ".written section,.written .thread{break-inside:avoid}.written h2.assignment{break-before:page}"
    ".no-print{display:none}a{color:inherit;text-decoration:none}}";

std::string date(int64_t ms) {
  if (ms <= 0) return "-";
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%d %H:%M UTC", &tm);
  return buf;
}

std::string kind_name(v1::WrittenKind k) { return k == v1::WRITTEN_KIND_PRFAQ ? "PR/FAQ" : "6-pager"; }

std::string one_comment(const WrittenComment& c, bool reply) {
  std::string h = std::string("<div class=\"") + (reply ? "reply" : "") + "\"><b>" + html_escape(c.author) + "</b> <span class=\"meta\">" +
                  date(c.at_ms) + "</span><div>" + html_escape(c.body) + "</div></div>";
  return h;
}

std::string comments_html(const std::vector<WrittenComment>& comments) {
  if (comments.empty()) return "<p class=\"meta\">No review comments for the candidate.</p>";
  std::string h = "<div class=\"comments\"><h3>Review comments</h3>";
  for (const auto& top : comments) {
    if (!top.parent.empty()) continue;
    h += std::string("<div class=\"thread") + (top.resolved ? " resolved" : "") + "\">";
    if (!top.quote.empty()) h += "<blockquote class=\"quote\">" + html_escape(top.quote) + "</blockquote>";
    h += one_comment(top, false);
    for (const auto& r : comments)
      if (r.parent == top.id) h += one_comment(r, true);
    if (top.resolved) h += "<div class=\"meta\">Resolved</div>";
    h += "</div>";
  }
  return h + "</div>";
}

std::string item_html(const WrittenReportItem& it) {
  const auto& a = it.assignment;
  std::string h = "<h2 class=\"assignment\">" + kind_name(a.kind()) + ": " + html_escape(a.title()) + "</h2>";
  h += "<p class=\"meta\">Due " + date(a.due_at_ms()) + ". ";
  if (it.version == 0) return h + "Not submitted.</p>";
  h += "Version " + std::to_string(it.version) + ", submitted " + date(it.submitted_at_ms) + ".</p>";
  h += "<div class=\"doc\">" + render_markdown(it.markdown) + "</div>";
  return h + comments_html(it.comments);
}

}  // namespace

std::vector<WrittenComment> parse_comments(std::string_view map_json) {
  std::vector<WrittenComment> out;
  const auto j = nlohmann::json::parse(map_json, nullptr, false);
  if (!j.is_object()) return out;
  auto str = [](const nlohmann::json& o, const char* k) {
    auto it = o.find(k);
    return it != o.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  for (const auto& [key, v] : j.items()) {
    if (!v.is_object() || out.size() >= kMaxReportComments) continue;
    WrittenComment c;
    c.id = key;
    c.parent = str(v, "parent");
    c.author = str(v, "author");
    c.body = str(v, "body");
    c.quote = str(v, "quote");
    if (auto r = v.find("resolved"); r != v.end() && r->is_boolean()) c.resolved = r->get<bool>();
    if (auto t = v.find("at"); t != v.end() && t->is_number()) c.at_ms = t->get<int64_t>();
    if (c.body.empty()) continue;
    out.push_back(std::move(c));
  }
  std::stable_sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.at_ms < b.at_ms; });
  return out;
}

std::string render_written_section(const std::vector<WrittenReportItem>& items) {
  if (items.empty()) return {};
  std::string h = "<style>" + std::string(kStyle) + "</style><section class=\"written\"><h2>Written work</h2>";
  for (const auto& it : items) h += item_html(it);
  return h + "</section>";
}

std::string render_written_report(const WrittenReportItem& item) {
  return "<!doctype html><html><head><meta charset=\"utf-8\"><title>" + html_escape(item.assignment.title()) +
         "</title><style>body{font-family:Georgia,serif;margin:2em auto;max-width:52em;line-height:1.45}" +
         std::string(kStyle) + "</style></head><body><div class=\"written\"><p class=\"meta\">" +
         html_escape(item.assignment.prompt()) + "</p>" + item_html(item) + "</div></body></html>";
}

}  // namespace mockloop::loop
