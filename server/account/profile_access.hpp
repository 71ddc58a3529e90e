// Who may do what with a candidate profile (issue 20; docs/progress.md), one table:
//
//   action            own-account profile       mentor-kept profile
//   read progress     candidate, mentors        owner, mentors
//   share (mentors)   candidate                 owner
//   attach a loop     candidate, mentors        owner, mentors   (and the caller hosts the loop)
//   self-assessment,  candidate                 owner, mentors
//   stories (write)
//   read a story      candidate; mentors only   owner, mentors
//                     the ones marked shared
//
// Anyone else gets Errc::not_found (a profile's existence is not told to strangers).
// Values and pure functions; thread-safe.
#pragma once

#include "progress.pb.h"

namespace mockloop::account {

enum class ProfileAction { read, share, attach_loop, write_prep };

// `kept`: the profile is a mentor's (no candidate account).
inline bool profile_may(v1::ProfileRelation rel, bool kept, ProfileAction a) {
  using R = v1::ProfileRelation;
  if (rel == R::PROFILE_RELATION_UNSPECIFIED) return false;
  switch (a) {
    case ProfileAction::read:
    case ProfileAction::attach_loop: return true;
    case ProfileAction::share: return kept ? rel == R::PROFILE_RELATION_OWNER : rel == R::PROFILE_RELATION_CANDIDATE;
    case ProfileAction::write_prep: return kept ? rel != R::PROFILE_RELATION_CANDIDATE : rel == R::PROFILE_RELATION_CANDIDATE;
  }
  return false;
}

inline bool story_visible(v1::ProfileRelation rel, bool kept, bool shared) {
  if (rel == v1::PROFILE_RELATION_UNSPECIFIED) return false;
  return kept || rel == v1::PROFILE_RELATION_CANDIDATE || shared;
}

}  // namespace mockloop::account
