// The names of the interview domain's Yjs documents: the only place they are spelled.
//   room-<roomId>                         a round's shared whiteboard + code pad
//   room-<roomId>-private                 the round's earlier shared interviewer notes (read-only archive)
//   room-<roomId>-notes-<participantId>   one staff member's own notes of that round
//   study-<studyId>                       a study room's doc
//   written-<assignmentId>                a written work's draft (Y.Text "text")
//   written-<assignmentId>-review         its review comments the candidate may read (Y.Map "comments")
//   written-<assignmentId>-staff          its staff-only review comments (Y.Map "comments")
// Assignment ids are hex (no '-'), so the written names parse without ambiguity.
// Any other name is not the loop domain's (with --allow-anonymous-docs, anyone's).
// Ids are base64url (loop/ids.hpp) and may contain '-': a room id that itself contains
// "-notes-" would parse as a notes doc (about 1 in 10^11 per room id); its shared doc would
// then resolve to "no such document".
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace mockloop::loop::doc_names {

std::string round_doc(std::string_view room_id);
std::string private_doc(std::string_view room_id);
std::string notes_doc(std::string_view room_id, std::string_view participant_id);
std::string study_doc(std::string_view study_id);
std::string written_draft_doc(std::string_view assignment_id);
std::string written_review_doc(std::string_view assignment_id);
std::string written_staff_doc(std::string_view assignment_id);

struct Parsed {
  enum class Kind { round, private_notes, author_notes, study, written_draft, written_review, written_staff, other };
  Kind kind = Kind::other;
  std::string id;      // room id, study id or assignment id; empty for `other`
  std::string author;  // author_notes: the participant id
};

Parsed parse(std::string_view doc_name);

// Whether the document keeps history for replay (issue 19): a round's shared doc, its notes
// docs and its private archive. Study rooms (peer practice, nothing to score) and written
// work (frozen versions are its history) keep none.
bool keeps_history(std::string_view doc_name);

// Whether `doc_name` is in the loop domain's namespace (room-*, study-*, written-*): such names
// always need a token, even when anonymous docs are allowed.
bool is_loop_doc(std::string_view doc_name);

}  // namespace mockloop::loop::doc_names
