// The names of the interview domain's Yjs documents: the only place they are spelled.
//   room-<roomId>          a round's shared whiteboard + code pad
//   room-<roomId>-private  the interviewers' notes of that round
//   study-<studyId>        a study room's doc
// Any other name is not the loop domain's (with --allow-anonymous-docs, anyone's).
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace mockloop::loop::doc_names {

std::string round_doc(std::string_view room_id);
std::string private_doc(std::string_view room_id);
std::string study_doc(std::string_view study_id);

struct Parsed {
  enum class Kind { round, private_notes, study, other };
  Kind kind = Kind::other;
  std::string id;  // room id or study id; empty for `other`
};

Parsed parse(std::string_view doc_name);

// Whether `doc_name` is in the loop domain's namespace (room-* or study-*): such names
// always need a token, even when anonymous docs are allowed.
bool is_loop_doc(std::string_view doc_name);

}  // namespace mockloop::loop::doc_names
