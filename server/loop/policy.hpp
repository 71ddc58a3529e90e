// The authorization policy of the server: ONE table of who may do what, consulted by every
// channel (REST in LoopService/ApiRouter, /session in SessionHub, /yjs in DocAccess).
//
// A cell is (token kind, role, resource, action) -> rule. The token kind says what the
// presented token is *relative to the resource's owner*:
//   none         missing, malformed or unknown        -> every cell refused as unauthenticated
//   revoked      revoked by the host                  -> unauthenticated
//   expired      past the invite's expiresAtMs        -> unauthenticated
//   foreign      a token of another loop or another study room -> forbidden
//   study        a study-room token (own study room)  -> only its own study doc, study
//                session and practice bank
//   participant  a token of this loop, with its role  -> the role's row below
// Study tokens see nothing of any loop, not even the candidate-safe question prompts:
// GET /api/questions answers 403. A study room is practice among peers: its session shows
// every peer the practice bank (prompts, hints, follow-ups; loop/study_service.hpp), never
// rubrics, scorecards, notes or a loop's question selections.
//
// Rules: deny; allow; assigned (only in rounds the participant may join: interviewers their
// assigned rounds, everyone else every round); everyone_edits (allowed when the loop's
// template lets everyone edit: observers in peer sessions); current (only in the loop's
// current round, LoopProgress: the candidate is never anywhere else).
// Moving the loop (loop_progress write) is a per-round cell whose `assigned` fact is "assigned
// to the round being entered or to the round being left": the interviewer who finishes a
// round hands the loop on, the next round's interviewer may pull it in.
// Conditions that depend on data rather than on who asks (a round that exists, others'
// scorecards and others' notes after submitting one's own scorecard) stay with the service
// (loop/notes_access.hpp for notes).
//
// Pure functions over a constant table; thread-safe.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "common/error.hpp"
#include "loop.pb.h"

namespace mockloop::loop::policy {

enum class TokenKind : uint8_t { none, revoked, expired, foreign, study, participant };
inline constexpr int kTokenKindCount = 6;

enum class Resource : uint8_t {
  loop,               // the loop outline: GET /api/loops[/{id}], opening a /session
  invites,            // read: the invite list in GET /api/loops/{id}; write: the panel (revoke
                      // and reissue links, add, change and remove people, the round schedule)
  round_doc,          // room-<id>: whiteboard + code pad (write = edit); the candidate: current round only
  private_doc,        // room-<id>-private: the earlier shared notes (read = staff of the round)
  study_doc,          // study-<id>
  question_bank,      // GET /api/questions: hints, follow-ups, interviewer notes
  round_session,      // read: join a round (snapshot); write: timer and question selection
  own_scorecard,      // read / write (save, submit) one's scorecard in a round
  others_scorecards,  // read others' submitted scorecards before submitting one's own
  debrief,            // the debrief (JSON and HTML)
  own_notes,          // room-<id>-notes-<own participant id>: one's own notes of a round
  others_notes,       // read colleagues' notes of a round before submitting one's own scorecard
  loop_progress,      // read: where the loop is; write: move it to a round, start/end a break
  study_session,      // a study room's /session/study: read: join (peers, timer, prompt, feedback);
                      // write: timer, prompt choice, role rotation, feedback, code runs
                      // (custom stdin only: a study token never reads question tests)
  practice_bank,      // the practice bank of a study room: prompts with hints and follow-ups
  written_work,       // read: the loop's written assignments, their versions and the candidate's
                      // report (GET /api/loops/{id}/written...); write: assign one (host)
  written_draft,      // written-<id>: the draft (read; write = edit it and submit a version)
  written_review,     // written-<id>-review: review comments the candidate may read (write = comment)
  written_staff,      // written-<id>-staff: staff-only review comments; never the candidate or observers
  written_questions,  // the clarifying-questions thread: read it; write = ask or answer (until the cut-off)
  call,               // a round's call (loop/call_hub.hpp): read: join and listen; write: talk
                      // (send audio and video). Observers listen; the host may let one talk.
  call_moderation,    // write: let an observer talk in the loop's calls (CallAllowTalk)
  replay,             // read: a round's replay (GET .../timeline and .../state, issue 19); the
                      // candidate once the loop has ended, if the host lets them (after_loop);
                      // observers always (they follow the round live anyway)
  replay_staff_events,  // read: the staff-only events of a replay (notes, scorecards submitted)
  replay_snapshots,   // a round's snapshots (loop/replay_snapshots.hpp): read: list them;
                      // write: take one, restore the live board or code pad to one
};
inline constexpr int kResourceCount = 25;

enum class Action : uint8_t { read, write };

enum class Rule : uint8_t { deny, allow, assigned, everyone_edits, current, after_loop };

// Facts about the target that rules depend on.
struct Context {
  bool assigned = true;         // the participant may join this round (principal.hpp)
  bool everyone_edits = false;  // the loop's template lets everyone edit shared docs
  bool current_round = true;    // the round is the loop's current round (LoopProgress)
  bool replay_open = false;     // the loop has ended and its host lets the candidate watch (after_loop)
};

struct Decision {
  bool allowed = false;
  Errc refusal = Errc::forbidden;  // when !allowed: unauthenticated or forbidden
};

// The rule of one cell (role is ignored for token kinds other than participant).
Rule rule(TokenKind kind, v1::Role role, Resource resource, Action action);
// The cell's rule applied to `ctx`.
Decision decide(TokenKind kind, v1::Role role, Resource resource, Action action, const Context& ctx = {});

std::string_view name(TokenKind k);
std::string_view name(Resource r);

}  // namespace mockloop::loop::policy
