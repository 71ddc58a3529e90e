#include "loop/debrief_report.hpp"

#include <ctime>

#include <sstream>

namespace mockloop::loop {
namespace {

// Beside a scorecard submitted after its author read the others (Scorecard.revised_after_viewing_panel).
constexpr const char* kRevisedNote = " <span class=\"note\">revised after reading the panel's feedback</span>";

const char* rating_label(v1::Rating r) {
  switch (r) {
    case v1::RATING_STRONG_NO_HIRE: return "Strong no hire";
    case v1::RATING_NO_HIRE: return "No hire";
    case v1::RATING_HIRE: return "Hire";
    case v1::RATING_STRONG_HIRE: return "Strong hire";
    default: return "—";
  }
}

const char* rating_class(v1::Rating r) {
  switch (r) {
    case v1::RATING_STRONG_NO_HIRE: return "snh";
    case v1::RATING_NO_HIRE: return "nh";
    case v1::RATING_HIRE: return "h";
    case v1::RATING_STRONG_HIRE: return "sh";
    default: return "none";
  }
}

const char* outcome_label(v1::DecisionOutcome o) {
  switch (o) {
    case v1::DECISION_OUTCOME_HIRE: return "Hire";
    case v1::DECISION_OUTCOME_NO_HIRE: return "No hire";
    case v1::DECISION_OUTCOME_PENDING: return "Pending";
    case v1::DECISION_OUTCOME_NOT_APPLICABLE: return "Practice (no decision)";
    default: return "—";
  }
}

constexpr std::string_view kStyle = R"(
body{font:15px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:70rem;color:#1d1d1f;padding:0 1rem}
h1{margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:1px solid #ddd}
.decision{font-size:1.4rem;padding:.8rem 1rem;border-radius:8px;display:inline-block}
.decision.hire{background:#dcf5e3}.decision.nohire{background:#fbe0e0}.decision.pending{background:#fff3cd}
table{border-collapse:collapse;width:100%;margin:.6rem 0}td,th{border:1px solid #ddd;padding:.35rem .5rem;text-align:left;vertical-align:top}
th{background:#f5f5f7}.snh{background:#f4c7c7}.nh{background:#fbe3e3}.h{background:#d9f2df}.sh{background:#b9e6c4}.none{color:#999}
tr.disagree td{outline:2px solid #e0a800}.flag{color:#a15c00;font-weight:600}
pre{background:#f6f8fa;padding:.8rem;overflow:auto;border-radius:6px}
.notes pre{white-space:pre-wrap;background:#fffdf4}h5{margin:.6rem 0 .2rem}
.board{border:1px solid #ddd;border-radius:6px;max-width:100%;overflow:auto}.note{color:#777;font-style:italic}
)";

}  // namespace

std::string html_escape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

namespace {

// "14:05:09 UTC" for a cited moment (issue 19).
std::string moment_label(int64_t ms) {
  const std::time_t t = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%H:%M:%S UTC", &tm);
  return buf;
}

// Links to the replay at each cited moment. Relative: the report opens from the server.
template <typename Moments>
std::string moment_links(const std::string& loop_id, uint32_t round, const Moments& moments) {
  std::string out;
  for (int64_t m : moments) {
    if (!out.empty()) out += " ";
    out += "<a class=\"moment\" href=\"/replay/" + html_escape(loop_id) + "/" + std::to_string(round) + "?at=" +
           std::to_string(m) + "\">" + moment_label(m) + "</a>";
  }
  return out;
}

}  // namespace

std::string render_debrief_html(const v1::Debrief& d, const std::vector<RoundArtifacts>& artifacts) {
  const auto& loop = d.loop();
  const auto& dec = d.decision();
  std::ostringstream h;
  h << "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Debrief: "
    << html_escape(loop.title()) << "</title><style>" << kStyle << "</style></head><body>";
  h << "<h1>Debrief: " << html_escape(loop.title()) << "</h1>";
  h << "<p>Candidate: <b>" << html_escape(loop.candidate_name()) << "</b> · level "
    << (loop.level() == v1::LEVEL_L7 ? "L7" : "L6") << " · template " << html_escape(loop.template_id()) << "</p>";

  const char* cls = dec.outcome() == v1::DECISION_OUTCOME_HIRE      ? "hire"
                    : dec.outcome() == v1::DECISION_OUTCOME_NO_HIRE ? "nohire"
                                                                    : "pending";
  h << "<h2>Decision</h2><div class=\"decision " << cls << "\" id=\"decision\">" << outcome_label(dec.outcome())
    << "</div>";
  h << "<p>Rule: " << html_escape(dec.rule()) << "</p>";
  if (dec.bar_raiser_vetoed()) h << "<p class=\"flag\">The Bar Raiser vetoed this loop.</p>";
  if (dec.reasons_size() > 0) {
    h << "<ul>";
    for (const auto& r : dec.reasons()) h << "<li>" << html_escape(r) << "</li>";
    h << "</ul>";
  }

  h << "<h2>Rounds</h2><table><tr><th>#</th><th>Round</th><th>Recommendation</th><th>Scorecards</th><th>Notes</th></tr>";
  for (const auto& o : d.rounds()) {
    h << "<tr" << (o.disagreement() ? " class=\"disagree\"" : "") << "><td>" << o.round_index() + 1 << "</td><td>"
      << html_escape(o.title()) << (o.onsite() ? "" : " <small>(not onsite)</small>") << "</td><td class=\""
      << rating_class(o.recommendation()) << "\">" << rating_label(o.recommendation()) << "</td><td>";
    for (const auto& sc : o.scorecards())
      h << html_escape(sc.author_name()) << ": " << rating_label(sc.content().overall()) << " (v" << sc.version()
        << ")" << (sc.revised_after_viewing_panel() ? kRevisedNote : "") << "<br>";
    h << "</td><td>" << (o.disagreement() ? "<span class=\"flag\">Disagreement: " + html_escape(o.disagreement_note()) + "</span>" : "")
      << (o.complete() ? "" : "<span class=\"note\">no submitted scorecard</span>") << "</td></tr>";
  }
  h << "</table>";

  h << "<h2>Leadership Principles coverage</h2><table><tr><th>Principle</th>";
  for (const auto& r : loop.rounds()) h << "<th>" << html_escape(r.title()) << "</th>";
  h << "</tr>";
  for (const auto& row : d.lp_coverage()) {
    h << "<tr><td>" << html_escape(row.lp_name()) << (row.weight() > 1 ? " <b>★</b>" : "") << "</td>";
    for (const auto& r : loop.rounds()) {
      const v1::LpCell* cell = nullptr;
      for (const auto& c : row.cells())
        if (c.round_index() == r.index()) cell = &c;
      if (!cell) {
        h << "<td class=\"none\"></td>";
      } else {
        h << "<td class=\"" << rating_class(cell->rating()) << "\">"
          << (cell->signals() ? rating_label(cell->rating()) : "probed") << "</td>";
      }
    }
    h << "</tr>";
  }
  h << "</table><p><small>★ weighted most at this level. A cell shows the lowest signal in the round.</small></p>";

  h << "<h2>Evidence</h2>";
  for (const auto& o : d.rounds()) {
    h << "<h3>" << o.round_index() + 1 << ". " << html_escape(o.title()) << "</h3>";
    for (const auto& sc : o.scorecards()) {
      h << "<h4>" << html_escape(sc.author_name()) << " — " << rating_label(sc.content().overall())
        << (sc.revised_after_viewing_panel() ? kRevisedNote : "") << "</h4>";
      if (!sc.content().summary().empty()) h << "<p>" << html_escape(sc.content().summary()) << "</p>";
      h << "<table>";
      for (const auto& c : sc.content().competencies())
        h << "<tr><td>" << html_escape(c.competency_id()) << "</td><td class=\"" << rating_class(c.rating()) << "\">"
          << rating_label(c.rating()) << "</td><td>" << html_escape(c.evidence()) << "</td><td>"
          << moment_links(d.loop().id(), o.round_index(), c.moments_ms()) << "</td></tr>";
      for (const auto& s : sc.content().lp_signals())
        h << "<tr><td>LP: " << html_escape(s.lp_id()) << "</td><td class=\"" << rating_class(s.rating()) << "\">"
          << rating_label(s.rating()) << "</td><td>" << html_escape(s.evidence()) << "</td><td>"
          << moment_links(d.loop().id(), o.round_index(), s.moments_ms()) << "</td></tr>";
      h << "</table>";
    }
    const RoundArtifacts* a = o.round_index() < artifacts.size() ? &artifacts[o.round_index()] : nullptr;
    h << "<h4>Whiteboard</h4>";
    if (a && !a->board_svg.empty()) {
      h << "<div class=\"board\">" << a->board_svg << "</div>";  // produced by our own renderer, escaped there
    } else {
      h << "<p class=\"note\">" << html_escape(a && !a->note.empty() ? a->note : "empty") << "</p>";
    }
    if (a && !a->boards_at.empty()) {
      h << "<h4>Whiteboard at the cited moments</h4>";
      for (const auto& [ms, svg] : a->boards_at) {
        h << "<figure class=\"board\" data-moment=\"" << ms << "\"><figcaption>" << moment_label(ms) << "</figcaption>";
        if (svg.empty()) h << "<p class=\"note\">nothing on the board then (or no history kept)</p>";
        else h << svg;  // our own renderer's output, escaped there
        h << "</figure>";
      }
    }
    h << "<h4>Final code</h4>";
    if (a && !a->code.empty()) {
      h << "<pre><code>" << html_escape(a->code) << "</code></pre>";
    } else {
      h << "<p class=\"note\">no code</p>";
    }
    h << "<h4>Code runs</h4>";
    if (a && !a->runs.empty()) {
      h << "<p data-runs=\"" << a->runs.size() << "\">" << a->runs.size() << " run" << (a->runs.size() == 1 ? "" : "s")
        << "; the last ones:</p><ul class=\"runs\">";
      for (size_t i = a->runs.size() > 5 ? a->runs.size() - 5 : 0; i < a->runs.size(); ++i) {
        const auto& r = a->runs[i];
        h << "<li>" << html_escape(r.author) << ", " << html_escape(r.language) << " (" << html_escape(r.tests_mode)
          << "): " << html_escape(r.verdict) << " " << r.passed << "/" << r.total << "</li>";
      }
      h << "</ul>";
    } else {
      h << "<p class=\"note\">no runs</p>";
    }
    h << "<h4>Notes</h4>";
    if (a && !a->notes.empty()) {
      for (const auto& n : a->notes)
        h << "<div class=\"notes\" data-author=\"" << html_escape(n.author) << "\"><h5>" << html_escape(n.author)
          << (n.role.empty() ? "" : " <small>(" + html_escape(n.role) + ")</small>") << "</h5><pre>"
          << html_escape(n.text) << "</pre></div>";
    } else {
      h << "<p class=\"note\">no notes</p>";
    }
    if (a && !a->shared_notes.empty())
      h << "<div class=\"notes shared\"><h5>Earlier shared notes</h5><pre>" << html_escape(a->shared_notes)
        << "</pre></div>";
  }
  h << "</body></html>";
  return h.str();
}

}  // namespace mockloop::loop
