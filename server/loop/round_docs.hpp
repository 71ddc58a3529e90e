// RoundDocs: reads what a round left in its shared document (whiteboard, code pad) for the
// debrief report. The real implementation (crdt_round_docs.*) decodes the stored Yjs doc;
// tests use a double. Implementations must be thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace mockloop::loop {

struct RoundArtifacts {
  std::string board_svg;  // a complete <svg> element, empty if the board is empty
  std::string code;       // final text of the code pad
  std::string note;       // why something is missing, shown in the report
};

class RoundDocs {
 public:
  virtual ~RoundDocs() = default;
  virtual RoundArtifacts load(std::string_view doc_name) = 0;
};

}  // namespace mockloop::loop
