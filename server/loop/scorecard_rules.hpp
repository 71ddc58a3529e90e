// Validation of a scorecard draft against the round's rubric, the principles and the
// author's role. Pure; thread-safe.
#pragma once

#include "common/result.hpp"
#include "content/catalog.hpp"
#include "loop.pb.h"

namespace mockloop::loop {

// The times a rating may cite (issue 19), inclusive: from the loop's creation to the present
// (plus kMomentSkewMs for the client's clock estimate).
struct MomentWindow {
  int64_t from_ms = 0;
  int64_t to_ms = 0;
};

// Errc::invalid_argument for an out-of-range rating, an unknown or repeated competency or LP,
// oversized evidence/summary, too many entries, more than kMaxMomentsPerRating moments or a
// moment outside `moments`; Errc::forbidden when a non-bar-raiser sets bar_raiser_verdict.
Result<void> validate_draft(const content::Catalog& catalog, const v1::Round& round, v1::Role author_role,
                            const v1::ScorecardDraft& draft, const MomentWindow& moments);

}  // namespace mockloop::loop
