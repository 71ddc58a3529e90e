// Named limits of the interview domain; inputs beyond them are refused with a 4xx and
// nothing is stored.
#pragma once

#include <cstddef>
#include <cstdint>

namespace mockloop::loop {

inline constexpr std::size_t kMaxRequestBodyBytes = 256 * 1024;  // REST body: 256 KiB
inline constexpr std::size_t kMaxEvidenceBytes = 8 * 1024;       // per competency / LP signal: 8 KiB
inline constexpr std::size_t kMaxSummaryBytes = 16 * 1024;       // scorecard summary: 16 KiB
inline constexpr int kMaxScoresPerCard = 64;                     // competency scores, LP signals: 64 each
inline constexpr int kMaxParticipants = 32;                      // per loop
inline constexpr std::size_t kMaxNameBytes = 200;                // names and titles
inline constexpr std::size_t kMaxSessionFrameBytes = 512 * 1024; // one ClientMessage: 512 KiB
inline constexpr int kMaxBadFrames = 3;
inline constexpr int kMaxRoundsNamed = 32;                       // rounds one request names (a person's rounds, schedule, optional rounds): 32
inline constexpr int kMaxTokensPerLoop = 256;                    // invite links issued over a loop's life, reissues included: 256
inline constexpr int kMaxBarRaisers = 1;                         // per loop: 1
inline constexpr int64_t kMaxScheduleDistanceMs = int64_t{366} * 24 * 3600 * 1000;  // a round start within 366 days of now                          // malformed frames before close 1007
// The written work (issue 21).
inline constexpr std::size_t kMaxWrittenPromptBytes = 8 * 1024;   // a custom topic's prompt: 8 KiB
inline constexpr std::size_t kMaxWrittenTextBytes = 200 * 1024;   // one submitted version: 200 KiB
inline constexpr std::size_t kMaxWrittenQuestionBytes = 4 * 1024; // one clarifying question or answer: 4 KiB
inline constexpr int kMaxWrittenQuestions = 200;                  // per assignment: 200
inline constexpr int kMaxWrittenPerLoop = 8;                      // assignments per loop: 8
inline constexpr int kMaxWrittenVersions = 50;                    // submitted versions per assignment: 50
inline constexpr int64_t kWrittenSettleMs = 2000;                 // submit waits this long for the draft to arrive
inline constexpr int64_t kDefaultQuestionsWindowMs = int64_t{7} * 24 * 3600 * 1000;  // cut-off: a week before due
// The replay (issue 19): moments a scorecard rating cites (CompetencyScore/LpSignal.moments_ms):
// at most 8 each, each inside the loop's time (from its creation to the server's present plus
// kMomentSkewMs = 5 s, the slack for a client's estimate of the server clock); the HTML report
// embeds the board at no more than kMaxReportMomentsPerRound moments of a round.
inline constexpr int kMaxMomentsPerRating = 8;
inline constexpr int64_t kMomentSkewMs = 5000;
inline constexpr std::size_t kMaxReportMomentsPerRound = 24;
// Snapshots (loop/replay_snapshots.hpp): at most 50 taken on demand per round (the automatic
// ones at phase boundaries are not counted), each name at most 80 bytes.
inline constexpr int kMaxSnapshotsPerRound = 50;
inline constexpr std::size_t kMaxSnapshotNameBytes = 80;
// Break between rounds when the template names none (TemplateSet.break_minutes): 10 minutes.
inline constexpr int kDefaultBreakMinutes = 10;

}  // namespace mockloop::loop
