// The debrief as a self-contained HTML page (inline CSS and SVG, no external resources):
// decision, per-round outcomes with disagreements highlighted, the LP coverage matrix,
// scorecards, and each round's whiteboard (SVG), final code and each author's notes (those
// the caller put in RoundArtifacts: the reader's rule is applied before). Pure; thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "loop/round_docs.hpp"
#include "loop.pb.h"

namespace mockloop::loop {

// `artifacts[i]` belongs to debrief.loop().rounds(i) (missing entries render as empty).
std::string render_debrief_html(const v1::Debrief& debrief, const std::vector<RoundArtifacts>& artifacts);

// HTML-escapes text for element content and attribute values.
std::string html_escape(std::string_view text);

}  // namespace mockloop::loop
