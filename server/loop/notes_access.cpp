#include "loop/notes_access.hpp"

#include "loop/doc_names.hpp"

namespace mockloop::loop {
namespace {

using policy::Action;
using policy::Resource;

v1::NotesRef ref_of(const v1::Loop& loop, uint32_t round, const v1::Participant& part) {
  v1::NotesRef r;
  r.set_participant_id(part.id());
  r.set_display_name(part.display_name());
  r.set_role(part.role());
  r.set_doc_name(doc_names::notes_doc(loop.rounds(static_cast<int>(round)).room_id(), part.id()));
  return r;
}

}  // namespace

bool keeps_notes(const v1::Loop& loop, const v1::Participant& part, uint32_t round) {
  Principal author;
  author.loop_id = loop.id();
  author.participant = part;
  return permitted(author, loop.id(), Resource::own_notes, Action::read, round);
}

bool sees_colleagues_notes(const Principal& viewer, std::string_view loop_id, uint32_t round, bool submitted) {
  if (permitted(viewer, loop_id, Resource::others_notes, Action::read, round)) return true;
  return submitted && permitted(viewer, loop_id, Resource::own_notes, Action::read, round);
}

Result<NotesAccess> notes_access(const Principal& viewer, std::string_view loop_id, uint32_t round,
                                 std::string_view author_id, bool submitted) {
  const bool own = kind_for_loop(viewer, loop_id) == policy::TokenKind::participant &&
                   viewer.participant.id() == author_id;
  if (own) {
    if (auto ok = permit(viewer, loop_id, Resource::own_notes, Action::read, round); !ok) return ok.error();
    return permitted(viewer, loop_id, Resource::own_notes, Action::write, round) ? NotesAccess::write
                                                                                : NotesAccess::read;
  }
  if (sees_colleagues_notes(viewer, loop_id, round, submitted)) return NotesAccess::read;
  // The policy's own refusal (foreign token, candidate, observer, unassigned interviewer) ...
  if (auto ok = permit(viewer, loop_id, Resource::own_notes, Action::read, round); !ok) return ok.error();
  // ... or the data condition: staff of the round who have not submitted yet.
  return make_error(Errc::forbidden, "colleagues' notes open after you submit your scorecard for this round");
}

v1::NotesDocs notes_docs(const v1::Loop& loop, uint32_t round, const Principal& viewer, bool submitted) {
  v1::NotesDocs out;
  out.set_round_index(round);
  if (round >= static_cast<uint32_t>(loop.rounds_size()) || !keeps_notes(loop, viewer.participant, round)) return out;
  *out.mutable_mine() = ref_of(loop, round, viewer.participant);
  const bool sees = sees_colleagues_notes(viewer, loop.id(), round, submitted);
  out.set_colleagues_hidden(!sees);
  if (!sees) return out;
  for (const auto& part : loop.participants())
    if (part.id() != viewer.participant.id() && keeps_notes(loop, part, round))
      *out.add_colleagues() = ref_of(loop, round, part);
  return out;
}

std::string role_label(v1::Role role) {
  switch (role) {
    case v1::ROLE_HOST: return "Host";
    case v1::ROLE_BAR_RAISER: return "Bar Raiser";
    case v1::ROLE_INTERVIEWER: return "Interviewer";
    case v1::ROLE_CANDIDATE: return "Candidate";
    case v1::ROLE_OBSERVER: return "Observer";
    default: return "";
  }
}

}  // namespace mockloop::loop
