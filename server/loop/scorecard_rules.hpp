// Validation of a scorecard draft against the round's rubric, the principles and the
// author's role. Pure; thread-safe.
#pragma once

#include "common/result.hpp"
#include "content/catalog.hpp"
#include "loop.pb.h"

namespace mockloop::loop {

// Errc::invalid_argument for an out-of-range rating, an unknown or repeated competency or LP,
// oversized evidence/summary or too many entries; Errc::forbidden when a non-bar-raiser sets
// bar_raiser_verdict.
Result<void> validate_draft(const content::Catalog& catalog, const v1::Round& round, v1::Role author_role,
                            const v1::ScorecardDraft& draft);

}  // namespace mockloop::loop
