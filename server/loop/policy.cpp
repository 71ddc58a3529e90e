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

// The table spells its cells by their enumerators' names.
using enum TokenKind;
using enum Resource;
using enum Rule;

// THE table. A cell that is not listed is denied. Notes: only the author writes a notes doc
// (others_notes is never writable); the old shared private doc is a read-only archive.
constexpr std::array kTable = {
    //  kind         role                  resource             read        write
    Row{study,       kAnyRole,             study_doc,           allow,      allow},
    Row{study,       kAnyRole,             study_session,       allow,      allow},
    Row{study,       kAnyRole,             practice_bank,       allow,      deny},

    Row{participant, v1::ROLE_HOST,        loop,                allow,      deny},
    Row{participant, v1::ROLE_HOST,        invites,             allow,      allow},
    Row{participant, v1::ROLE_HOST,        round_doc,           allow,      allow},
    Row{participant, v1::ROLE_HOST,        private_doc,         allow,      deny},
    Row{participant, v1::ROLE_HOST,        question_bank,       allow,      deny},
    Row{participant, v1::ROLE_HOST,        round_session,       allow,      allow},
    Row{participant, v1::ROLE_HOST,        own_scorecard,       allow,      allow},
    Row{participant, v1::ROLE_HOST,        others_scorecards,   allow,      deny},
    Row{participant, v1::ROLE_HOST,        debrief,             allow,      deny},
    Row{participant, v1::ROLE_HOST,        own_notes,           allow,      allow},
    Row{participant, v1::ROLE_HOST,        others_notes,        allow,      deny},
    Row{participant, v1::ROLE_HOST,        loop_progress,       allow,      allow},
    Row{participant, v1::ROLE_HOST,        written_work,        allow,      allow},
    Row{participant, v1::ROLE_HOST,        written_draft,       allow,      deny},
    Row{participant, v1::ROLE_HOST,        written_review,      allow,      allow},
    Row{participant, v1::ROLE_HOST,        written_staff,       allow,      allow},
    Row{participant, v1::ROLE_HOST,        written_questions,   allow,      allow},
    Row{participant, v1::ROLE_HOST,        call,                allow,      allow},
    Row{participant, v1::ROLE_HOST,        call_moderation,     deny,       allow},
    Row{participant, v1::ROLE_HOST,        replay,              allow,      deny},
    Row{participant, v1::ROLE_HOST,        replay_staff_events, allow,      deny},
    Row{participant, v1::ROLE_HOST,        replay_snapshots,    allow,      allow},

    Row{participant, v1::ROLE_BAR_RAISER,  loop,                allow,      deny},
    Row{participant, v1::ROLE_BAR_RAISER,  round_doc,           allow,      allow},
    Row{participant, v1::ROLE_BAR_RAISER,  private_doc,         allow,      deny},
    Row{participant, v1::ROLE_BAR_RAISER,  question_bank,       allow,      deny},
    Row{participant, v1::ROLE_BAR_RAISER,  round_session,       allow,      allow},
    Row{participant, v1::ROLE_BAR_RAISER,  own_scorecard,       allow,      allow},
    Row{participant, v1::ROLE_BAR_RAISER,  others_scorecards,   allow,      deny},
    Row{participant, v1::ROLE_BAR_RAISER,  debrief,             allow,      deny},
    Row{participant, v1::ROLE_BAR_RAISER,  own_notes,           allow,      allow},
    Row{participant, v1::ROLE_BAR_RAISER,  others_notes,        allow,      deny},
    // The Bar Raiser controls every round's timer and leads the panel: may move the loop too.
    Row{participant, v1::ROLE_BAR_RAISER,  loop_progress,       allow,      allow},
    Row{participant, v1::ROLE_BAR_RAISER,  written_work,        allow,      deny},
    Row{participant, v1::ROLE_BAR_RAISER,  written_draft,       allow,      deny},
    Row{participant, v1::ROLE_BAR_RAISER,  written_review,      allow,      allow},
    Row{participant, v1::ROLE_BAR_RAISER,  written_staff,       allow,      allow},
    Row{participant, v1::ROLE_BAR_RAISER,  written_questions,   allow,      deny},
    Row{participant, v1::ROLE_BAR_RAISER,  call,                allow,      allow},
    Row{participant, v1::ROLE_BAR_RAISER,  replay,              allow,      deny},
    Row{participant, v1::ROLE_BAR_RAISER,  replay_staff_events, allow,      deny},
    Row{participant, v1::ROLE_BAR_RAISER,  replay_snapshots,    allow,      allow},

    Row{participant, v1::ROLE_INTERVIEWER, loop,                allow,      deny},
    Row{participant, v1::ROLE_INTERVIEWER, round_doc,           assigned,   assigned},
    Row{participant, v1::ROLE_INTERVIEWER, private_doc,         assigned,   deny},
    Row{participant, v1::ROLE_INTERVIEWER, question_bank,       allow,      deny},
    Row{participant, v1::ROLE_INTERVIEWER, round_session,       assigned,   assigned},
    Row{participant, v1::ROLE_INTERVIEWER, own_scorecard,       assigned,   assigned},
    Row{participant, v1::ROLE_INTERVIEWER, own_notes,           assigned,   assigned},
    Row{participant, v1::ROLE_INTERVIEWER, loop_progress,       allow,      assigned},
    Row{participant, v1::ROLE_INTERVIEWER, written_work,        allow,      deny},
    Row{participant, v1::ROLE_INTERVIEWER, written_draft,       allow,      deny},
    Row{participant, v1::ROLE_INTERVIEWER, written_review,      allow,      allow},
    Row{participant, v1::ROLE_INTERVIEWER, written_staff,       allow,      allow},
    Row{participant, v1::ROLE_INTERVIEWER, written_questions,   allow,      deny},
    Row{participant, v1::ROLE_INTERVIEWER, call,                assigned,   assigned},
    Row{participant, v1::ROLE_INTERVIEWER, replay,              assigned,   deny},
    Row{participant, v1::ROLE_INTERVIEWER, replay_staff_events, assigned,   deny},
    Row{participant, v1::ROLE_INTERVIEWER, replay_snapshots,    assigned,   assigned},

    Row{participant, v1::ROLE_CANDIDATE,   loop,                allow,      deny},
    Row{participant, v1::ROLE_CANDIDATE,   round_doc,           current,    current},
    Row{participant, v1::ROLE_CANDIDATE,   round_session,       current,    deny},
    Row{participant, v1::ROLE_CANDIDATE,   loop_progress,       allow,      deny},
    // The written work is done before the loop: no `current` rule. The candidate asks the
    // clarifying questions; the host answers them.
    Row{participant, v1::ROLE_CANDIDATE,   written_work,        allow,      deny},
    Row{participant, v1::ROLE_CANDIDATE,   written_draft,       allow,      allow},
    Row{participant, v1::ROLE_CANDIDATE,   written_review,      allow,      deny},
    Row{participant, v1::ROLE_CANDIDATE,   written_questions,   allow,      allow},
    Row{participant, v1::ROLE_CANDIDATE,   call,                current,    current},
    // The candidate watches a round's replay after the loop, never its staff-only events.
    Row{participant, v1::ROLE_CANDIDATE,   replay,              after_loop, deny},

    Row{participant, v1::ROLE_OBSERVER,    loop,                allow,      deny},
    Row{participant, v1::ROLE_OBSERVER,    round_doc,           allow,      everyone_edits},
    Row{participant, v1::ROLE_OBSERVER,    round_session,       allow,      deny},
    Row{participant, v1::ROLE_OBSERVER,    loop_progress,       allow,      deny},
    // Observers follow the deep dive: the document and the candidate-visible comments only.
    Row{participant, v1::ROLE_OBSERVER,    written_work,        allow,      deny},
    Row{participant, v1::ROLE_OBSERVER,    written_draft,       allow,      deny},
    Row{participant, v1::ROLE_OBSERVER,    written_review,      allow,      deny},
    // Listen-only; talking is the host's grant (CallAllowTalk), kept by the call hub.
    Row{participant, v1::ROLE_OBSERVER,    call,                allow,      deny},
    // Observers watch a round's replay (never its staff-only events), as they watched it live.
    Row{participant, v1::ROLE_OBSERVER,    replay,              allow,      deny},
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
  static constexpr std::array<std::string_view, kTokenKindCount> kNames = {"none",    "revoked", "expired",
                                                                      "foreign", "study",   "participant"};
  return kNames[static_cast<int>(k)];
}

std::string_view name(Resource r) {
  static constexpr std::array<std::string_view, kResourceCount> kNames = {
      "loop",          "invites",       "round_doc",         "private_doc", "study_doc", "question_bank",
      "round_session", "own_scorecard", "others_scorecards", "debrief",   "own_notes", "others_notes",
      "loop_progress", "study_session", "practice_bank", "written_work", "written_draft", "written_review",
      "written_staff", "written_questions", "call", "call_moderation", "replay", "replay_staff_events",
      "replay_snapshots"};
  return kNames[static_cast<int>(r)];
}

}  // namespace mockloop::loop::policy
