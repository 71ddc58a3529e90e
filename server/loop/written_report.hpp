// The written work in reports (issue 21): the latest submitted version of each assignment
// rendered from Markdown on the server (loop/markdown.hpp, no raw HTML) with the review
// comments the candidate may read. Two outputs: a section appended to the debrief page, and
// the candidate's take-home page; both carry a print stylesheet so they print cleanly to
// PDF. Comments come from the review doc's Y.Map "comments" (client-web/src/written/
// comments.ts writes them). Pure; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "written.pb.h"

namespace mockloop::loop {

// One review comment as stored in a comments doc (JSON object per key).
struct WrittenComment {
  std::string id;
  std::string parent;  // the thread's first comment; empty for a thread's start
  std::string author;
  std::string body;
  std::string quote;   // the text the thread is anchored to, when it was made
  bool resolved = false;
  int64_t at_ms = 0;
};

struct WrittenReportItem {
  v1::WrittenAssignment assignment;
  uint32_t version = 0;         // 0: nothing submitted yet
  int64_t submitted_at_ms = 0;
  std::string markdown;
  std::vector<WrittenComment> comments;  // candidate-visible only
};

// Comments of a comments doc's "comments" map as JSON; malformed entries are skipped and
// the result is ordered by time. At most kMaxReportComments are kept.
inline constexpr std::size_t kMaxReportComments = 500;
std::vector<WrittenComment> parse_comments(std::string_view map_json);

// A <section> for the debrief ("" when there are no assignments).
std::string render_written_section(const std::vector<WrittenReportItem>& items);
// A complete, self-contained HTML page for one assignment.
std::string render_written_report(const WrittenReportItem& item);

}  // namespace mockloop::loop
