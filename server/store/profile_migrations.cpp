#include "store/profile_migrations.hpp"

namespace mockloop::store {

const std::vector<std::string>& profile_migrations() {
  static const std::vector<std::string> steps = {
      // 1: a profile is a candidate's own account (candidate_user_id) or one a mentor keeps
      // (candidate_user_id ''); mentors see it; loops attached by hosts; the candidate's
      // self-assessments (ratings as "1,5,3,..."); stories as a StoryDraft blob.
      "CREATE TABLE profiles ("
      " id TEXT PRIMARY KEY,"
      " name TEXT NOT NULL,"
      " candidate_user_id TEXT NOT NULL DEFAULT '',"
      " owner_id TEXT NOT NULL,"
      " created_at_ms INTEGER NOT NULL);"
      "CREATE UNIQUE INDEX profiles_by_candidate ON profiles(candidate_user_id) WHERE candidate_user_id <> '';"
      "CREATE INDEX profiles_by_owner ON profiles(owner_id);"
      "CREATE TABLE profile_mentors ("
      " profile_id TEXT NOT NULL REFERENCES profiles(id),"
      " user_id TEXT NOT NULL,"
      " added_at_ms INTEGER NOT NULL,"
      " PRIMARY KEY (profile_id, user_id)) WITHOUT ROWID;"
      "CREATE INDEX profile_mentors_by_user ON profile_mentors(user_id);"
      "CREATE TABLE profile_loops ("
      " profile_id TEXT NOT NULL REFERENCES profiles(id),"
      " loop_id TEXT NOT NULL,"
      " attached_by TEXT NOT NULL,"
      " attached_at_ms INTEGER NOT NULL,"
      " PRIMARY KEY (profile_id, loop_id)) WITHOUT ROWID;"
      "CREATE INDEX profile_loops_by_loop ON profile_loops(loop_id);"
      "CREATE TABLE self_assessments ("
      " id TEXT PRIMARY KEY,"
      " profile_id TEXT NOT NULL REFERENCES profiles(id),"
      " taken_at_ms INTEGER NOT NULL,"
      " ratings TEXT NOT NULL,"
      " score INTEGER NOT NULL,"
      " band_id TEXT NOT NULL);"
      "CREATE INDEX self_assessments_by_profile ON self_assessments(profile_id, taken_at_ms);"
      "CREATE TABLE stories ("
      " id TEXT PRIMARY KEY,"
      " profile_id TEXT NOT NULL REFERENCES profiles(id),"
      " draft BLOB NOT NULL,"
      " shared INTEGER NOT NULL DEFAULT 0,"
      " created_at_ms INTEGER NOT NULL,"
      " updated_at_ms INTEGER NOT NULL);"
      "CREATE INDEX stories_by_profile ON stories(profile_id, created_at_ms);",
      // 2: handover codes of mentor-kept profiles (by the SHA-256 of the code; at most one
      // per profile, gone once redeemed).
      "CREATE TABLE profile_handovers ("
      " hash BLOB PRIMARY KEY,"
      " profile_id TEXT NOT NULL UNIQUE REFERENCES profiles(id),"
      " created_by TEXT NOT NULL,"
      " created_at_ms INTEGER NOT NULL,"
      " expires_at_ms INTEGER NOT NULL);",
  };
  return steps;
}

}  // namespace mockloop::store
