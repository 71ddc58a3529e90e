// RoundDocs: reads what a round left in its documents for the debrief report: the shared
// document (whiteboard, code pad) and the notes documents (Y.Text "notes"). The real
// implementation (crdt_round_docs.*) decodes the stored Yjs docs; tests use a double.
// Implementations must be thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace mockloop::loop {

// One author's notes of a round, as the debrief shows them.
struct AuthorNotes {
  std::string author;  // display name
  std::string role;    // "Interviewer", "Bar Raiser", "Host"
  std::string text;    // the final text of the notes doc
};

struct RoundArtifacts {
  std::string board_svg;  // a complete <svg> element, empty if the board is empty
  std::string code;       // final text of the code pad
  std::string note;       // why something is missing, shown in the report
  std::vector<AuthorNotes> notes;  // each author's non-empty notes the reader may see
  std::string shared_notes;        // the earlier shared notes (room-<id>-private), if any
  // Code runs of the round (issue 16; filled by LoopService from the runs table, oldest
  // first): who ran what and the verdict, for the debrief's "Code runs" line.
  struct Run {
    std::string author;
    std::string language;
    std::string tests_mode;  // none | sample | all
    std::string verdict;
    int64_t passed = 0, total = 0;
  };
  std::vector<Run> runs;
  // The board at each moment a scorecard of the round cites (issue 19): ms -> <svg> ("" when
  // nothing was drawn then). Filled by LoopService for the HTML report.
  std::map<int64_t, std::string> boards_at;
};

class RoundDocs {
 public:
  virtual ~RoundDocs() = default;
  virtual RoundArtifacts load(std::string_view doc_name) = 0;
  // The final text of the doc's Y.Text "notes" ("" for a doc that was never written).
  virtual std::string load_notes(std::string_view doc_name) = 0;
  // The written work (issue 21): the final text of the doc's Y.Text `field`, and its Y.Map
  // `root` as JSON ("{}" when empty or unknown). Doubles that do not keep written work
  // may keep these defaults.
  virtual std::string load_text(std::string_view /*doc_name*/, std::string_view /*field*/) { return {}; }
  virtual std::string load_map_json(std::string_view /*doc_name*/, std::string_view /*root*/) { return "{}"; }
  // The board of a round's shared doc as it was at `at_ms`, rebuilt from its history
  // (issue 19), as an <svg> ("" when empty or when there is no history). Doubles may keep this.
  virtual std::string board_svg_at(std::string_view /*doc_name*/, int64_t /*at_ms*/) { return {}; }
};

}  // namespace mockloop::loop
