#include "loop/policy.hpp"

#include <array>

namespace mockloop::loop::policy {
namespace {

constexpr v1::Role kAnyRole = v1::ROLE_UNSPECIFIED;

struct Row {
  TokenKind kind;
  v1::Role role;  // kAnyRole: every role (kinds other than participant)
  Resource resource;
  Rule read;
  Rule write;
};

using enum Resource;
constexpr Rule D = Rule::deny, A = Rule::allow, S = Rule::assigned, E = Rule::everyone_edits, C = Rule::current,
               L = Rule::after_loop;
constexpr TokenKind P = TokenKind::participant;

// THE table. A cell that is not listed is denied. Notes: only the author writes a notes doc
// (others_notes is never writable); the old shared private doc is a read-only archive.
constexpr std::array kTable = {
    // kind              role                 resource           read write
    Row{TokenKind::study, kAnyRole,           study_doc,         A, A},
    Row{TokenKind::study, kAnyRole,           study_session,     A, A},
    Row{TokenKind::study, kAnyRole,           practice_bank,     A, D},

    Row{P, v1::ROLE_HOST,        loop,              A, D},
    Row{P, v1::ROLE_HOST,        invites,           A, A},
    Row{P, v1::ROLE_HOST,        round_doc,         A, A},
    Row{P, v1::ROLE_HOST,        private_doc,       A, D},
    Row{P, v1::ROLE_HOST,        question_bank,     A, D},
    Row{P, v1::ROLE_HOST,        round_session,     A, A},
    Row{P, v1::ROLE_HOST,        own_scorecard,     A, A},
    Row{P, v1::ROLE_HOST,        others_scorecards, A, D},
    Row{P, v1::ROLE_HOST,        debrief,           A, D},
    Row{P, v1::ROLE_HOST,        own_notes,         A, A},
    Row{P, v1::ROLE_HOST,        others_notes,      A, D},
    Row{P, v1::ROLE_HOST,        loop_progress,     A, A},
    Row{P, v1::ROLE_HOST,        written_work,      A, A},
    Row{P, v1::ROLE_HOST,        written_draft,     A, D},
    Row{P, v1::ROLE_HOST,        written_review,    A, A},
    Row{P, v1::ROLE_HOST,        written_staff,     A, A},
    Row{P, v1::ROLE_HOST,        written_questions, A, A},
    Row{P, v1::ROLE_HOST,        call,              A, A},
    Row{P, v1::ROLE_HOST,        call_moderation,   D, A},
    Row{P, v1::ROLE_HOST,        replay,            A, D},
    Row{P, v1::ROLE_HOST,        replay_staff_events, A, D},
    Row{P, v1::ROLE_HOST,        replay_snapshots,  A, A},

    Row{P, v1::ROLE_BAR_RAISER,  loop,              A, D},
    Row{P, v1::ROLE_BAR_RAISER,  round_doc,         A, A},
    Row{P, v1::ROLE_BAR_RAISER,  private_doc,       A, D},
    Row{P, v1::ROLE_BAR_RAISER,  question_bank,     A, D},
    Row{P, v1::ROLE_BAR_RAISER,  round_session,     A, A},
    Row{P, v1::ROLE_BAR_RAISER,  own_scorecard,     A, A},
    Row{P, v1::ROLE_BAR_RAISER,  others_scorecards, A, D},
    Row{P, v1::ROLE_BAR_RAISER,  debrief,           A, D},
    Row{P, v1::ROLE_BAR_RAISER,  own_notes,         A, A},
    Row{P, v1::ROLE_BAR_RAISER,  others_notes,      A, D},
    // The Bar Raiser controls every round's timer and leads the panel: may move the loop too.
    Row{P, v1::ROLE_BAR_RAISER,  loop_progress,     A, A},
    Row{P, v1::ROLE_BAR_RAISER,  written_work,      A, D},
    Row{P, v1::ROLE_BAR_RAISER,  written_draft,     A, D},
    Row{P, v1::ROLE_BAR_RAISER,  written_review,    A, A},
    Row{P, v1::ROLE_BAR_RAISER,  written_staff,     A, A},
    Row{P, v1::ROLE_BAR_RAISER,  written_questions, A, D},
    Row{P, v1::ROLE_BAR_RAISER,  call,              A, A},
    Row{P, v1::ROLE_BAR_RAISER,  replay,            A, D},
    Row{P, v1::ROLE_BAR_RAISER,  replay_staff_events, A, D},
    Row{P, v1::ROLE_BAR_RAISER,  replay_snapshots,  A, A},

    Row{P, v1::ROLE_INTERVIEWER, loop,              A, D},
    Row{P, v1::ROLE_INTERVIEWER, round_doc,         S, S},
    Row{P, v1::ROLE_INTERVIEWER, private_doc,       S, D},
    Row{P, v1::ROLE_INTERVIEWER, question_bank,     A, D},
    Row{P, v1::ROLE_INTERVIEWER, round_session,     S, S},
    Row{P, v1::ROLE_INTERVIEWER, own_scorecard,     S, S},
    Row{P, v1::ROLE_INTERVIEWER, own_notes,         S, S},
    Row{P, v1::ROLE_INTERVIEWER, loop_progress,     A, S},
    Row{P, v1::ROLE_INTERVIEWER, written_work,      A, D},
    Row{P, v1::ROLE_INTERVIEWER, written_draft,     A, D},
    Row{P, v1::ROLE_INTERVIEWER, written_review,    A, A},
    Row{P, v1::ROLE_INTERVIEWER, written_staff,     A, A},
    Row{P, v1::ROLE_INTERVIEWER, written_questions, A, D},
    Row{P, v1::ROLE_INTERVIEWER, call,              S, S},
    Row{P, v1::ROLE_INTERVIEWER, replay,            S, D},
    Row{P, v1::ROLE_INTERVIEWER, replay_staff_events, S, D},
    Row{P, v1::ROLE_INTERVIEWER, replay_snapshots,  S, S},

    Row{P, v1::ROLE_CANDIDATE,   loop,              A, D},
    Row{P, v1::ROLE_CANDIDATE,   round_doc,         C, C},
    Row{P, v1::ROLE_CANDIDATE,   round_session,     C, D},
    Row{P, v1::ROLE_CANDIDATE,   loop_progress,     A, D},
    // The written work is done before the loop: no `current` rule. The candidate asks the
    // clarifying questions; the host answers them.
    Row{P, v1::ROLE_CANDIDATE,   written_work,      A, D},
    Row{P, v1::ROLE_CANDIDATE,   written_draft,     A, A},
    Row{P, v1::ROLE_CANDIDATE,   written_review,    A, D},
    Row{P, v1::ROLE_CANDIDATE,   written_questions, A, A},
    Row{P, v1::ROLE_CANDIDATE,   call,              C, C},
    // The candidate watches a round's replay after the loop, never its staff-only events.
    Row{P, v1::ROLE_CANDIDATE,   replay,            L, D},

    Row{P, v1::ROLE_OBSERVER,    loop,              A, D},
    Row{P, v1::ROLE_OBSERVER,    round_doc,         A, E},
    Row{P, v1::ROLE_OBSERVER,    round_session,     A, D},
    Row{P, v1::ROLE_OBSERVER,    loop_progress,     A, D},
    // Observers follow the deep dive: the document and the candidate-visible comments only.
    Row{P, v1::ROLE_OBSERVER,    written_work,      A, D},
    Row{P, v1::ROLE_OBSERVER,    written_draft,     A, D},
    Row{P, v1::ROLE_OBSERVER,    written_review,    A, D},
    // Listen-only; talking is the host's grant (CallAllowTalk), kept by the call hub.
    Row{P, v1::ROLE_OBSERVER,    call,              A, D},
    // Observers watch a round's replay (never its staff-only events), as they watched it live.
    Row{P, v1::ROLE_OBSERVER,    replay,            A, D},
};

}  // namespace

Rule rule(TokenKind kind, v1::Role role, Resource resource, Action action) {
  for (const Row& r : kTable) {
    if (r.kind != kind || r.resource != resource) continue;
    if (r.role != kAnyRole && r.role != role) continue;
    return action == Action::read ? r.read : r.write;
  }
  return Rule::deny;
}

Decision decide(TokenKind kind, v1::Role role, Resource resource, Action action, const Context& ctx) {
  bool ok = false;
  switch (rule(kind, role, resource, action)) {
    case Rule::deny: ok = false; break;
    case Rule::allow: ok = true; break;
    case Rule::assigned: ok = ctx.assigned; break;
    case Rule::everyone_edits: ok = ctx.everyone_edits; break;
    case Rule::current: ok = ctx.current_round; break;
    case Rule::after_loop: ok = ctx.replay_open; break;
  }
  if (ok) return Decision{true, Errc::forbidden};
  const bool unknown = kind == TokenKind::none || kind == TokenKind::revoked || kind == TokenKind::expired;
  return Decision{false, unknown ? Errc::unauthenticated : Errc::forbidden};
}

std::string_view name(TokenKind k) {
  static constexpr std::array<std::string_view, kTokenKindCount> n = {"none",    "revoked", "expired",
                                                                      "foreign", "study",   "participant"};
  return n[static_cast<int>(k)];
}

std::string_view name(Resource r) {
  static constexpr std::array<std::string_view, kResourceCount> n = {
      "loop",          "invites",       "round_doc",         "private_doc", "study_doc", "question_bank",
      "round_session", "own_scorecard", "others_scorecards", "debrief",   "own_notes", "others_notes",
      "loop_progress", "study_session", "practice_bank", "written_work", "written_draft", "written_review",
      "written_staff", "written_questions", "call", "call_moderation", "replay", "replay_staff_events",
      "replay_snapshots"};
  return n[static_cast<int>(r)];
}

}  // namespace mockloop::loop::policy
